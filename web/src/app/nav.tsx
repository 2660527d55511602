/**
 * The left menu. Each feature contributes entries here (key, path, icon, i18n label, and the
 * permissions of which the user needs one); the menu shows only the entries the signed-in user may
 * use and highlights the entry whose path prefixes the current location.
 */
import { FileSearchOutlined, AlertOutlined, ApartmentOutlined, GiftOutlined, NodeIndexOutlined, AuditOutlined, BarChartOutlined, CloudUploadOutlined, ShareAltOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Me } from '../../../src/contracts/index.js';
import { hasAny, type Permission } from '../auth/AuthContext.js';

export interface NavEntry {
  key: string;
  path: string;
  icon: ReactNode;
  /** i18n key of the label. */
  labelKey: string;
  /** The entry is shown to users holding any of these. */
  anyOf: readonly Permission[];
}

export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'households', path: '/households', icon: <TeamOutlined />, labelKey: 'nav.households', anyOf: ['household.read'] },
  { key: 'alerts', path: '/alerts', icon: <AlertOutlined />, labelKey: 'nav.alerts', anyOf: ['household.read'] },
  { key: 'monitoring', path: '/monitoring', icon: <BarChartOutlined />, labelKey: 'nav.monitoring', anyOf: ['household.read'] },
  // Auditors review and resolve; officers read findings in their area.
  { key: 'findings', path: '/ledger/findings', icon: <FileSearchOutlined />, labelKey: 'nav.findings', anyOf: ['finding.read'] },
  // Department liaisons send feeds (record.write); officers and township workers may too (household.write).
  { key: 'feeds', path: '/feeds', icon: <CloudUploadOutlined />, labelKey: 'nav.feeds', anyOf: ['record.write', 'household.write'] },
  { key: 'charity', path: '/charity', icon: <GiftOutlined />, labelKey: 'nav.charity', anyOf: ['charity.manage'] },
  { key: 'consortium', path: '/consortium', icon: <NodeIndexOutlined />, labelKey: 'nav.consortium', anyOf: ['charity.coordinate'] },
  { key: 'shared', path: '/shared', icon: <ShareAltOutlined />, labelKey: 'nav.shared', anyOf: ['household.read_shared'] },
  { key: 'users', path: '/users', icon: <UserOutlined />, labelKey: 'nav.users', anyOf: ['user.manage', 'access.manage'] },
  { key: 'organisations', path: '/organisations', icon: <ApartmentOutlined />, labelKey: 'nav.organisations', anyOf: ['access.manage'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, labelKey: 'nav.audit', anyOf: ['audit.read'] },
];

export function navEntriesFor(me: Me): NavEntry[] {
  return NAV_ENTRIES.filter((e) => hasAny(me, e.anyOf));
}

export function navKeyFor(pathname: string): string | undefined {
  // An alert lives under its household (/households/:id/alerts/:alertId) but belongs to the alert inbox.
  if (/^\/households\/[^/]+\/alerts\//.test(pathname)) return 'alerts';
  return NAV_ENTRIES.find((e) => pathname === e.path || pathname.startsWith(`${e.path}/`))?.key;
}

/** The permissions needed for a path (undefined: any signed-in user). */
export function permissionsFor(key: string): readonly Permission[] {
  return NAV_ENTRIES.find((e) => e.key === key)?.anyOf ?? [];
}

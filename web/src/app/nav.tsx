/**
 * The left menu. Each feature contributes entries here (key, path, icon, i18n label); the menu
 * highlights the entry whose path prefixes the current location.
 */
import { TeamOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface NavEntry {
  key: string;
  path: string;
  icon: ReactNode;
  /** i18n key of the label. */
  labelKey: string;
}

export const NAV_ENTRIES: readonly NavEntry[] = [
  { key: 'households', path: '/households', icon: <TeamOutlined />, labelKey: 'nav.households' },
];

export function navKeyFor(pathname: string): string | undefined {
  return NAV_ENTRIES.find((e) => pathname === e.path || pathname.startsWith(`${e.path}/`))?.key;
}

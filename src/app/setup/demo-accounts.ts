/**
 * Demo only: one clearly named account per role (demo-<role>), a demo charity and department with
 * a data-sharing agreement and household consents, so every screen can be tried. Passwords are
 * generated afresh at every demo start and printed once; production databases get no such account.
 */
import { sql } from 'kysely';
import { makeCreditCode } from '../../core/ids/index.js';
import { addMonths } from '../../core/dates/dates.js';
import { ROLE_SPECS, type Role } from '../../core/security/index.js';
import type { AppContext } from '../context.js';
import { newId } from '../new-id.js';
import { hashPassword, generatePassword } from '../auth/passwords.js';
import { createUser } from '../auth/users.js';
import { createAgreement, createOrganisation } from '../access/sharing.js';

export interface DemoAccount {
  role: Role;
  username: string;
  password: string;
  scope: string;
}

const DEMO_ROLES: readonly Role[] = [
  'province_officer', 'city_officer', 'county_officer', 'township_worker', 'consortium_coordinator', 'department_liaison',
  'charity_staff', 'auditor', 'system_admin', 'security_admin', 'audit_admin',
];

export const demoUsername = (role: Role): string => `demo-${role.replace(/_/g, '-')}`;

/** Creates (first time) or re-keys (later starts) the demo accounts. Returns them with their passwords. */
export async function ensureDemoAccounts(ctx: AppContext): Promise<DemoAccount[]> {
  const existing = await ctx.db.selectFrom('users').select(['id', 'username', 'role', 'scope_region']).where('username', 'like', 'demo-%').execute();
  if (existing.length > 0) {
    const out: DemoAccount[] = [];
    for (const u of existing) {
      const password = generatePassword();
      await ctx.db.updateTable('users').set({ password_hash: await hashPassword(password), locked_until: null, disabled: false }).where('id', '=', u.id).execute();
      await ctx.db.deleteFrom('login_failures').where('user_id', '=', u.id).execute();
      out.push({ role: u.role as Role, username: u.username, password, scope: u.scope_region });
    }
    return out.sort((a, b) => DEMO_ROLES.indexOf(a.role) - DEMO_ROLES.indexOf(b.role));
  }

  // Scope the local roles to where the demo population is densest.
  const county = await ctx.db.selectFrom('households').select('county_code').select((eb) => eb.fn.countAll<number>().as('n')).groupBy('county_code').orderBy('n', 'desc').orderBy('county_code').limit(1).executeTakeFirst();
  const countyCode = county?.county_code ?? '330106';
  const township = await ctx.db
    .selectFrom('households')
    .select(sql<string>`substr(region_code, 1, 9)`.as('t'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('county_code', '=', countyCode)
    .groupBy(sql`substr(region_code, 1, 9)`)
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirst();
  const townshipCode = township?.t ?? ctx.regions.children(countyCode)[0]?.code ?? countyCode;
  const cityCode = countyCode.slice(0, 4);

  const charity = await createOrganisation(ctx, null, { name: '浙江省慈善联合总会（演示）', kind: 'charity', creditCode: makeCreditCode('53', '330000', 'MJ0000DM'), regionCode: '33' });
  const department = await createOrganisation(ctx, null, { name: `${ctx.regions.get(countyCode)?.name ?? ''}人力社保局（演示）`, kind: 'department', creditCode: null, regionCode: countyCode });
  const today = ctx.today();
  await createAgreement(ctx, null, {
    organisationId: charity.id, purpose: '困难家庭慈善帮扶项目对接（演示）', allowedFields: ['category', 'members_basic', 'disability', 'serious_illness'],
    regionCode: countyCode, validFrom: addMonths(today, -1), validUntil: addMonths(today, 12),
  });
  // Consent from the first twenty households of the county, recorded as written consent.
  const consenting = await ctx.db.selectFrom('households').select('id').where('county_code', '=', countyCode).orderBy('id').limit(20).execute();
  if (consenting.length > 0) {
    await ctx.db
      .insertInto('consents')
      .values(consenting.map((h) => ({ id: newId(), household_id: h.id, organisation_id: charity.id, purpose: '慈善帮扶项目对接', given_on: addMonths(today, -1), method: 'written' as const })))
      .execute();
  }

  const scopes: Record<Role, { scope: string; org: string | null }> = {
    province_officer: { scope: '33', org: null },
    city_officer: { scope: cityCode, org: null },
    county_officer: { scope: countyCode, org: null },
    township_worker: { scope: townshipCode, org: null },
    consortium_coordinator: { scope: countyCode, org: null },
    department_liaison: { scope: countyCode, org: department.id },
    charity_staff: { scope: countyCode, org: charity.id },
    auditor: { scope: cityCode, org: null },
    system_admin: { scope: '33', org: null },
    security_admin: { scope: '33', org: null },
    audit_admin: { scope: '33', org: null },
    unassigned: { scope: '33', org: null },
  };
  const out: DemoAccount[] = [];
  for (const role of DEMO_ROLES) {
    const { scope, org } = scopes[role];
    const r = await createUser(ctx, null, { username: demoUsername(role), displayName: `演示·${ROLE_SPECS[role].label}`, role, scopeRegion: scope, organisationId: org });
    out.push({ role, username: r.user.username, password: r.initialPassword, scope });
  }
  return out;
}

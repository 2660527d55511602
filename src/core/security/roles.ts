/**
 * Roles, their permissions and their scope rules. Separation of the three administrators
 * (三员分立, GB/T 22239-2019 等保 2.0 level 3: system, security and audit administrators) holds by
 * construction: no role has two of their duties, and none of them reads household data.
 */

export const ROLES = [
  'province_officer',
  'city_officer',
  'county_officer',
  'township_worker',
  'consortium_coordinator',
  'department_liaison',
  'charity_staff',
  'auditor',
  'system_admin',
  'security_admin',
  'audit_admin',
  /** An account a system administrator created and a security administrator has not yet given a role. */
  'unassigned',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Read households in scope, masked. */
  'household.read',
  /** Register and edit households, members and records in scope. */
  'household.write',
  /** Add income, asset and expenditure records (department feeds) in scope. */
  'record.write',
  /** Run the means test. */
  'household.classify',
  /** See full names, ID numbers and phones, with a stated reason (audited). */
  'household.unmask',
  /** Read a household through a data-sharing agreement and the household's consent only. */
  'household.read_shared',
  /** Record or withdraw a household's consent. */
  'consent.write',
  /** Create and disable accounts (system administrator). */
  'user.manage',
  /** Assign roles and scopes; manage data-sharing agreements (security administrator). */
  'access.manage',
  /** Read and verify the audit trail (audit administrator). */
  'audit.read',
  /** Bulk runs (classify all) in scope. */
  'run.classify',
  /** Charity staff: the organisation's projects, incoming referrals, decisions and deliveries. */
  'charity.manage',
  /** County consortium (助联体): approve projects, the needs board, matching runs, pushes. */
  'charity.coordinate',
  /** Add, edit and close a household's needs (the portrait) and its plan, in scope. */
  'needs.write',
  /** Read duplicate-assistance findings of the benefit ledger in scope. */
  'finding.read',
  /** Run the duplicate-assistance check and resolve findings (auditor). */
  'finding.resolve',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The three administrator duties; an account holds at most one, and never household data. */
export const ADMIN_DUTIES: readonly Permission[] = ['user.manage', 'access.manage', 'audit.read'];

export interface RoleSpec {
  label: string;
  permissions: readonly Permission[];
  /** The region levels a user of this role may be scoped to. */
  scopeLevels: readonly ('province' | 'city' | 'county' | 'township' | 'village')[];
  /** Whether the account belongs to an organisation (charity or department). */
  needsOrganisation: boolean;
}

export const ROLE_SPECS: Record<Role, RoleSpec> = {
  province_officer: { label: '省级民政干部', permissions: ['household.read', 'household.write', 'household.classify', 'household.unmask', 'consent.write', 'run.classify', 'needs.write', 'finding.read'], scopeLevels: ['province'], needsOrganisation: false },
  city_officer: { label: '市级民政干部', permissions: ['household.read', 'household.write', 'household.classify', 'household.unmask', 'consent.write', 'run.classify', 'needs.write', 'finding.read'], scopeLevels: ['city'], needsOrganisation: false },
  county_officer: { label: '县级民政干部', permissions: ['household.read', 'household.write', 'household.classify', 'household.unmask', 'consent.write', 'run.classify', 'needs.write', 'finding.read'], scopeLevels: ['county'], needsOrganisation: false },
  township_worker: { label: '乡镇（街道）社工', permissions: ['household.read', 'household.write', 'household.classify', 'household.unmask', 'consent.write', 'needs.write'], scopeLevels: ['township', 'village'], needsOrganisation: false },
  consortium_coordinator: { label: '县级助联体协调员', permissions: ['household.read', 'household.classify', 'charity.coordinate'], scopeLevels: ['county'], needsOrganisation: false },
  department_liaison: { label: '部门联络员', permissions: ['record.write', 'household.read_shared'], scopeLevels: ['province', 'city', 'county'], needsOrganisation: true },
  charity_staff: { label: '慈善组织工作人员', permissions: ['household.read_shared', 'charity.manage'], scopeLevels: ['province', 'city', 'county'], needsOrganisation: true },
  auditor: { label: '监督审计人员', permissions: ['household.read', 'finding.read', 'finding.resolve'], scopeLevels: ['province', 'city', 'county'], needsOrganisation: false },
  system_admin: { label: '系统管理员', permissions: ['user.manage'], scopeLevels: ['province'], needsOrganisation: false },
  security_admin: { label: '安全管理员', permissions: ['access.manage'], scopeLevels: ['province'], needsOrganisation: false },
  audit_admin: { label: '安全审计员', permissions: ['audit.read'], scopeLevels: ['province'], needsOrganisation: false },
  unassigned: { label: '待分配角色', permissions: [], scopeLevels: ['province', 'city', 'county', 'township', 'village'], needsOrganisation: false },
};

/** A stored role name as a Role; anything unknown (a retired role) has no permissions. */
export function toRole(name: string): Role {
  return (ROLES as readonly string[]).includes(name) ? (name as Role) : 'unassigned';
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_SPECS[role].permissions.includes(permission);
}

/** Whether a region code lies inside a scope (a region subtree, by code prefix). */
export function inScope(scopeRegion: string, regionCode: string): boolean {
  return regionCode.startsWith(scopeRegion);
}

/** Kysely table types; they mirror the frozen migrations in ./migrations. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns are read and written as `YYYY-MM-DD` strings (a type parser makes it so). */
type DateCol = string;

export interface RegionsTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'township' | 'village';
  parent_code: string | null;
  is_mountain_county: boolean;
}
export interface PolicyVersionsTable {
  version: string;
  jurisdiction: string;
  document: ColumnType<unknown, string, string>;
  sha256: string;
  loaded_at: Timestamp;
}
export interface ImportBatchesTable {
  id: string;
  source_dept: string;
  kind: string;
  row_count: number;
  note: string | null;
  created_at: Timestamp;
}
export interface HouseholdsTable {
  id: string;
  region_code: string;
  county_code: string;
  residence_region_code: string | null;
  address: string | null;
  has_able_supporter: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Bumped by every change of the household or its members and records; the ETag (migration 0009). */
  version: Generated<number>;
}
export interface MembersTable {
  id: string;
  household_id: string;
  name: string;
  id_number: string;
  relation: string;
  sex: 'M' | 'F';
  birth_date: DateCol;
  disability_grade: number;
  serious_illness: boolean;
  labour_capacity: 'full' | 'partial' | 'none';
  schooling: string;
  deceased_on: DateCol | null;
  position: number;
  phone: string | null;
}
interface RecordProvenance {
  id: string;
  household_id: string;
  member_id: string | null;
  source_dept: string;
  batch_id: string | null;
  created_at: Timestamp;
}
export interface IncomeRecordsTable extends RecordProvenance {
  category: string;
  subtype: string;
  amount_fen: number;
  period_start: DateCol;
  period_end: DateCol;
}
export interface AssetRecordsTable extends RecordProvenance {
  kind: string;
  value_fen: number;
  floor_area_m2: number | null;
  is_disability_vehicle: boolean;
  as_of: DateCol;
}
export interface ExpenditureRecordsTable extends RecordProvenance {
  category: string;
  amount_fen: number;
  period_start: DateCol;
  period_end: DateCol;
}
export interface EmergencyEventsTable {
  id: string;
  household_id: string;
  kind: string;
  occurred_on: DateCol;
  source_dept: string;
  batch_id: string | null;
  created_at: Timestamp;
}
export interface ClassificationRunsTable {
  id: string;
  as_of: DateCol;
  region_code: string;
  policy_version: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  households: number;
}
export interface ClassificationResultsTable {
  id: string;
  household_id: string;
  run_id: string | null;
  as_of: DateCol;
  category: string;
  flags: string[];
  payment_fen: number;
  per_capita_income_fen: number;
  policy_version: string;
  facts: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}
export interface HouseholdStatusTable {
  household_id: string;
  result_id: string;
  category: string;
  flags: string[];
  payment_fen: number;
  as_of: DateCol;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  kind: string;
  credit_code: string | null;
  region_code: string;
  created_at: Timestamp;
  recognised_charity: Generated<boolean>;
  regions_served: Generated<string[]>;
}
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  scope_region: string;
  organisation_id: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  disabled: boolean;
  locked_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface LoginFailuresTable {
  user_id: string;
  at: Timestamp;
}
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  second_factor_done: boolean;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}
export interface SharingAgreementsTable {
  id: string;
  organisation_id: string;
  purpose: string;
  allowed_fields: string[];
  region_code: string;
  valid_from: DateCol;
  valid_until: DateCol;
  revoked_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
}
export interface ConsentsTable {
  id: string;
  household_id: string;
  organisation_id: string;
  purpose: string;
  given_on: DateCol;
  method: 'written' | 'electronic' | 'verbal_witnessed';
  withdrawn_on: DateCol | null;
  recorded_by: string | null;
  created_at: Timestamp;
}
export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor_id: string | null;
  role: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  purpose: string | null;
  result: 'ok' | 'denied' | 'error';
  request_id: string | null;
  prev_hash: string;
  hash: string;
}
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
/** Where the keyed audit chain starts and which key it uses (migration 0008, ADR 0006). */
export interface AuditKeyedTable {
  id: number;
  keyed_from: number;
  key_id: string | null;
}

export interface VisitsTable {
  id: string;
  household_id: string;
  alert_id: string | null;
  worker_id: string | null;
  visited_on: DateCol;
  findings: string[];
  notes: string | null;
  created_at: Timestamp;
}
export interface MonitoringRunsTable {
  id: string;
  as_of: DateCol;
  region_code: string;
  policy_version: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  households: number;
  at_risk: number;
  alerts_created: number;
}
export interface RiskSnapshotsTable {
  household_id: string;
  as_of: DateCol;
  run_id: string;
  score: number;
  level: 'green' | 'yellow' | 'orange' | 'red';
  mask: number;
  income_gap: number;
  property_gap: number;
  category: string | null;
  /** States stored before migration 0007: what the triggers compare, as JSON; null since. */
  snapshot: ColumnType<unknown, string | null | undefined, string | null>;
  population: Generated<'enrolled' | 'suspected' | 'general'>;
  population_reasons: Generated<string[]>;
  /** The members as the monitoring read built them (compact text; migration 0007); null on older rows. */
  members_state: ColumnType<string | null, string | null | undefined, string | null>;
  /** Counted income over the reference window, its wages part, recent medical spending, recent emergencies (migration 0007). */
  income_fen: ColumnType<number | null, number | null | undefined, number | null>;
  wages_fen: ColumnType<number | null, number | null | undefined, number | null>;
  medical_fen: ColumnType<number | null, number | null | undefined, number | null>;
  emergencies: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
}
export interface AlertsTable {
  id: string;
  household_id: string;
  region_code: string;
  cause: string;
  level: 'red' | 'orange' | 'yellow';
  status: 'new' | 'assigned' | 'visiting' | 'resolved' | 'dismissed';
  assignee_id: string | null;
  raised_on: DateCol;
  due_on: DateCol;
  escalated: boolean;
  outcome: 'enrolled' | 'referred' | 'no_need' | 'moved_away' | null;
  closing_reason: string | null;
  reasons: ColumnType<unknown, string, string>;
  run_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface AlertEventsTable {
  id: string;
  alert_id: string;
  action: string;
  actor_id: string | null;
  at: Timestamp;
  detail: string | null;
}
export interface RegionIndicesTable {
  run_id: string;
  region_code: string;
  households: number;
  h: number;
  a: number;
  m0: number;
  m1: number;
  m2: number;
  enrolled: Generated<number>;
  suspected: Generated<number>;
}
export interface FeedRecordsTable {
  source_dept: string;
  record_id: string;
  batch_id: string;
  /** Null for a record that named nobody in the sender's area (migration 0010: kept, not applied). */
  household_id: string | null;
  kind: string;
  occurred_on: DateCol;
}
export interface LedgerEntriesTable {
  id: string;
  source_dept: string;
  record_id: string;
  batch_id: string;
  household_id: string | null;
  member_id: string | null;
  link_status: 'linked' | 'unlinked';
  link_method: 'exact_id' | 'probabilistic' | null;
  link_probability: number | null;
  link_explanation: ColumnType<unknown, string | null, string | null>;
  id_number: string;
  name: string;
  programme: string;
  need_category: string;
  provider: string;
  provider_region: string;
  amount_fen: number;
  in_kind: boolean;
  basis_fen: number | null;
  period_start: DateCol;
  period_end: DateCol;
  created_at: Timestamp;
}
export interface LedgerFindingsTable {
  id: string;
  kind: 'dibao_two_places' | 'multi_provider' | 'over_cap' | 'after_death';
  group_key: string;
  evidence_key: string;
  household_id: string;
  member_id: string | null;
  region_code: string;
  need_category: string | null;
  entry_ids: string[];
  overlap_start: DateCol;
  overlap_end: DateCol;
  overlap_days: number;
  total_fen: number;
  excess_fen: number;
  detail: ColumnType<unknown, string, string>;
  status: 'open' | 'confirmed' | 'false_positive';
  raised_on: DateCol;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface RecoveryTasksTable {
  id: string;
  finding_id: string;
  amount_fen: number;
  department: string;
  status: 'open' | 'in_progress' | 'recovered' | 'written_off';
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ReferralsTable {
  id: string;
  household_id: string;
  reason: 'rejected_application' | 'department_referral';
  source_dept: string;
  referred_on: DateCol;
  batch_id: string | null;
  created_at: Timestamp;
}

// Charity (migration 0006).
export interface CharityProjectsTable {
  id: string;
  organisation_id: string;
  title: string;
  description: Generated<string>;
  brand: string | null;
  categories: string[];
  eligibility: ColumnType<unknown, string, string>;
  region_code: string;
  capacity: number;
  budget_fen: number;
  cost_per_beneficiary_fen: number;
  starts_on: DateCol;
  ends_on: DateCol;
  status: Generated<'draft' | 'submitted' | 'approved' | 'published' | 'closed'>;
  status_reason: string | null;
  approved_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface NeedsTable {
  id: string;
  household_id: string;
  region_code: string;
  category: string;
  severity: number;
  source: 'derived' | 'worker';
  evidence: ColumnType<unknown, string, string>;
  status: Generated<'open' | 'planned' | 'met' | 'closed'>;
  status_reason: string | null;
  edited_by_worker: Generated<boolean>;
  opened_on: DateCol;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Bumped by every change of the need; the version a worker's edit sends in If-Match (migration 0009). */
  version: Generated<number>;
}
export interface MatchingRunsTable {
  id: string;
  county_code: string;
  as_of: DateCol;
  policy_version: string;
  mountain_uplift: number;
  status: string;
  optimality_gap: number;
  objective: number;
  greedy_objective: number;
  needs: number;
  projects: number;
  eligible_pairs: number;
  matched: number;
  greedy_matched: number;
  project_use: ColumnType<unknown, string, string>;
  ms: number;
  created_by: string | null;
  created_at: Timestamp;
}
export interface MatchingResultsTable {
  run_id: string;
  need_id: string;
  household_id: string;
  project_id: string | null;
  priority: number;
  adjusted_priority: number;
  explanation: ColumnType<unknown, string, string>;
}
export interface CharityReferralsTable {
  id: string;
  run_id: string | null;
  need_id: string;
  household_id: string;
  project_id: string;
  organisation_id: string;
  category: string;
  status: Generated<'proposed' | 'accepted' | 'declined' | 'delivered'>;
  explanation: ColumnType<unknown, string, string>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  delivered_on: DateCol | null;
  amount_fen: number | null;
  items: string | null;
  volunteer_hours: number | null;
  created_at: Timestamp;
}
export interface SupportPlansTable {
  household_id: string;
  version: number;
  owner_id: string | null;
  review_on: DateCol | null;
  tasks: ColumnType<unknown, string, string>;
  updated_by: string | null;
  updated_at: Timestamp;
}
export interface SupportPlanVersionsTable {
  household_id: string;
  version: number;
  owner_id: string | null;
  review_on: DateCol | null;
  tasks: ColumnType<unknown, string, string>;
  note: string | null;
  changed_by: string | null;
  changed_at: Timestamp;
}

export interface Database {
  ledger_entries: LedgerEntriesTable;
  ledger_findings: LedgerFindingsTable;
  recovery_tasks: RecoveryTasksTable;
  charity_projects: CharityProjectsTable;
  needs: NeedsTable;
  matching_runs: MatchingRunsTable;
  matching_results: MatchingResultsTable;
  charity_referrals: CharityReferralsTable;
  support_plans: SupportPlansTable;
  support_plan_versions: SupportPlanVersionsTable;
  feed_records: FeedRecordsTable;
  referrals: ReferralsTable;
  visits: VisitsTable;
  monitoring_runs: MonitoringRunsTable;
  risk_snapshots: RiskSnapshotsTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  region_indices: RegionIndicesTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  login_failures: LoginFailuresTable;
  sessions: SessionsTable;
  sharing_agreements: SharingAgreementsTable;
  consents: ConsentsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_keyed: AuditKeyedTable;
  regions: RegionsTable;
  policy_versions: PolicyVersionsTable;
  import_batches: ImportBatchesTable;
  households: HouseholdsTable;
  members: MembersTable;
  income_records: IncomeRecordsTable;
  asset_records: AssetRecordsTable;
  expenditure_records: ExpenditureRecordsTable;
  emergency_events: EmergencyEventsTable;
  classification_runs: ClassificationRunsTable;
  classification_results: ClassificationResultsTable;
  household_status: HouseholdStatusTable;
}

export type HouseholdRow = Selectable<HouseholdsTable>;
export type MemberRow = Selectable<MembersTable>;
export type NewMember = Insertable<MembersTable>;
export type IncomeRow = Selectable<IncomeRecordsTable>;
export type AssetRow = Selectable<AssetRecordsTable>;
export type ExpenditureRow = Selectable<ExpenditureRecordsTable>;
export type EmergencyRow = Selectable<EmergencyEventsTable>;
export type ClassificationRow = Selectable<ClassificationResultsTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type AgreementRow = Selectable<SharingAgreementsTable>;
export type ConsentRow = Selectable<ConsentsTable>;
export type OrganisationRow = Selectable<OrganisationsTable>;
export type { Generated };

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

export interface Database {
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
export type { Generated };

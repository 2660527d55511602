/** Households with their members and records: the registry aggregate. */
import { sql, type Kysely } from 'kysely';
import type { Household } from '../../core/household/household.js';
import type {
  AssetRow, Database, EmergencyRow, ExpenditureRow, HouseholdRow, IncomeRow, MemberRow,
} from '../schema.js';

export interface HouseholdAggregate {
  household: HouseholdRow;
  members: MemberRow[];
  incomes: IncomeRow[];
  assets: AssetRow[];
  expenditures: ExpenditureRow[];
  emergencies: EmergencyRow[];
}

export interface HouseholdListFilter {
  regionPrefix?: string | undefined;
  category?: string | undefined;
  limit: number;
  offset: number;
}

export interface HouseholdListRow {
  id: string;
  region_code: string;
  county_code: string;
  village_name: string;
  county_name: string;
  is_mountain_county: boolean;
  head_name: string | null;
  member_count: number;
  category: string | null;
  flags: string[] | null;
  payment_fen: number | null;
  as_of: string | null;
}

type Db = Kysely<Database>;

/** Registry reads and writes. Give it a transaction to make several writes atomic. */
export class HouseholdRepository {
  constructor(private readonly db: Db) {}

  async insertHousehold(row: Omit<HouseholdRow, 'created_at' | 'updated_at' | 'version'>): Promise<void> {
    await this.db.insertInto('households').values(row).execute();
  }

  async updateHousehold(id: string, patch: Partial<Pick<HouseholdRow, 'region_code' | 'county_code' | 'residence_region_code' | 'address' | 'has_able_supporter'>>): Promise<boolean> {
    const r = await this.db.updateTable('households').set({ ...patch, updated_at: new Date() }).where('id', '=', id).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /**
   * Marks a change of the household (its row, members or records): the next version, and the row
   * locked until the transaction ends (concurrent changes of one household run one at a time).
   * With `expectedVersion` (the client's If-Match) nothing changes unless the household still
   * has that version: false then (or when there is no such household).
   */
  async touch(id: string, expectedVersion?: number): Promise<boolean> {
    let q = this.db.updateTable('households').set((eb) => ({ updated_at: new Date(), version: eb('version', '+', 1) })).where('id', '=', id);
    if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
    const r = await q.executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async insertMembers(rows: MemberRow[]): Promise<void> {
    if (rows.length > 0) await this.db.insertInto('members').values(rows).execute();
  }

  async updateMember(householdId: string, memberId: string, patch: Partial<Omit<MemberRow, 'id' | 'household_id' | 'id_number'>>): Promise<boolean> {
    // A patch naming no field changes nothing (and an UPDATE needs a column): the member need only exist.
    if (Object.keys(patch).length === 0) return this.memberBelongs(householdId, memberId);
    const r = await this.db.updateTable('members').set(patch).where('id', '=', memberId).where('household_id', '=', householdId).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Of the given ID numbers, those already registered, with their household (for the one-household rule). */
  async findMembersByIdNumbers(idNumbers: readonly string[]): Promise<{ id_number: string; household_id: string }[]> {
    if (idNumbers.length === 0) return [];
    return this.db.selectFrom('members').select(['id_number', 'household_id']).where('id_number', 'in', idNumbers).execute();
  }

  async memberBelongs(householdId: string, memberId: string): Promise<boolean> {
    const r = await this.db.selectFrom('members').select('id').where('id', '=', memberId).where('household_id', '=', householdId).executeTakeFirst();
    return r !== undefined;
  }

  async exists(id: string, scope?: string): Promise<boolean> {
    return (await this.regionOf(id, scope)) !== undefined;
  }

  /**
   * The household's village code, or undefined when there is no such household — or when it lies
   * outside `scope` (a region code prefix): out of scope answers exactly like missing.
   */
  async regionOf(id: string, scope?: string): Promise<string | undefined> {
    let q = this.db.selectFrom('households').select('region_code').where('id', '=', id);
    if (scope) q = q.where('region_code', 'like', `${scope}%`);
    return (await q.executeTakeFirst())?.region_code;
  }

  async insertIncome(row: Omit<IncomeRow, 'created_at'>): Promise<void> {
    await this.db.insertInto('income_records').values(row).execute();
  }
  async insertAsset(row: Omit<AssetRow, 'created_at'>): Promise<void> {
    await this.db.insertInto('asset_records').values(row).execute();
  }
  async insertExpenditure(row: Omit<ExpenditureRow, 'created_at'>): Promise<void> {
    await this.db.insertInto('expenditure_records').values(row).execute();
  }
  async insertEmergency(row: Omit<EmergencyRow, 'created_at'>): Promise<void> {
    await this.db.insertInto('emergency_events').values(row).execute();
  }

  /** One household with everything recorded about it, or undefined. */
  async findById(id: string, scope?: string): Promise<HouseholdAggregate | undefined> {
    let q = this.db.selectFrom('households').selectAll().where('id', '=', id);
    if (scope) q = q.where('region_code', 'like', `${scope}%`);
    const household = await q.executeTakeFirst();
    if (!household) return undefined;
    const [agg] = await this.loadAggregates([household]);
    return agg;
  }

  /** Households in id order after `afterId`, with their records; for bulk classification. */
  async findChunk(afterId: string | null, limit: number, regionPrefix?: string): Promise<HouseholdAggregate[]> {
    let q = this.db.selectFrom('households').selectAll().orderBy('id').limit(limit);
    if (afterId) q = q.where('id', '>', afterId);
    if (regionPrefix) q = q.where('region_code', 'like', `${regionPrefix}%`);
    return this.loadAggregates(await q.execute());
  }

  /**
   * Households in id order after `afterId` as the means test reads them, selecting only the columns
   * it uses (no timestamps, provenance or names): the bulk run's read path.
   */
  async findMeansTestChunk(afterId: string | null, limit: number, regionPrefix?: string): Promise<Household[]> {
    let q = this.db.selectFrom('households').select(['id', 'region_code', 'has_able_supporter']).orderBy('id').limit(limit);
    if (afterId) q = q.where('id', '>', afterId);
    if (regionPrefix) q = q.where('region_code', 'like', `${regionPrefix}%`);
    const households = await q.execute();
    if (households.length === 0) return [];
    const ids = households.map((h) => h.id);
    const inIds = sql<boolean>`household_id = ANY(${ids}::uuid[])`;
    const [members, incomes, assets, expenditures, emergencies] = await Promise.all([
      this.db.selectFrom('members').select(['id', 'household_id', 'relation', 'birth_date', 'disability_grade', 'serious_illness', 'labour_capacity', 'deceased_on']).where(inIds).orderBy('position').execute(),
      this.db.selectFrom('income_records').select(['household_id', 'member_id', 'category', 'subtype', 'amount_fen', 'period_start', 'period_end']).where(inIds).execute(),
      this.db.selectFrom('asset_records').select(['household_id', 'kind', 'value_fen', 'floor_area_m2', 'is_disability_vehicle', 'as_of']).where(inIds).execute(),
      this.db.selectFrom('expenditure_records').select(['household_id', 'category', 'amount_fen', 'period_start', 'period_end']).where(inIds).execute(),
      this.db.selectFrom('emergency_events').select(['household_id', 'kind', 'occurred_on']).where(inIds).execute(),
    ]);
    const byId = new Map<string, Household>(
      households.map((h) => [h.id, { id: h.id, regionCode: h.region_code, hasAbleSupporter: h.has_able_supporter, members: [], incomes: [], assets: [], expenditures: [], emergencies: [] }]),
    );
    type M = Household['members'][number];
    for (const m of members) {
      byId.get(m.household_id)?.members.push({
        id: m.id, name: '', idNumber: '', relation: m.relation as M['relation'], sex: 'M', birthDate: m.birth_date, disabilityGrade: m.disability_grade as M['disabilityGrade'],
        seriousIllness: m.serious_illness, labourCapacity: m.labour_capacity, schooling: 'none', deceasedOn: m.deceased_on,
      });
    }
    for (const r of incomes) {
      byId.get(r.household_id)?.incomes.push({
        id: '', memberId: r.member_id, category: r.category as Household['incomes'][number]['category'], subtype: r.subtype, amountFen: r.amount_fen,
        periodStart: r.period_start, periodEnd: r.period_end, sourceDept: '',
      });
    }
    for (const r of assets) {
      byId.get(r.household_id)?.assets.push({
        id: '', kind: r.kind as Household['assets'][number]['kind'], valueFen: r.value_fen, floorAreaM2: r.floor_area_m2, isDisabilityVehicle: r.is_disability_vehicle, asOf: r.as_of, sourceDept: '',
      });
    }
    for (const r of expenditures) {
      byId.get(r.household_id)?.expenditures.push({
        id: '', category: r.category as Household['expenditures'][number]['category'], amountFen: r.amount_fen, periodStart: r.period_start, periodEnd: r.period_end, sourceDept: '',
      });
    }
    for (const e of emergencies) byId.get(e.household_id)?.emergencies.push({ kind: e.kind as Household['emergencies'][number]['kind'], occurredOn: e.occurred_on });
    return [...byId.values()];
  }

  private async loadAggregates(households: HouseholdRow[]): Promise<HouseholdAggregate[]> {
    if (households.length === 0) return [];
    const ids = households.map((h) => h.id);
    const inIds = sql<boolean>`household_id = ANY(${ids}::uuid[])`;
    const [members, incomes, assets, expenditures, emergencies] = await Promise.all([
      this.db.selectFrom('members').selectAll().where(inIds).orderBy('position').execute(),
      this.db.selectFrom('income_records').selectAll().where(inIds).orderBy('period_start').execute(),
      this.db.selectFrom('asset_records').selectAll().where(inIds).orderBy('as_of').execute(),
      this.db.selectFrom('expenditure_records').selectAll().where(inIds).orderBy('period_start').execute(),
      this.db.selectFrom('emergency_events').selectAll().where(inIds).orderBy('occurred_on').execute(),
    ]);
    const byId = new Map<string, HouseholdAggregate>(
      households.map((h) => [h.id, { household: h, members: [], incomes: [], assets: [], expenditures: [], emergencies: [] }]),
    );
    for (const m of members) byId.get(m.household_id)?.members.push(m);
    for (const r of incomes) byId.get(r.household_id)?.incomes.push(r);
    for (const r of assets) byId.get(r.household_id)?.assets.push(r);
    for (const r of expenditures) byId.get(r.household_id)?.expenditures.push(r);
    for (const r of emergencies) byId.get(r.household_id)?.emergencies.push(r);
    return [...byId.values()];
  }

  /** A page of households with their current classification, filtered by region and category. */
  /**
   * A page of households under a region (optionally of one current category) and the total, in
   * one statement: the list is the platform's most frequent read, and each round trip counts.
   */
  async list(f: HouseholdListFilter): Promise<{ rows: HouseholdListRow[]; total: number }> {
    const region = f.regionPrefix ? sql`h.region_code LIKE ${`${f.regionPrefix}%`}` : sql`true`;
    const category = f.category ? sql`s.category = ${f.category}` : sql`true`;
    const r = await sql<HouseholdListRow & { total: number; id: string | null }>`
      WITH filtered AS (
        SELECT h.id FROM households h LEFT JOIN household_status s ON s.household_id = h.id
        WHERE ${region} AND ${category}
      ), page AS (
        SELECT id FROM filtered ORDER BY id LIMIT ${f.limit} OFFSET ${f.offset}
      )
      SELECT t.total, x.* FROM (SELECT count(*) AS total FROM filtered) t
      LEFT JOIN LATERAL (
        SELECT h.id, h.region_code, h.county_code, v.name AS village_name, c.name AS county_name, c.is_mountain_county,
               s.category, s.flags, s.payment_fen, s.as_of,
               (SELECT m.name FROM members m WHERE m.household_id = h.id AND m.relation = 'head' LIMIT 1) AS head_name,
               (SELECT count(*) FROM members m WHERE m.household_id = h.id) AS member_count
        FROM page p
        JOIN households h ON h.id = p.id
        JOIN regions v ON v.code = h.region_code
        JOIN regions c ON c.code = h.county_code
        LEFT JOIN household_status s ON s.household_id = h.id
      ) x ON true
      ORDER BY x.id`.execute(this.db);
    const total = r.rows[0]?.total ?? 0;
    const rows = r.rows.filter((row): row is typeof row & { id: string } => row.id !== null);
    return {
      rows: rows.map(({ total: _total, ...row }) => ({ ...row, member_count: row.member_count ?? 0 })),
      total,
    };
  }

  /** Counts of households by current category under a region. */
  async countByCategory(regionPrefix?: string): Promise<{ category: string | null; n: number }[]> {
    let q = this.db
      .selectFrom('households as h')
      .leftJoin('household_status as s', 's.household_id', 'h.id')
      .select(['s.category'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('s.category');
    if (regionPrefix) q = q.where('h.region_code', 'like', `${regionPrefix}%`);
    const rows = await q.execute();
    return rows;
  }
}

/** The core model of a stored household (what the means test reads). */
export function toCoreHousehold(a: HouseholdAggregate): Household {
  return {
    id: a.household.id,
    regionCode: a.household.region_code,
    residenceRegionCode: a.household.residence_region_code,
    address: a.household.address,
    hasAbleSupporter: a.household.has_able_supporter,
    members: a.members.map((m) => ({
      id: m.id,
      name: m.name,
      idNumber: m.id_number,
      relation: m.relation as Household['members'][number]['relation'],
      sex: m.sex,
      birthDate: m.birth_date,
      disabilityGrade: m.disability_grade as 0 | 1 | 2 | 3 | 4,
      seriousIllness: m.serious_illness,
      labourCapacity: m.labour_capacity,
      schooling: m.schooling as Household['members'][number]['schooling'],
      deceasedOn: m.deceased_on,
    })),
    incomes: a.incomes.map((r) => ({
      id: r.id, memberId: r.member_id, category: r.category as Household['incomes'][number]['category'], subtype: r.subtype,
      amountFen: r.amount_fen, periodStart: r.period_start, periodEnd: r.period_end, sourceDept: r.source_dept, batchId: r.batch_id,
    })),
    assets: a.assets.map((r) => ({
      id: r.id, memberId: r.member_id, kind: r.kind as Household['assets'][number]['kind'], valueFen: r.value_fen,
      floorAreaM2: r.floor_area_m2, isDisabilityVehicle: r.is_disability_vehicle, asOf: r.as_of, sourceDept: r.source_dept, batchId: r.batch_id,
    })),
    expenditures: a.expenditures.map((r) => ({
      id: r.id, memberId: r.member_id, category: r.category as Household['expenditures'][number]['category'], amountFen: r.amount_fen,
      periodStart: r.period_start, periodEnd: r.period_end, sourceDept: r.source_dept, batchId: r.batch_id,
    })),
    emergencies: a.emergencies.map((e) => ({ kind: e.kind as Household['emergencies'][number]['kind'], occurredOn: e.occurred_on })),
  };
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parametersAt } from '../policy/parameters.js';
import { classifyHousehold } from './classify.js';
import { computeFacts } from './facts.js';
import { allocateFactColumns, classifyBatch, decodeCategory, decodeFlags, setFactRow } from './batch.js';
import type { Thresholds } from './thresholds.js';
import { ParameterTable } from './parameter-table.js';
import { testPolicyBook } from './fixtures.js';
import { EMERGENCY_KINDS, EXPENDITURE_CATEGORIES, type Household } from '../household/household.js';
import { fromDayNumber, dayNumber } from '../dates/dates.js';

const book = testPolicyBook();
const day0 = dayNumber('2023-01-01');
const dateArb = fc.integer({ min: 0, max: 1000 }).map((d) => fromDayNumber(day0 + d));
const periodArb = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 400 })).map(([s, len]) => [fromDayNumber(day0 + s), fromDayNumber(day0 + s + len)] as const);
// Amounts cluster near the thresholds so boundaries are exercised, not just the easy middle.
const amountArb = fc.oneof(fc.integer({ min: 0, max: 20_000_000 }), fc.constantFrom(114_900 * 12, 229_800 * 12, 172_350 * 12, 114_900 * 24 - 1, 0));

const householdArb: fc.Arbitrary<Household> = fc.record({
  id: fc.constant('h'),
  regionCode: fc.constantFrom('330106001001', '330127100201', '330212001001'),
  hasAbleSupporter: fc.boolean(),
  members: fc.array(
    fc.record({
      id: fc.uuid(),
      name: fc.constant('x'),
      idNumber: fc.constant(''),
      relation: fc.constant('head' as const),
      sex: fc.constantFrom('M' as const, 'F' as const),
      birthDate: fc.integer({ min: -30_000, max: 19_000 }).map(fromDayNumber),
      disabilityGrade: fc.constantFrom(0 as const, 0 as const, 1 as const, 2 as const, 3 as const, 4 as const),
      seriousIllness: fc.boolean(),
      labourCapacity: fc.constantFrom('full' as const, 'partial' as const, 'none' as const),
      schooling: fc.constant('none' as const),
      deceasedOn: fc.option(dateArb, { nil: null }),
    }),
    { minLength: 0, maxLength: 6 },
  ),
  incomes: fc.array(
    fc.tuple(periodArb, amountArb, fc.constantFrom('wages', 'business', 'property', 'transfer', 'deduction'), fc.constantFrom('salary', 'care_allowance', 'social_insurance_paid', 'rent')).map(
      ([[s, e], amountFen, category, subtype]) => ({ id: 'i', category: category as 'wages', subtype, amountFen, periodStart: s, periodEnd: e, sourceDept: 'hrss' }),
    ),
    { maxLength: 6 },
  ),
  assets: fc.array(
    fc.record({
      id: fc.constant('a'),
      kind: fc.constantFrom('deposit', 'securities', 'vehicle', 'boat', 'commercial_property', 'residence') as fc.Arbitrary<'deposit'>,
      valueFen: fc.integer({ min: 0, max: 20_000_000 }),
      floorAreaM2: fc.integer({ min: 10, max: 200 }),
      isDisabilityVehicle: fc.boolean(),
      asOf: dateArb,
      sourceDept: fc.constant('bank'),
    }),
    { maxLength: 4 },
  ),
  expenditures: fc.array(
    fc.tuple(periodArb, fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(...EXPENDITURE_CATEGORIES)).map(([[s, e], amountFen, category]) => ({
      id: 'x', category, amountFen, periodStart: s, periodEnd: e, sourceDept: 'healthcare_security',
    })),
    { maxLength: 4 },
  ),
  emergencies: fc.array(fc.record({ kind: fc.constantFrom(...EMERGENCY_KINDS), occurredOn: dateArb }), { maxLength: 2 }),
});

describe('classifyBatch', () => {
  it('gives the same category, flags, payment and per-capita income as the one-household form', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(householdArb, fc.constantFrom('2024-06-30', '2024-07-01', '2025-06-30', '2025-12-31')), { minLength: 1, maxLength: 40 }), (rows) => {
        const cols = allocateFactColumns(rows.length);
        const tables = new Map<string, ParameterTable>();
        const offsets = new Map<string, number>();
        const thresholds: Thresholds[] = [];
        const singles = rows.map(([h, asOf], i) => {
          // One table per date; their thresholds are concatenated so each row indexes one list.
          let t = tables.get(asOf);
          if (!t) tables.set(asOf, (t = new ParameterTable(book, asOf)));
          const { params, index } = t.forRegion(h.regionCode);
          const key = `${asOf}#${index}`;
          let pi = offsets.get(key);
          if (pi === undefined) {
            pi = thresholds.length;
            thresholds.push(t.thresholds[index]!);
            offsets.set(key, pi);
          }
          setFactRow(cols, i, computeFacts(h, params.values, asOf), pi);
          return classifyHousehold(h, params, asOf);
        });
        const out = classifyBatch(cols, thresholds);
        singles.forEach((s, i) => {
          expect(decodeCategory(out.category[i]!)).toBe(s.category);
          expect(decodeFlags(out.flags[i]!)).toEqual(s.flags);
          expect(out.paymentFen[i]).toBe(s.paymentFen);
          expect(out.perCapitaMonthlyIncomeFen[i]).toBe(s.perCapitaMonthlyIncomeFen);
        });
      }),
      { numRuns: 300 },
    );
  });
  it('payment is integer fen and never negative', () => {
    fc.assert(
      fc.property(householdArb, (h) => {
        const r = classifyHousehold(h, parametersAt(book, h.regionCode, '2025-06-30'), '2025-06-30');
        expect(Number.isInteger(r.paymentFen)).toBe(true);
        expect(r.paymentFen).toBeGreaterThanOrEqual(0);
        expect(r.trace.length).toBe(16);
      }),
      { numRuns: 300 },
    );
  });
});

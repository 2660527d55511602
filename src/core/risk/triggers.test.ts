import { describe, expect, it } from 'vitest';
import { detectTriggers, stateMoved, type MonitoringSnapshot } from './triggers.js';

const P = { incomeDropRatio: 0.3, largeMedicalBillFen: 2_000_000, severeDisabilityMaxGrade: 2 };
const snap = (o: Partial<MonitoringSnapshot> = {}): MonitoringSnapshot => ({
  asOf: '2026-10-31',
  householdIncomeFen: 3_000_000,
  wagesFen: 2_400_000,
  recentMedicalFen: 0,
  members: [
    { id: 'm1', disabilityGrade: 0, seriousIllness: false, labourCapacity: 'full', deceased: false },
    { id: 'm2', disabilityGrade: 4, seriousIllness: false, labourCapacity: 'partial', deceased: false },
  ],
  emergencies: [],
  ...o,
});
const kinds = (prev: MonitoringSnapshot | null, cur: MonitoringSnapshot) => detectTriggers(prev, cur, P).map((t) => t.kind);

describe('change triggers', () => {
  it('income drop strictly beyond 30 %', () => {
    expect(kinds(snap(), snap({ householdIncomeFen: 2_100_000 }))).toEqual([]);
    expect(detectTriggers(snap(), snap({ householdIncomeFen: 2_099_999 }), P)).toEqual([
      { kind: 'income_drop', memberId: null, from: 3_000_000, to: 2_099_999, temporaryAssistance: false },
    ]);
  });
  it('job loss when wages fall to zero', () => {
    expect(kinds(snap(), snap({ wagesFen: 0, householdIncomeFen: 2_500_000 }))).toEqual(['job_loss']);
  });
  it('a large medical bill at the threshold, once', () => {
    expect(kinds(snap(), snap({ recentMedicalFen: 1_999_999 }))).toEqual([]);
    expect(kinds(snap(), snap({ recentMedicalFen: 2_000_000 }))).toEqual(['large_medical_bill']);
    expect(kinds(snap({ recentMedicalFen: 2_500_000 }), snap({ recentMedicalFen: 2_600_000 }))).toEqual([]);
  });
  it('new disability, a worsening to severe, new serious illness', () => {
    const cur = snap({
      members: [
        { id: 'm1', disabilityGrade: 3, seriousIllness: true, labourCapacity: 'full', deceased: false },
        { id: 'm2', disabilityGrade: 2, seriousIllness: false, labourCapacity: 'partial', deceased: false },
      ],
    });
    expect(detectTriggers(snap(), cur, P).map((t) => [t.kind, t.memberId, t.from, t.to])).toEqual([
      ['new_disability', 'm1', 0, 3],
      ['new_serious_illness', 'm1', false, true],
      ['new_disability', 'm2', 4, 2],
    ]);
  });
  it('death of an earner (a member with labour capacity), with temporary assistance', () => {
    const cur = snap({ members: [{ id: 'm1', disabilityGrade: 0, seriousIllness: false, labourCapacity: 'full', deceased: true }, snap().members[1]!] });
    expect(detectTriggers(snap(), cur, P)).toEqual([{ kind: 'death_of_earner', memberId: 'm1', from: 'full', to: 'deceased', temporaryAssistance: true }]);
  });
  it('a sudden event from a department feed, once per event', () => {
    expect(kinds(snap(), snap({ emergencies: ['fire'] }))).toEqual(['sudden_event']);
    expect(kinds(snap({ emergencies: ['fire'] }), snap({ emergencies: ['fire'] }))).toEqual([]);
    // The same emergency reported twice (two departments) is one trigger.
    expect(kinds(snap(), snap({ emergencies: ['fire', 'fire', 'accident'] }))).toEqual(['sudden_event', 'sudden_event']);
  });
  it('a first run compares with nothing but still sees bills and events', () => {
    expect(kinds(null, snap({ householdIncomeFen: 0, recentMedicalFen: 3_000_000, emergencies: ['accident'] }))).toEqual(['large_medical_bill', 'sudden_event']);
  });
});

describe('stateMoved', () => {
  it('ignores the date and daily drift, and notices what the triggers watch', () => {
    expect(stateMoved(snap(), { ...snap(), asOf: '2030-01-01' }, P)).toBe(false);
    // Income: 30 % of 3,000,000 is 900,000 — exactly the ratio does not move, one fen more does, either way.
    expect(stateMoved(snap(), snap({ householdIncomeFen: 2_100_000 }), P)).toBe(false);
    expect(stateMoved(snap(), snap({ householdIncomeFen: 2_099_999 }), P)).toBe(true);
    expect(stateMoved(snap(), snap({ householdIncomeFen: 3_900_000 }), P)).toBe(false);
    expect(stateMoved(snap(), snap({ householdIncomeFen: 3_900_001 }), P)).toBe(true);
    expect(stateMoved(snap(), snap({ wagesFen: 1 }), P)).toBe(false);
    expect(stateMoved(snap(), snap({ wagesFen: 0 }), P)).toBe(true);
    expect(stateMoved(snap(), snap({ recentMedicalFen: 1_999_999 }), P)).toBe(false);
    expect(stateMoved(snap(), snap({ recentMedicalFen: 2_000_000 }), P)).toBe(true);
    expect(stateMoved(snap({ recentMedicalFen: 2_500_000 }), snap({ recentMedicalFen: 1_000_000 }), P)).toBe(true);
    expect(stateMoved(snap(), snap({ emergencies: ['fire'] }), P)).toBe(true);
    expect(stateMoved(snap(), snap({ members: snap().members.slice(1) }), P)).toBe(true);
    for (const change of [{ disabilityGrade: 2 }, { seriousIllness: true }, { labourCapacity: 'none' }, { deceased: true }, { id: 'other' }] as const) {
      expect(stateMoved(snap(), snap({ members: [{ ...snap().members[0]!, ...change }, snap().members[1]!] }), P)).toBe(true);
    }
  });
});

/**
 * Change triggers (变化触发): what changed in a household since the previous monitoring snapshot,
 * from what to what. A trigger raises an alert of its own cause and may flag temporary assistance.
 */

export interface SnapshotMember {
  id: string;
  disabilityGrade: number;
  seriousIllness: boolean;
  labourCapacity: 'full' | 'partial' | 'none';
  deceased: boolean;
}

/** The part of a household the triggers compare between two runs. Money in fen. */
export interface MonitoringSnapshot {
  asOf: string;
  householdIncomeFen: number;
  wagesFen: number;
  /** Medical spending in the recent window (out of pocket). */
  recentMedicalFen: number;
  members: SnapshotMember[];
  /** Emergencies reported in the recent window (department feed or worker). */
  emergencies: string[];
}

export interface TriggerParams {
  /** Income drop that triggers, as a share of the previous income (e.g. 0.3 = 30 %). */
  incomeDropRatio: number;
  /** A recent medical bill at or above this many fen triggers. */
  largeMedicalBillFen: number;
  /** Severe disability grades (1 … this) count as a new severe disability. */
  severeDisabilityMaxGrade: number;
}

export const TRIGGER_KINDS = ['income_drop', 'job_loss', 'large_medical_bill', 'new_disability', 'new_serious_illness', 'death_of_earner', 'sudden_event'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface Trigger {
  kind: TriggerKind;
  memberId: string | null;
  from: number | string | boolean | null;
  to: number | string | boolean | null;
  /** Whether it flags temporary assistance (临时救助). */
  temporaryAssistance: boolean;
}

/** The triggers between the previous snapshot (null on a household's first run) and this one. */
export function detectTriggers(prev: MonitoringSnapshot | null, cur: MonitoringSnapshot, p: TriggerParams): Trigger[] {
  const out: Trigger[] = [];
  if (prev) {
    // Income drop beyond the threshold (strict: a drop of exactly the ratio does not trigger).
    if (prev.householdIncomeFen > 0 && (prev.householdIncomeFen - cur.householdIncomeFen) > p.incomeDropRatio * prev.householdIncomeFen) {
      out.push({ kind: 'income_drop', memberId: null, from: prev.householdIncomeFen, to: cur.householdIncomeFen, temporaryAssistance: false });
    }
    if (prev.wagesFen > 0 && cur.wagesFen === 0) out.push({ kind: 'job_loss', memberId: null, from: prev.wagesFen, to: 0, temporaryAssistance: false });
    const before = new Map(prev.members.map((m) => [m.id, m]));
    for (const m of cur.members) {
      const b = before.get(m.id);
      if (!b) continue;
      const wasSevere = b.disabilityGrade > 0 && b.disabilityGrade <= p.severeDisabilityMaxGrade;
      const isSevere = m.disabilityGrade > 0 && m.disabilityGrade <= p.severeDisabilityMaxGrade;
      if ((b.disabilityGrade === 0 && m.disabilityGrade > 0) || (!wasSevere && isSevere)) {
        out.push({ kind: 'new_disability', memberId: m.id, from: b.disabilityGrade, to: m.disabilityGrade, temporaryAssistance: false });
      }
      if (!b.seriousIllness && m.seriousIllness) out.push({ kind: 'new_serious_illness', memberId: m.id, from: false, to: true, temporaryAssistance: true });
      if (!b.deceased && m.deceased && b.labourCapacity !== 'none') {
        out.push({ kind: 'death_of_earner', memberId: m.id, from: b.labourCapacity, to: 'deceased', temporaryAssistance: true });
      }
    }
  }
  if (cur.recentMedicalFen >= p.largeMedicalBillFen && (prev === null || prev.recentMedicalFen < p.largeMedicalBillFen)) {
    out.push({ kind: 'large_medical_bill', memberId: null, from: prev?.recentMedicalFen ?? null, to: cur.recentMedicalFen, temporaryAssistance: true });
  }
  const known = new Set(prev?.emergencies ?? []);
  // One trigger per new kind: the same emergency reported twice (two departments) is one event.
  for (const e of new Set(cur.emergencies)) {
    if (!known.has(e)) out.push({ kind: 'sudden_event', memberId: null, from: null, to: e, temporaryAssistance: true });
  }
  return out;
}

/**
 * Whether a household's state moved far enough from its stored snapshot to store a new one (the
 * date aside): a member's state or the recent emergencies changed, or a watched amount crossed the
 * threshold its trigger compares with — income by more than the drop ratio either way, wages to or
 * from zero, recent medical spending across the large-bill line. Pro-rated amounts drift a little
 * every day as the windows move; the triggers compare with the stored snapshot, so a slow decline
 * is caught once it adds up to the ratio.
 */
export function stateMoved(prev: MonitoringSnapshot, cur: MonitoringSnapshot, p: TriggerParams): boolean {
  if (Math.abs(cur.householdIncomeFen - prev.householdIncomeFen) > p.incomeDropRatio * prev.householdIncomeFen) return true;
  if ((prev.wagesFen > 0) !== (cur.wagesFen > 0)) return true;
  if ((prev.recentMedicalFen >= p.largeMedicalBillFen) !== (cur.recentMedicalFen >= p.largeMedicalBillFen)) return true;
  if (prev.members.length !== cur.members.length || prev.emergencies.length !== cur.emergencies.length) return true;
  for (let i = 0; i < prev.emergencies.length; i++) if (prev.emergencies[i] !== cur.emergencies[i]) return true;
  for (let i = 0; i < prev.members.length; i++) {
    const x = prev.members[i]!;
    const y = cur.members[i]!;
    if (x.id !== y.id || x.disabilityGrade !== y.disabilityGrade || x.seriousIllness !== y.seriousIllness || x.labourCapacity !== y.labourCapacity || x.deceased !== y.deceased) return true;
  }
  return false;
}

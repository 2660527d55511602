/**
 * The life of a monitoring alert (预警处置闭环): new → assigned → visiting → resolved, or dismissed
 * with a reason from any open state. Closed alerts never change. At most one open alert exists per
 * household and cause: a new finding for the same cause updates the open alert instead of adding one.
 */

export const ALERT_STATUSES = ['new', 'assigned', 'visiting', 'resolved', 'dismissed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const OPEN_STATUSES: readonly AlertStatus[] = ['new', 'assigned', 'visiting'];

export const ALERT_LEVELS = ['red', 'orange', 'yellow'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export const RESOLUTION_OUTCOMES = ['enrolled', 'referred', 'no_need', 'moved_away'] as const;
export type ResolutionOutcome = (typeof RESOLUTION_OUTCOMES)[number];

export interface Alert {
  id: string;
  householdId: string;
  /** What raised it: a risk level, or a change trigger such as `trigger:income_drop`. */
  cause: string;
  level: AlertLevel;
  status: AlertStatus;
  assigneeId: string | null;
  raisedOn: string;
  dueOn: string;
  escalated: boolean;
  outcome: ResolutionOutcome | null;
  closingReason: string | null;
}

export type AlertAction =
  | { type: 'assign'; assigneeId: string }
  | { type: 'start_visit' }
  | { type: 'resolve'; outcome: ResolutionOutcome }
  | { type: 'dismiss'; reason: string }
  | { type: 'escalate' };

export type TransitionResult = { ok: true; alert: Alert } | { ok: false; error: string };

export const isOpen = (a: Pick<Alert, 'status'>): boolean => OPEN_STATUSES.includes(a.status);

/** Applies an action; an action the current status does not allow is refused with the reason. */
export function transition(alert: Alert, action: AlertAction): TransitionResult {
  if (!isOpen(alert)) return { ok: false, error: `the alert is ${alert.status}: closed alerts do not change` };
  switch (action.type) {
    case 'assign':
      if (alert.status === 'visiting') return { ok: false, error: 'a visit is under way: finish or dismiss it first' };
      return { ok: true, alert: { ...alert, status: 'assigned', assigneeId: action.assigneeId } };
    case 'start_visit':
      if (alert.status !== 'assigned') return { ok: false, error: 'assign the alert to a worker before the visit' };
      return { ok: true, alert: { ...alert, status: 'visiting' } };
    case 'resolve':
      // Every warning ends in a visit: resolution follows a visit.
      if (alert.status !== 'visiting') return { ok: false, error: 'an alert is resolved after a visit' };
      return { ok: true, alert: { ...alert, status: 'resolved', outcome: action.outcome } };
    case 'dismiss':
      if (action.reason.trim().length < 2) return { ok: false, error: 'reason: a dismissal needs a reason' };
      return { ok: true, alert: { ...alert, status: 'dismissed', closingReason: action.reason.trim() } };
    case 'escalate':
      if (alert.escalated) return { ok: false, error: 'the alert is already escalated' };
      return { ok: true, alert: { ...alert, escalated: true } };
  }
}

const LEVEL_RANK: Record<AlertLevel, number> = { red: 3, orange: 2, yellow: 1 };

/**
 * Raises a finding: when an open alert exists for the household and cause, it is kept (its level
 * rises if the new finding is more severe, and its due date moves earlier); otherwise the new alert
 * is added. Returns the new list and what happened.
 */
export function raise(
  alerts: readonly Alert[],
  finding: Omit<Alert, 'status' | 'assigneeId' | 'escalated' | 'outcome' | 'closingReason'>,
): { alerts: Alert[]; action: 'created' | 'updated' | 'unchanged' } {
  const i = alerts.findIndex((a) => a.householdId === finding.householdId && a.cause === finding.cause && isOpen(a));
  if (i < 0) {
    return {
      alerts: [...alerts, { ...finding, status: 'new', assigneeId: null, escalated: false, outcome: null, closingReason: null }],
      action: 'created',
    };
  }
  const open = alerts[i]!;
  if (LEVEL_RANK[finding.level] <= LEVEL_RANK[open.level]) return { alerts: [...alerts], action: 'unchanged' };
  const next = [...alerts];
  next[i] = { ...open, level: finding.level, dueOn: finding.dueOn < open.dueOn ? finding.dueOn : open.dueOn };
  return { alerts: next, action: 'updated' };
}

/** A finding of one run before it is written: an alert of a household and cause, with its reasons. */
export interface RunFinding {
  householdId: string;
  cause: string;
  level: AlertLevel;
  dueOn: string;
  reasons: unknown;
}

/**
 * The findings of one run merged per household and cause, as `raise` would fold them into one open
 * alert (and as the partial unique index allows one): the most severe level, the earliest due date,
 * and the reasons of the most severe finding (the first of equal ones: the caller lists the latest
 * first) with the other findings' reasons, each once, under `others`. Order of first appearance.
 */
export function mergeFindings<F extends RunFinding>(findings: readonly F[]): F[] {
  const byKey = new Map<string, { kept: F; dueOn: string; others: unknown[] }>();
  for (const f of findings) {
    const key = `${f.householdId}|${f.cause}`;
    const m = byKey.get(key);
    if (!m) {
      byKey.set(key, { kept: f, dueOn: f.dueOn, others: [] });
      continue;
    }
    if (f.dueOn < m.dueOn) m.dueOn = f.dueOn;
    let other = f;
    if (LEVEL_RANK[f.level] > LEVEL_RANK[m.kept.level]) {
      other = m.kept;
      m.kept = f;
    }
    m.others.push(other.reasons);
  }
  return [...byKey.values()].map(({ kept, dueOn, others }) => {
    const seen = new Set<string>([JSON.stringify(kept.reasons)]);
    const distinct = others.filter((r) => {
      const k = JSON.stringify(r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (distinct.length === 0) return { ...kept, dueOn };
    const reasons = typeof kept.reasons === 'object' && kept.reasons !== null && !Array.isArray(kept.reasons)
      ? { ...(kept.reasons as Record<string, unknown>), others: distinct }
      : { finding: kept.reasons, others: distinct };
    return { ...kept, dueOn, reasons };
  });
}

/** Open alerts past their due date and not yet escalated (they go to the county). */
export function overdue(alerts: readonly Alert[], today: string): Alert[] {
  return alerts.filter((a) => isOpen(a) && !a.escalated && a.dueOn < today);
}

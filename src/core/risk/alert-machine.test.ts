import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isOpen, mergeFindings, overdue, raise, transition, type Alert, type AlertAction } from './alert-machine.js';

const base: Alert = {
  id: 'a1', householdId: 'h1', cause: 'risk', level: 'yellow', status: 'new', assigneeId: null,
  raisedOn: '2026-11-01', dueOn: '2026-11-15', escalated: false, outcome: null, closingReason: null,
};
const step = (a: Alert, action: AlertAction): Alert => {
  const r = transition(a, action);
  if (!r.ok) throw new Error(r.error);
  return r.alert;
};

describe('alert state machine', () => {
  it('new → assigned → visiting → resolved', () => {
    const a = step(step(step(base, { type: 'assign', assigneeId: 'w1' }), { type: 'start_visit' }), { type: 'resolve', outcome: 'enrolled' });
    expect(a).toMatchObject({ status: 'resolved', assigneeId: 'w1', outcome: 'enrolled' });
  });
  it('refuses to resolve without a visit, to visit unassigned, and any change once closed', () => {
    expect(transition(base, { type: 'resolve', outcome: 'no_need' })).toEqual({ ok: false, error: 'an alert is resolved after a visit' });
    expect(transition(base, { type: 'start_visit' })).toMatchObject({ ok: false });
    const dismissed = step(base, { type: 'dismiss', reason: '已搬离本县' });
    expect(transition(dismissed, { type: 'assign', assigneeId: 'w2' })).toEqual({ ok: false, error: 'the alert is dismissed: closed alerts do not change' });
  });
  it('a dismissal needs a reason', () => {
    expect(transition(base, { type: 'dismiss', reason: ' ' })).toEqual({ ok: false, error: 'reason: a dismissal needs a reason' });
  });
  it('raising the same cause keeps one open alert; a more severe finding raises its level', () => {
    let r = raise([], { id: 'a1', householdId: 'h1', cause: 'risk', level: 'yellow', raisedOn: '2026-11-01', dueOn: '2026-11-15' });
    expect(r.action).toBe('created');
    r = raise(r.alerts, { id: 'a2', householdId: 'h1', cause: 'risk', level: 'yellow', raisedOn: '2026-11-02', dueOn: '2026-11-16' });
    expect(r.action).toBe('unchanged');
    r = raise(r.alerts, { id: 'a3', householdId: 'h1', cause: 'risk', level: 'red', raisedOn: '2026-11-03', dueOn: '2026-11-06' });
    expect(r).toMatchObject({ action: 'updated', alerts: [{ id: 'a1', level: 'red', dueOn: '2026-11-06' }] });
    const closed = r.alerts.map((a) => step(a, { type: 'dismiss', reason: 'no need' }));
    expect(raise(closed, { id: 'a4', householdId: 'h1', cause: 'risk', level: 'yellow', raisedOn: '2026-11-20', dueOn: '2026-12-05' }).action).toBe('created');
  });
  it('merges the findings of one run per household and cause: the most severe kept, the earliest due date, the others once', () => {
    const fire = { kind: 'sudden_event', to: 'fire' };
    const merged = mergeFindings([
      { householdId: 'h1', cause: 'trigger:sudden_event', level: 'red', dueOn: '2026-12-02', reasons: fire },
      { householdId: 'h2', cause: 'risk', level: 'yellow', dueOn: '2026-12-14', reasons: { score: 3 } },
      { householdId: 'h1', cause: 'trigger:sudden_event', level: 'red', dueOn: '2026-12-02', reasons: { ...fire } },
      { householdId: 'h1', cause: 'trigger:sudden_event', level: 'red', dueOn: '2026-12-02', reasons: { kind: 'sudden_event', to: 'accident' } },
      { householdId: 'h2', cause: 'risk', level: 'orange', dueOn: '2026-12-06', reasons: { score: 4 } },
    ]);
    expect(merged).toEqual([
      { householdId: 'h1', cause: 'trigger:sudden_event', level: 'red', dueOn: '2026-12-02', reasons: { ...fire, others: [{ kind: 'sudden_event', to: 'accident' }] } },
      { householdId: 'h2', cause: 'risk', level: 'orange', dueOn: '2026-12-06', reasons: { score: 4, others: [{ score: 3 }] } },
    ]);
    expect(mergeFindings([{ householdId: 'h1', cause: 'risk', level: 'red', dueOn: '2026-12-02', reasons: fire }])[0]!.reasons).toBe(fire);
  });
  it('overdue open alerts are those past their due date, not yet escalated', () => {
    expect(overdue([base], '2026-11-15')).toEqual([]);
    expect(overdue([base], '2026-11-16')).toEqual([base]);
    expect(overdue([step(base, { type: 'escalate' })], '2026-11-16')).toEqual([]);
  });

  it('property: no sequence of actions reaches an illegal state or a duplicate open alert', () => {
    const actionArb: fc.Arbitrary<{ kind: 'raise'; h: number; cause: number; level: 'red' | 'orange' | 'yellow' } | { kind: 'act'; pick: number; action: AlertAction }> = fc.oneof(
      fc.record({ kind: fc.constant('raise' as const), h: fc.integer({ min: 0, max: 3 }), cause: fc.integer({ min: 0, max: 2 }), level: fc.constantFrom('red' as const, 'orange' as const, 'yellow' as const) }),
      fc.record({
        kind: fc.constant('act' as const),
        pick: fc.nat(),
        action: fc.oneof(
          fc.record({ type: fc.constant('assign' as const), assigneeId: fc.constantFrom('w1', 'w2') }),
          fc.constant({ type: 'start_visit' as const }),
          fc.record({ type: fc.constant('resolve' as const), outcome: fc.constantFrom('enrolled' as const, 'referred' as const, 'no_need' as const, 'moved_away' as const) }),
          fc.record({ type: fc.constant('dismiss' as const), reason: fc.string({ maxLength: 5 }) }),
          fc.constant({ type: 'escalate' as const }),
        ),
      }),
    );
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 80 }), (ops) => {
        let alerts: Alert[] = [];
        let n = 0;
        for (const op of ops) {
          if (op.kind === 'raise') {
            alerts = raise(alerts, { id: `a${++n}`, householdId: `h${op.h}`, cause: `c${op.cause}`, level: op.level, raisedOn: '2026-11-01', dueOn: '2026-11-10' }).alerts;
          } else if (alerts.length > 0) {
            const i = op.pick % alerts.length;
            const before = alerts[i]!;
            const r = transition(before, op.action);
            if (r.ok) alerts = alerts.map((a, j) => (j === i ? r.alert : a));
            else expect(alerts[i]).toBe(before);
            // Closed alerts never change.
            if (!isOpen(before)) expect(r.ok).toBe(false);
          }
          // Invariants after every step.
          const openKeys = alerts.filter(isOpen).map((a) => `${a.householdId}|${a.cause}`);
          expect(new Set(openKeys).size).toBe(openKeys.length);
          for (const a of alerts) {
            if (a.status === 'resolved') expect(a.outcome).not.toBeNull();
            if (a.status === 'dismissed') expect(a.closingReason).toBeTruthy();
            if (a.status === 'visiting' || a.status === 'assigned') expect(a.assigneeId).not.toBeNull();
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

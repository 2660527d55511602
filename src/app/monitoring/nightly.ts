/**
 * The nightly monitoring run inside the server: at a configured time of day (China time), monitor
 * every household as of that day. Several server processes may run it; the run's database lock
 * lets one at a time through, and the second finds the date already done.
 */
import type { AppContext } from '../context.js';
import { runMonitoring, type MonitorResult } from './run-monitoring.js';
import { runLedgerCheck, type LedgerCheckResult } from '../ledger/check.js';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Milliseconds from `now` to the next `HH:MM` in China Standard Time (UTC+8, no daylight saving). */
export function msUntilNext(hhmm: string, now: Date): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError('time of day must be HH:MM (00:00–23:59)');
  const target = Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000;
  const sinceMidnight = (now.getTime() + CHINA_OFFSET_MS) % DAY_MS;
  const wait = target - sinceMidnight;
  return wait > 0 ? wait : wait + DAY_MS;
}

export interface NightlyHandle {
  stop(): void;
}

/** Schedules the run every day at `hhmm`; errors are reported, never thrown into the server. */
export function scheduleNightly(
  ctx: AppContext,
  hhmm: string,
  report: { done: (r: MonitorResult) => void; failed: (e: unknown) => void; ledgerDone?: (r: LedgerCheckResult) => void },
): NightlyHandle {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      // Then the benefit ledger's duplicate-assistance check (docs/ledger.md), whatever the monitoring run did.
      runMonitoring(ctx, {}).then(report.done, report.failed)
        .then(() => runLedgerCheck(ctx, null)).then((r) => report.ledgerDone?.(r), report.failed)
        .finally(arm);
    }, msUntilNext(hhmm, new Date()));
    timer.unref();
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

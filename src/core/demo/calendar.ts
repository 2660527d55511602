/**
 * The demo generator's dates, precomputed once per run: the income reference window and its
 * months, quarters, halves and straddling years, the birth-day band of each age, and ISO strings
 * by day number — so the per-household loop does no date parsing.
 */
import { addMonths, dayNumber, fromDayNumber } from '../dates/dates.js';
import { ageOn } from '../ids/index.js';
import { MAX_AGE } from './calibration.js';

export interface Period {
  start: string;
  end: string;
}

/** A yearly record that starts k months before the window, plus the remainder inside it. */
export interface Straddle {
  first: Period;
  firstTotalDays: number;
  firstInDays: number;
  second: Period;
}

/** Date strings and periods precomputed once per run, so the hot loop does no date parsing. */
export class Calendar {
  readonly asOfDay: number;
  readonly minDay: number;
  readonly windowStartDay: number;
  readonly windowEndDay: number;
  readonly windowDays: number;
  readonly window: Period;
  readonly months: Period[] = [];
  readonly quarters: Period[] = [];
  readonly halves: Period[] = [];
  readonly straddles: Straddle[] = [];
  /** Earliest and latest birth day (inclusive) giving each age 0..MAX_AGE on the as-of date. */
  readonly bandLow: Int32Array;
  readonly bandHigh: Int32Array;
  private readonly dayStrings: string[];

  constructor(asOf: string) {
    this.asOfDay = dayNumber(asOf);
    // Two spare years below the oldest band so shifted birth dates never fall off the table.
    this.minDay = dayNumber(addMonths(asOf, -12 * (MAX_AGE + 3)));
    this.dayStrings = new Array<string>(this.asOfDay - this.minDay + 1);
    for (let d = this.minDay; d <= this.asOfDay; d++) this.dayStrings[d - this.minDay] = fromDayNumber(d);

    // The income reference period: the 12 months before the as-of date.
    const windowStart = addMonths(asOf, -12);
    this.windowStartDay = dayNumber(windowStart);
    this.windowEndDay = this.asOfDay - 1;
    this.windowDays = this.windowEndDay - this.windowStartDay + 1;
    this.window = { start: windowStart, end: this.day(this.windowEndDay) };
    const span = (fromMonth: number, toMonth: number): Period => ({
      start: addMonths(windowStart, fromMonth),
      end: this.day(dayNumber(addMonths(windowStart, toMonth)) - 1),
    });
    for (let m = 0; m < 12; m++) this.months.push(span(m, m + 1));
    for (let q = 0; q < 4; q++) this.quarters.push(span(3 * q, 3 * q + 3));
    for (let h = 0; h < 2; h++) this.halves.push(span(6 * h, 6 * h + 6));
    for (let k = 1; k <= 6; k++) {
      const first = span(-k, 12 - k);
      const firstEndDay = dayNumber(first.end);
      this.straddles.push({
        first,
        firstTotalDays: firstEndDay - dayNumber(first.start) + 1,
        firstInDays: firstEndDay - this.windowStartDay + 1,
        second: { start: this.day(firstEndDay + 1), end: this.window.end },
      });
    }

    // Age bands via the ids module's own ageOn, so generated ages agree with it exactly
    // (29 February birthdays included).
    this.bandLow = new Int32Array(MAX_AGE + 1).fill(-1);
    this.bandHigh = new Int32Array(MAX_AGE + 1).fill(-1);
    for (let d = this.asOfDay; d >= this.minDay; d--) {
      const age = ageOn(this.day(d), asOf);
      if (age > MAX_AGE) break;
      if (this.bandHigh[age] === -1) this.bandHigh[age] = d;
      this.bandLow[age] = d;
    }
  }

  /** ISO string of a day number inside [minDay, asOfDay]. */
  day(d: number): string {
    return this.dayStrings[d - this.minDay]!;
  }
}

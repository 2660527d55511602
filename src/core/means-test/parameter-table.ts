/**
 * Resolves parameters for many households on one date: once per county (villages and townships
 * inherit from their county), and one derived row per distinct parameter set — the means-test
 * thresholds by default, or any other derivation (the monitoring thresholds) — which is what the
 * batch evaluators index by.
 */
import { parametersAt, resolvedKey, type PolicyBook, type PolicyParameters, type ResolvedParameters } from '../policy/parameters.js';
import { deriveThresholds, type Thresholds } from './thresholds.js';

export class ParameterTable<T = Thresholds> {
  /** Derived rows by index; pass to the batch evaluator. */
  readonly thresholds: T[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly byCounty = new Map<string, { params: ResolvedParameters; index: number }>();
  private readonly derive: (p: PolicyParameters) => T;

  constructor(
    private readonly book: PolicyBook,
    readonly asOf: string,
    derive?: (p: PolicyParameters) => T,
  ) {
    this.derive = derive ?? ((p) => deriveThresholds(p) as T);
  }

  /** The parameters in force for a region on the table's date, and their row index. Throws RangeError when none were in force. */
  forRegion(regionCode: string): { params: ResolvedParameters; index: number } {
    const county = regionCode.slice(0, 6);
    let hit = this.byCounty.get(county);
    if (!hit) {
      const params = parametersAt(this.book, county, this.asOf);
      const key = resolvedKey(params);
      let index = this.byKey.get(key);
      if (index === undefined) {
        index = this.thresholds.length;
        this.thresholds.push(this.derive(params.values));
        this.byKey.set(key, index);
      }
      hit = { params, index };
      this.byCounty.set(county, hit);
    }
    return hit;
  }
}

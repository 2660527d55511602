/**
 * Resolves parameters for many households on one date: once per county (villages and townships
 * inherit from their county), and one thresholds row per distinct parameter set, which is what
 * `classifyBatch` indexes by.
 */
import { parametersAt, resolvedKey, type PolicyBook, type ResolvedParameters } from '../policy/parameters.js';
import { deriveThresholds, type Thresholds } from './thresholds.js';

export class ParameterTable {
  /** Thresholds by index; pass to `classifyBatch`. */
  readonly thresholds: Thresholds[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly byCounty = new Map<string, { params: ResolvedParameters; index: number }>();

  constructor(
    private readonly book: PolicyBook,
    readonly asOf: string,
  ) {}

  /** The parameters in force for a region on the table's date, and their thresholds index. Throws RangeError when none were in force. */
  forRegion(regionCode: string): { params: ResolvedParameters; index: number } {
    const county = regionCode.slice(0, 6);
    let hit = this.byCounty.get(county);
    if (!hit) {
      const params = parametersAt(this.book, county, this.asOf);
      const key = resolvedKey(params);
      let index = this.byKey.get(key);
      if (index === undefined) {
        index = this.thresholds.length;
        this.thresholds.push(deriveThresholds(params.values));
        this.byKey.set(key, index);
      }
      hit = { params, index };
      this.byCounty.set(county, hit);
    }
    return hit;
  }
}

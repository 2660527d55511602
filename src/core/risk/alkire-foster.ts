/**
 * Alkire–Foster multidimensional poverty measurement (Alkire & Foster 2011, "Counting and
 * multidimensional poverty measurement", J. Public Economics 95: 476–487): dual cutoffs —
 * a person is deprived in dimension j when achievement < z_j (strictly), and poor when the
 * weighted count of deprivations reaches k — then H (headcount ratio), A (intensity among the
 * poor), M0 = H × A, and M1, M2: the means of the censored normalised gap and squared-gap matrices.
 */

export interface AfInput {
  /** Rows = persons (or households), columns = dimensions. */
  achievements: readonly (readonly number[])[];
  cutoffs: readonly number[];
  /** Default all 1; must be positive and sum to the number of dimensions. */
  weights?: readonly number[] | undefined;
  /** Poverty cutoff on the weighted deprivation count, 0 < k ≤ d. */
  k: number;
}

export interface AfResult {
  H: number;
  A: number;
  M0: number;
  M1: number;
  M2: number;
  poor: boolean[];
}

/** An input that cannot be measured; the message names the field. */
export class AfInputError extends Error {}

const EPS = 1e-9;

/** Validates and measures. Throws AfInputError naming the field at fault. */
export function alkireFoster(input: AfInput): AfResult {
  const { achievements, cutoffs, k } = input;
  const d = cutoffs.length;
  if (d === 0) throw new AfInputError('cutoffs: needs at least one dimension');
  cutoffs.forEach((z, j) => {
    if (!Number.isFinite(z)) throw new AfInputError(`cutoffs[${j}]: must be a finite number`);
    // Normalised gaps (z − y) / z need a positive cutoff.
    if (z <= 0) throw new AfInputError(`cutoffs[${j}]: must be positive (gaps are normalised by the cutoff)`);
  });
  const w = input.weights ?? cutoffs.map(() => 1);
  if (w.length !== d) throw new AfInputError(`weights: has ${w.length} values for ${d} dimensions`);
  w.forEach((x, j) => {
    if (!Number.isFinite(x) || x <= 0) throw new AfInputError(`weights[${j}]: must be a positive number`);
  });
  const wsum = w.reduce((s, x) => s + x, 0);
  if (Math.abs(wsum - d) > 1e-6 * d) throw new AfInputError(`weights: must sum to the number of dimensions (${d}), not ${wsum}`);
  if (!Number.isFinite(k) || k <= 0 || k > d + EPS) throw new AfInputError(`k: must be in (0, ${d}]`);
  const n = achievements.length;
  if (n === 0) throw new AfInputError('achievements: needs at least one row');

  const poor: boolean[] = new Array<boolean>(n);
  let q = 0;
  let sumC = 0;
  let sumG1 = 0;
  let sumG2 = 0;
  for (let i = 0; i < n; i++) {
    const row = achievements[i]!;
    if (row.length !== d) throw new AfInputError(`achievements[${i}]: has ${row.length} values for ${d} dimensions`);
    let c = 0;
    let g1 = 0;
    let g2 = 0;
    for (let j = 0; j < d; j++) {
      const y = row[j]!;
      if (!Number.isFinite(y)) throw new AfInputError(`achievements[${i}][${j}]: must be a finite number`);
      const z = cutoffs[j]!;
      if (y < z) {
        const wj = w[j]!;
        const gap = (z - y) / z;
        c += wj;
        g1 += wj * gap;
        g2 += wj * gap * gap;
      }
    }
    // Identification: the weighted count reaches k (with a tolerance for weights like 1/3).
    const isPoor = c >= k - EPS;
    poor[i] = isPoor;
    if (isPoor) {
      q++;
      sumC += c;
      sumG1 += g1;
      sumG2 += g2;
    }
  }
  const nd = n * d;
  const H = q / n;
  const A = q === 0 ? 0 : sumC / (q * d);
  return { H, A, M0: sumC / nd, M1: sumG1 / nd, M2: sumG2 / nd, poor };
}

/**
 * String similarity for record linkage: Jaro and Jaro–Winkler similarity, Levenshtein distance
 * and the optimal-string-alignment (restricted Damerau–Levenshtein) distance, and American
 * Soundex. All work on UTF-16 code units, which is exact for Latin text and for Chinese
 * characters in the Basic Multilingual Plane (every common name character).
 *
 * The functions reuse module-level typed-array buffers, so a call allocates nothing; they are
 * not re-entrant across threads, which JavaScript never asks of them.
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);
let row0 = new Int32Array(64);
let row1 = new Int32Array(64);
let row2 = new Int32Array(64);

function ensureFlags(n: number): void {
  if (flagsA.length < n) {
    flagsA = new Uint8Array(n * 2);
    flagsB = new Uint8Array(n * 2);
  }
}

function ensureRows(n: number): void {
  if (row0.length < n) {
    row0 = new Int32Array(n * 2);
    row1 = new Int32Array(n * 2);
    row2 = new Int32Array(n * 2);
  }
}

/**
 * Jaro similarity (Jaro 1989) in [0, 1]: characters match when equal and no further apart than
 * ⌊max(|a|, |b|) / 2⌋ − 1; with m matches and t half-transpositions,
 * sim = (m/|a| + m/|b| + (m − t/2)/m) / 3. Two empty strings are identical (1).
 * The pair is put in a fixed order first, so the greedy matching is symmetric by construction.
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a > b) {
    const t = a;
    a = b;
    b = t;
  }
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  ensureFlags(Math.max(la, lb));
  const fa = flagsA;
  const fb = flagsB;
  fa.fill(0, 0, la);
  fb.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = i > window ? i - window : 0;
    const hi = i + window + 1 < lb ? i + window + 1 : lb;
    const c = a.charCodeAt(i);
    for (let j = lo; j < hi; j++) {
      if (fb[j] === 0 && b.charCodeAt(j) === c) {
        fa[i] = 1;
        fb[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let halfTranspositions = 0;
  for (let i = 0; i < la; i++) {
    if (fa[i] === 0) continue;
    while (fb[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  return (matches / la + matches / lb + (matches - halfTranspositions / 2) / matches) / 3;
}

/**
 * Jaro–Winkler similarity (Winkler 1990): jaro + ℓ·p·(1 − jaro), where ℓ is the length of the
 * common prefix (at most 4) and p = 0.1, applied only when jaro exceeds 0.7 (Winkler's boost
 * threshold). Published values: MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
 */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  const n = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < n && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/**
 * Levenshtein distance (insertions, deletions, substitutions, each cost 1). With `max`, the
 * answer is exact up to `max` and any larger distance is reported as `max + 1`, which lets the
 * length check and an early exit skip most of the work.
 */
export function levenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (max <= 1) return withinOneEdit(a, b, false) ? 1 : max + 1;
  let la = a.length;
  let lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  // Common prefix and suffix never change the distance.
  let start = 0;
  while (start < la && start < lb && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (la > start && lb > start && a.charCodeAt(la - 1) === b.charCodeAt(lb - 1)) {
    la--;
    lb--;
  }
  const n = la - start;
  const m = lb - start;
  if (n === 0) return Math.min(m, max + 1);
  if (m === 0) return Math.min(n, max + 1);
  ensureRows(m + 1);
  let prev = row0;
  let cur = row1;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(start + i - 1);
    for (let j = 1; j <= m; j++) {
      const cost = ca === b.charCodeAt(start + j - 1) ? 0 : 1;
      let d = prev[j - 1]! + cost;
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (del < d) d = del;
      if (ins < d) d = ins;
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m]!, max + 1);
}

/**
 * Optimal string alignment distance, the restricted Damerau–Levenshtein distance: Levenshtein
 * plus the transposition of two adjacent characters at cost 1, where no substring is edited
 * twice (so OSA("CA", "ABC") = 3, not 2). With `max`, distances above `max` are reported as
 * `max + 1`.
 */
export function osaDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (max <= 1) return withinOneEdit(a, b, true) ? 1 : max + 1;
  let la = a.length;
  let lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let start = 0;
  while (start < la && start < lb && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (la > start && lb > start && a.charCodeAt(la - 1) === b.charCodeAt(lb - 1)) {
    la--;
    lb--;
  }
  const n = la - start;
  const m = lb - start;
  if (n === 0) return Math.min(m, max + 1);
  if (m === 0) return Math.min(n, max + 1);
  ensureRows(m + 1);
  let before = row2; // row i − 2
  let prev = row0; // row i − 1
  let cur = row1;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(start + i - 1);
    const caPrev = i > 1 ? a.charCodeAt(start + i - 2) : -1;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(start + j - 1);
      let d = prev[j - 1]! + (ca === cb ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (del < d) d = del;
      if (ins < d) d = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(start + j - 2) && caPrev === cb) {
        const tr = before[j - 2]! + 1;
        if (tr < d) d = tr;
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // A transposition reaches back two rows, so the early exit needs both rows above max.
    if (rowMin > max && i > 1) {
      let prevMin = Infinity;
      for (let j = 0; j <= m; j++) if (prev[j]! < prevMin) prevMin = prev[j]!;
      if (prevMin > max) return max + 1;
    }
    const t = before;
    before = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m]!, max + 1);
}

/**
 * True when two different strings are one edit apart: one substitution, insertion or deletion,
 * or (with `transpositions`) one swap of adjacent characters. Linear time, no table.
 */
function withinOneEdit(a: string, b: string, transpositions: boolean): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let i = 0;
    while (i < la && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    let j = la - 1;
    while (j > i && a.charCodeAt(j) === b.charCodeAt(j)) j--;
    // Differences confined to [i, j]: one substitution (i = j) or one adjacent swap.
    if (i === j) return true;
    return transpositions && j === i + 1 && a.charCodeAt(i) === b.charCodeAt(j) && a.charCodeAt(j) === b.charCodeAt(i);
  }
  if (Math.abs(la - lb) !== 1) return false;
  const s = la < lb ? a : b;
  const t = la < lb ? b : a;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === t.charCodeAt(i)) i++;
  // Skip t[i]; the rest must agree.
  for (let k = i; k < s.length; k++) if (s.charCodeAt(k) !== t.charCodeAt(k + 1)) return false;
  return true;
}

const SOUNDEX_CODES: Readonly<Record<string, string>> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3',
  l: '4',
  m: '5', n: '5',
  r: '6',
};

/**
 * American Soundex (the US National Archives rules): the first letter, then the codes of the
 * following consonants, adjacent equal codes collapsed (also across H and W, not across vowels),
 * padded with zeros to four characters. Non-letters are ignored; no letters gives ''.
 */
export function soundex(value: string): string {
  const s = value.toLowerCase().replace(/[^a-z]/g, '');
  if (s.length === 0) return '';
  let out = s[0]!.toUpperCase();
  let last = SOUNDEX_CODES[s[0]!] ?? '';
  for (let i = 1; i < s.length && out.length < 4; i++) {
    const ch = s[i]!;
    const code = SOUNDEX_CODES[ch];
    if (code !== undefined) {
      if (code !== last) out += code;
      last = code;
    } else if (ch !== 'h' && ch !== 'w') {
      last = '';
    }
  }
  return out.padEnd(4, '0');
}

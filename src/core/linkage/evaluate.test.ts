import { describe, expect, it } from 'vitest';
import { countTruePairs, labelIds, scoreClustersAgainstLabels, scorePairsAgainstLabels } from './evaluate.js';

describe('evaluation', () => {
  const label = labelIds(['a', 'a', 'a', 'b', 'b', null, 'c']);
  it('counts true pairs (dedupe and link); unlabelled records are in none', () => {
    expect(countTruePairs(label, 7)).toBe(3 + 1);
    // Link: left = first 3 records (a, a, a), right = b, b, -, c: no common entity.
    expect(countTruePairs(label, 3)).toBe(0);
    expect(countTruePairs(labelIds(['x', 'y', 'x', 'x']), 2)).toBe(2);
  });
  it('precision, recall, F1 of pairs; missed pairs count against recall', () => {
    const left = Uint32Array.from([0, 0, 3, 5]);
    const right = Uint32Array.from([1, 2, 4, 6]);
    const s = scorePairsAgainstLabels(label, 7, left, right, (p) => p !== 1);
    expect(s).toMatchObject({ truePairs: 4, predictedPairs: 3, truePositives: 2 });
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBe(0.5);
    expect(s.f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5), 12);
  });
  it('scores the pairs implied by clusters', () => {
    const s = scoreClustersAgainstLabels(label, 7, Int32Array.from([0, 0, 0, 1, 1, 1, 2]));
    expect(s).toMatchObject({ truePairs: 4, predictedPairs: 3 + 3, truePositives: 4, recall: 1 });
  });
});

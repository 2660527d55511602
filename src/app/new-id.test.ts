import { describe, expect, it } from 'vitest';
import { newId } from './new-id.js';

describe('newId', () => {
  it('makes version-7 ids that are unique and strictly increasing, across pool refills and within one millisecond', () => {
    let prev = '';
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const id = newId();
      expect(id > prev).toBe(true);
      prev = id;
      seen.add(id);
    }
    expect(seen.size).toBe(50_000);
    expect(prev).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

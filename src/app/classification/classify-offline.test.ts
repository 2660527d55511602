import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyOffline } from './classify-offline.js';
import { loadPolicyFile, DEFAULT_POLICY_FILE } from '../setup/open-platform.js';
import { zhejiangRegions } from '../../core/regions/index.js';

const regions = zhejiangRegions();
const { book } = loadPolicyFile(DEFAULT_POLICY_FILE, regions);
const EXAMPLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../../docs/examples/classify-input.json'), 'utf8')) as { households: Example[] };
interface Example { id: string; members: { idNumber: string; relation: string; name: string }[] }
const base = (): Example => structuredClone(EXAMPLE.households[0]!);

function run(households: unknown[]) {
  return [...classifyOffline({ asOf: '2026-11-29', households }, { policy: book, regions, today: '2026-11-29' })];
}

describe('classify --input applies the API’s member checks', () => {
  it('the example alone classifies (the control for the refusals below)', () => {
    expect(run([base()]).map((r) => r.ok)).toEqual([true]);
  });

  it('refuses a person twice in one household, naming the second place, not the number', () => {
    const h = base();
    h.members.push({ ...h.members[1]!, relation: 'child', name: '王小丽' });
    const r = run([h]);
    expect(r[0]!.ok).toBe(false);
    if (r[0]!.ok) return;
    expect(r[0]!.errors).toContainEqual({ field: 'households[0].members[2].idNumber', message: 'is the same person as households[0].members[1]' });
    expect(JSON.stringify(r)).not.toContain(h.members[1]!.idNumber);
  });

  it('refuses a household without a head and one with two heads', () => {
    const none = base();
    none.id = 'none';
    none.members[0]!.relation = 'spouse';
    const two = base();
    two.id = 'two';
    two.members[1]!.relation = 'head';
    const r = run([none, two]);
    expect(r.map((x) => x.ok)).toEqual([false, false]);
    for (const [i, x] of r.entries()) {
      if (x.ok) continue;
      expect(x.errors).toContainEqual({ field: `households[${i}].members`, message: `a household needs exactly one head (户主), found ${i === 0 ? 0 : 2}` });
    }
  });

  it('refuses a person who is already in an earlier household of the file; the earlier one classifies', () => {
    const first = base();
    const second = base();
    second.id = 'second';
    const r = run([first, second]);
    expect(r[0]!.ok).toBe(true);
    expect(r[1]!.ok).toBe(false);
    if (r[1]!.ok) return;
    expect(r[1]!.errors).toContainEqual({ field: 'households[1].members[0].idNumber', message: 'is already a member of households[0]' });
  });

  it('a refused household does not claim its members: a later household with them classifies', () => {
    const bad = base();
    bad.id = 'bad';
    (bad as unknown as { regionCode: string }).regionCode = '330127999999';
    const good = base();
    const r = run([bad, good]);
    expect(r.map((x) => x.ok)).toEqual([false, true]);
  });
});

/**
 * Acceptance on labelled data (see /work/shared/data/README.md): the whole pipeline with the
 * documented configurations and the threshold fixed at probability 0.5 beforehand.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './csv.js';
import { parseLinkConfig } from './config.js';
import { runLinkage, type LinkRun } from './pipeline.js';

const ROOT = join(import.meta.dirname, '../../..');
const DATA = [process.env.ZHONGFU_LINKAGE_DATA, join(ROOT, '../shared/data/linkage'), '/work/shared/data/linkage'].find((d) => d !== undefined && existsSync(d));

function load(file: string): string {
  if (DATA === undefined) throw new Error('labelled linkage data not found: set ZHONGFU_LINKAGE_DATA to the folder of /work/shared/data/linkage');
  return readFileSync(join(DATA, file), 'utf8');
}

function config(name: string): ReturnType<typeof parseLinkConfig> {
  return parseLinkConfig(JSON.parse(readFileSync(join(ROOT, 'docs/examples/linkage', name), 'utf8')));
}

function report(label: string, run: LinkRun): void {
  const e = run.evaluation!;
  const f = (x: number): string => x.toFixed(4);
  console.log(`${label}: ${run.nLeft + run.nRight} records, ${run.pairs.count} candidate pairs (blocking recall ${f(e.blockingRecall)}), ${run.matches} pairs ≥ ${run.threshold}`);
  console.log(`  pairs:    precision ${f(e.pairs.precision)}  recall ${f(e.pairs.recall)}  F1 ${f(e.pairs.f1)}`);
  console.log(`  clusters: precision ${f(e.clusters.precision)}  recall ${f(e.clusters.recall)}  F1 ${f(e.clusters.f1)}`);
}

describe('acceptance on labelled data', () => {
  it('FEBRL dataset 3: F1 ≥ 0.99 at match probability 0.5 (Splink publishes 0.993)', () => {
    const cfg = config('febrl3.json');
    const table = parseCsv(load('febrl_dataset3.csv'), cfg.csv);
    expect(table.problems).toEqual([]);
    expect(table.rows).toHaveLength(5000);
    const run = runLinkage({ config: cfg, left: table, truth: { column: 'rec_id', pattern: /^rec-(\d+)-/ } });
    report('FEBRL3', run);
    expect(cfg.threshold).toBe(0.5);
    expect(run.evaluation!.pairs.truePairs).toBe(6538);
    expect(run.evaluation!.pairs.f1).toBeGreaterThanOrEqual(0.99);
  });

  it('Hong Kong fixture (traditional/simplified, honorifics, Cantonese romanisation, English aliases)', () => {
    const cfg = config('dataline-hk.json');
    const table = parseCsv(load('dataline_hk_synthetic_1000.csv'), cfg.csv);
    expect(table.problems).toEqual([]);
    // The entity of each record comes from the ground-truth file, joined on record_id.
    const truth = new Map(parseCsv(load('dataline_hk_synthetic_1000_ground_truth.csv')).rows.map((r) => [r[1]!, r[0]!]));
    const rid = table.header.indexOf('record_id');
    const withTruth = { header: [...table.header, 'truth'], rows: table.rows.map((r) => [...r, truth.get(r[rid]!) ?? '']) };
    const run = runLinkage({ config: cfg, left: withTruth, truth: { column: 'truth' } });
    report('Hong Kong fixture', run);
    const e = run.evaluation!;
    expect(e.pairs.truePairs).toBe(2482);
    expect(e.pairs.precision).toBeGreaterThanOrEqual(0.98);
    expect(e.pairs.f1).toBeGreaterThanOrEqual(0.68);
    expect(e.clusters.f1).toBeGreaterThanOrEqual(0.68);
  });
});

/**
 * `zhongfu link`: deduplicate one CSV file, or link two, with the record linkage engine
 * (src/core/linkage, docs/linkage.md). Writes the scored pairs as CSV and prints a summary;
 * with --truth it also prints precision, recall and F1. Messages name files, rows and columns,
 * never a value: the files hold names, ID numbers and phone numbers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  formatCsvProblem, LinkConfigError, parseCsv, parseLinkConfig, runLinkage, type LinkConfig, type LinkRun, type LinkTable,
} from '../../core/linkage/index.js';

interface LinkOptions {
  left: string;
  right?: string;
  config: string;
  truth?: string;
  truthPattern?: string;
  out?: string;
  allPairs?: boolean;
  clusters?: string;
  model?: boolean;
}

function readConfig(file: string): LinkConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`--config: cannot read ${file}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`--config: ${file} is not valid JSON (${e instanceof Error ? e.message : 'parse error'})`);
  }
  try {
    return parseLinkConfig(doc);
  } catch (e) {
    if (e instanceof LinkConfigError) throw new Error(`--config: ${file} is not a valid linkage configuration:\n  ${e.problems.join('\n  ')}`);
    throw e;
  }
}

function readTable(flag: string, file: string, config: LinkConfig): LinkTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${flag}: cannot read ${file}`);
  }
  const t = parseCsv(text, config.csv);
  if (t.header.length === 0) throw new Error(`${flag}: ${file} is empty`);
  if (t.problems.length > 0) {
    const shown = t.problems.slice(0, 20).map((p) => `${flag} ${basename(file)}: ${formatCsvProblem(p)}`);
    if (t.problems.length > 20) shown.push(`… and ${t.problems.length - 20} more`);
    throw new Error(`${t.problems.length} bad row(s); nothing was linked:\n  ${shown.join('\n  ')}`);
  }
  return t;
}

/** RFC 4180 quoting when needed. */
function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function writePairs(file: string, run: LinkRun, all: boolean): number {
  const lines: string[] = [['left_id', 'right_id', 'probability', 'match_weight', ...run.fields.flatMap((f) => [`${f}_level`, `${f}_weight`])].map(csvCell).join(',')];
  const order = [...Array(run.pairs.count).keys()].filter((p) => all || run.probability(p) >= run.threshold).sort((a, b) => run.weight[b]! - run.weight[a]!);
  for (const p of order) {
    const parts = run.explain(p);
    lines.push([
      csvCell(run.ids[run.pairs.left[p]!]!),
      csvCell(run.ids[run.pairs.right[p]!]!),
      run.probability(p).toPrecision(6),
      run.weight[p]!.toFixed(4),
      ...parts.flatMap((x) => [String(x.level ?? -1), x.weight.toFixed(4)]),
    ].join(','));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return order.length;
}

function writeClusters(file: string, run: LinkRun): void {
  const lines = ['id,side,cluster'];
  for (let i = 0; i < run.ids.length; i++) {
    lines.push(`${csvCell(run.ids[i]!)},${run.mode === 'dedupe' ? 'input' : i < run.nLeft ? 'left' : 'right'},${run.clusters.clusterOf[i]}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const int = (x: number): string => x.toLocaleString('en-US');
const sec = (ms: number): string => (ms / 1000).toFixed(2);

function printSummary(run: LinkRun, o: LinkOptions): void {
  const records = run.mode === 'dedupe' ? `${int(run.nLeft)} records (${basename(o.left)})` : `${int(run.nLeft)} × ${int(run.nRight)} records (${basename(o.left)} × ${basename(o.right!)})`;
  console.log(`${run.mode === 'dedupe' ? 'deduplicated' : 'linked'} ${records}`);
  const capped = run.blocking.rules.reduce((s, r) => s + r.cappedBuckets, 0);
  console.log(`candidate pairs: ${int(run.pairs.count)} from ${run.blocking.rules.length} blocking rules (${capped} buckets over ${int(run.blocking.maxBucketSize)} records skipped)`);
  for (const r of run.blocking.rules) console.log(`  ${r.name}: ${int(r.newPairs)} new pairs, largest bucket ${int(r.largestBucket)}${r.cappedBuckets > 0 ? `, ${r.cappedBuckets} skipped` : ''}`);
  const t = run.training;
  console.log(`model: ${t.method === 'em' ? `EM in ${t.sessions.length} sessions (${t.sessions.filter((s) => s.converged).length} converged)` : 'm and u counted from labels'}, u from ${int(t.randomPairs)} random pairs, λ = ${run.model.prior.toExponential(3)} (${t.priorFixed ? 'fixed by the configuration' : 'estimated'})`);
  if (o.model === true) {
    for (const f of run.model.fields) {
      console.log(`  ${f.name}${f.tf ? ' (term-frequency adjusted on exact agreement)' : ''}`);
      f.levels.forEach((l, k) => console.log(`    ${k}  ${l.padEnd(32)} m=${f.m[k]!.toFixed(4)}  u=${f.u[k]!.toExponential(2)}  weight=${Math.log2(f.m[k]! / f.u[k]!).toFixed(2)}`));
    }
  }
  console.log(`pairs with match probability ≥ ${run.threshold}: ${int(run.matches)}`);
  const c = run.clusters;
  console.log(`clusters: ${int(c.clusters)} (${int(c.multiRecordClusters)} with two or more records, largest ${c.largest}); merges refused: ${c.refusedBySize} by size, ${c.refusedByStrength} by strength`);
  const tm = run.timings;
  console.log(`time: ${sec(tm.total)} s (prepare ${sec(tm.prepare)}, blocking ${sec(tm.blockingKeys + tm.blocking)}, comparisons ${sec(tm.comparisons)}, training ${sec(tm.training)}, scoring ${sec(tm.scoring)}, clustering ${sec(tm.clustering)})`);
  if (run.evaluation !== undefined) {
    const e = run.evaluation;
    const f = (x: number): string => x.toFixed(4);
    console.log(`against --truth ${o.truth}: ${int(e.pairs.truePairs)} true pairs, blocking found ${f(e.blockingRecall)} of them`);
    console.log(`  pairs:    precision ${f(e.pairs.precision)}  recall ${f(e.pairs.recall)}  F1 ${f(e.pairs.f1)}`);
    console.log(`  clusters: precision ${f(e.clusters.precision)}  recall ${f(e.clusters.recall)}  F1 ${f(e.clusters.f1)}`);
  }
  for (const w of run.warnings) console.error(`warning: ${w}`);
}

/** Adds `zhongfu link` to the program. */
export function registerLinkCommand(program: Command): void {
  program
    .command('link')
    .description('deduplicate one CSV file (--left) or link two (--left, --right) with a Fellegi–Sunter model; see docs/linkage.md')
    .requiredOption('--left <file>', 'CSV file (the only one for a dedupe)')
    .option('--right <file>', 'second CSV file: link across the two files')
    .requiredOption('--config <file>', 'linkage configuration (JSON; examples in docs/examples/linkage/)')
    .option('--truth <column>', 'column holding the true entity: prints precision, recall and F1')
    .option('--truth-pattern <regex>', 'the entity is the first group this pattern captures in the truth column (e.g. "^rec-(\\d+)-")')
    .option('--out <file>', 'write the scored pairs as CSV (ids, probability, match weight, each field’s level and weight)')
    .option('--all-pairs', 'with --out, write every candidate pair, not only those at or above the threshold')
    .option('--clusters <file>', 'write each record’s cluster as CSV')
    .option('--model', 'print m, u and the weight of every comparison level')
    .action((o: LinkOptions) => {
      const config = readConfig(o.config);
      let pattern: RegExp | undefined;
      if (o.truthPattern !== undefined) {
        if (o.truth === undefined) throw new Error('--truth-pattern: needs --truth');
        try {
          pattern = new RegExp(o.truthPattern);
        } catch {
          throw new Error('--truth-pattern: not a valid regular expression');
        }
      }
      const left = readTable('--left', o.left, config);
      const right = o.right === undefined ? undefined : readTable('--right', o.right, config);
      const run = runLinkage({
        config,
        left,
        ...(right === undefined ? {} : { right }),
        ...(o.truth === undefined ? {} : { truth: { column: o.truth, ...(pattern === undefined ? {} : { pattern }) } }),
        now: () => performance.now(),
      });
      printSummary(run, o);
      if (o.out !== undefined) {
        const written = writePairs(o.out, run, o.allPairs === true);
        console.log(`wrote ${int(written)} pairs to ${o.out}`);
      }
      if (o.clusters !== undefined) {
        writeClusters(o.clusters, run);
        console.log(`wrote ${int(run.ids.length)} records' clusters to ${o.clusters}`);
      }
    });
}

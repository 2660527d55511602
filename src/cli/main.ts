/**
 * The `zhongfu` command. Every flag can also be set by an environment variable (shown in --help).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { openPlatform, loadPolicyFile, DEFAULT_POLICY_FILE, type Platform } from '../app/setup/open-platform.js';
import { loadDemo } from '../app/setup/load-demo.js';
import { classifyAll, classificationSummary } from '../app/classification/classify-all.js';
import { classifyOffline, parseOfflineInput } from '../app/classification/classify-offline.js';
import { todayInChina } from '../app/context.js';
import { zhejiangRegions } from '../core/regions/index.js';
import { PolicyValidationError, parametersAt } from '../core/policy/parameters.js';
import { formatYuan } from '../core/means-test/index.js';
import { isIsoDate } from '../core/dates/dates.js';
import { buildServer, isWebBuilt } from '../server/app.js';
import { progressBar } from './progress.js';
import { registerLinkCommand } from './commands/link.js';
import { registerMatchCommand } from './commands/match.js';
import { runMonitoring } from '../app/monitoring/run-monitoring.js';
import { FeedError, importEventFeed } from '../app/monitoring/feed.js';
import { registerLedgerCommand } from './commands/ledger.js';
import { runLedgerCheck } from '../app/ledger/check.js';
import { msUntilNext, scheduleNightly } from '../app/monitoring/nightly.js';
import { alkireFoster, type AfInput } from '../core/risk/alkire-foster.js';
import { ensureDemoAccounts } from '../app/setup/demo-accounts.js';
import { createUser } from '../app/auth/users.js';
import { registerAuditCommand } from './commands/audit.js';
import { ROLES, type Role } from '../core/security/index.js';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const program = new Command('zhongfu')
  .description('Zhongfu 众扶: social assistance and charity coordination')
  .version(PACKAGE.version, '-V, --version', 'print the version')
  .showHelpAfterError();

const dataDirOption = (): Option => new Option('--data-dir <dir>', 'embedded database directory').env('ZHONGFU_DATA_DIR').default('.zhongfu/data');
const dbUrlOption = (): Option => new Option('--database-url <url>', 'PostgreSQL server (instead of the embedded database)').env('DATABASE_URL');
const asDate = (flag: string) => (v: string): string => {
  if (!isIsoDate(v)) throw new Error(`${flag}: must be a calendar date in YYYY-MM-DD form`);
  return v;
};
const rateLimitOption = (): Option =>
  new Option('--rate-limit <n>', 'API requests per minute per client address (0 = off)').env('ZHONGFU_RATE_LIMIT').default(600).argParser((v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error('--rate-limit: must be a whole number of requests per minute (0 = off)');
    return n;
  });
const policyOption = (): Option => new Option('--policy <file>', 'policy parameters file').env('ZHONGFU_POLICY').default(DEFAULT_POLICY_FILE);

interface DbOpts { dataDir: string; databaseUrl?: string; policy: string }

async function open(o: DbOpts): Promise<Platform> {
  return openPlatform({ databaseUrl: o.databaseUrl, dataDir: o.databaseUrl ? undefined : resolve(o.dataDir), policyFile: o.policy });
}

async function seedDemo(p: Platform, households: number, seed: number, asOf?: string): Promise<void> {
  const bar = progressBar('demo households');
  const t0 = performance.now();
  const r = await loadDemo(p.ctx, { households, seed, asOf, onProgress: bar.update });
  bar.stop();
  console.error(`loaded ${r.households} households, ${r.members} members in ${((performance.now() - t0) / 1000).toFixed(1)} s (seed ${seed})`);
}

async function runClassifyAll(p: Platform, asOf?: string, region?: string): Promise<void> {
  const bar = progressBar('classify');
  const t0 = performance.now();
  const r = await classifyAll(p.ctx, { asOf, region, onProgress: bar.update });
  bar.stop();
  console.error(`classified ${r.households} households as of ${r.asOf} under policy ${r.policyVersion} in ${((performance.now() - t0) / 1000).toFixed(1)} s (run ${r.runId})`);
}

interface ServeOptions {
  host: string;
  port: number;
  monitorAt: string;
  /** pino level when LOG_LEVEL is not set: `serve` logs every request, `start` (a demo) only warnings. */
  logLevel: string;
  /** Requests per minute per client address; 0 turns the limit off (behind a proxy that limits). */
  rateLimitPerMinute: number;
  /** Printed once the server listens, after its address (the demo accounts). */
  banner?: string[];
}

async function serve(p: Platform, { host, port, monitorAt, logLevel, rateLimitPerMinute, banner }: ServeOptions): Promise<void> {
  const app = await buildServer(p.ctx, {
    logger: { level: process.env.LOG_LEVEL ?? logLevel },
    rateLimit: rateLimitPerMinute === 0 ? false : { max: rateLimitPerMinute, timeWindow: '1 minute' },
  });
  const nightly =
    monitorAt === 'off'
      ? undefined
      : scheduleNightly(p.ctx, monitorAt, {
          done: (r) => app.log.info({ run: r.runId, households: r.households, atRisk: r.atRisk, alerts: r.alertsCreated }, 'nightly monitoring run finished'),
          failed: (e) => app.log.error({ err: { type: e instanceof Error ? e.name : 'unknown' } }, 'nightly monitoring run failed'),
          ledgerDone: (r) => app.log.info({ detected: r.detected, raised: r.raised, remembered: r.remembered }, 'nightly ledger check finished'),
        });
  const stop = async (): Promise<void> => {
    nightly?.stop();
    await app.close();
    await p.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  const address = await app.listen({ host, port });
  const shown = address.replace('127.0.0.1', 'localhost');
  console.error(`Zhongfu ${PACKAGE.version} is serving on ${shown}  (API docs: ${shown}/docs)`);
  if (!isWebBuilt()) console.error('The web app is not built: run `npm run build:web` and restart (`npm start` builds it). The API works without it.');
  for (const line of banner ?? []) console.error(line);
}

program
  .command('serve')
  .description('serve the API and web app')
  .addOption(new Option('--port <n>', 'port').env('PORT').default(3000).argParser(Number))
  .addOption(new Option('--host <host>', 'interface to listen on').env('ZHONGFU_HOST').default('127.0.0.1'))
  .addOption(new Option('--monitor-at <HH:MM>', 'run monitoring every night at this time (China time), or "off"').env('ZHONGFU_MONITOR_AT').default('02:00'))
  .addOption(rateLimitOption())
  .addOption(dataDirOption()).addOption(dbUrlOption()).addOption(policyOption())
  .action(async (o: DbOpts & { port: number; host: string; monitorAt: string; rateLimit: number }) => {
    if (o.monitorAt !== 'off') msUntilNext(o.monitorAt, new Date());
    await serve(await open(o), { host: o.host, port: o.port, monitorAt: o.monitorAt, logLevel: 'info', rateLimitPerMinute: o.rateLimit });
  });

/** The demo accounts as an aligned table with a header (one row per role). */
function demoAccountTable(p: Platform, accounts: readonly { role: string; username: string; password: string; scope: string }[]): string[] {
  const header = ['role', 'username', 'password', 'scope', 'area'];
  const rows = accounts.map((a) => [a.role, a.username, a.password, a.scope, p.ctx.regions.get(a.scope)?.name ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return [
    '',
    'Demo accounts (demo data only; the passwords change at every start). Sign in with one of them:',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ];
}

program
  .command('start')
  .description('serve with demo data: on an empty database, seed a demo population and classify it first')
  .addOption(new Option('--port <n>', 'port').env('PORT').default(3000).argParser(Number))
  .addOption(new Option('--host <host>', 'interface to listen on').env('ZHONGFU_HOST').default('127.0.0.1'))
  .addOption(new Option('--demo-households <n>', 'demo population size').env('ZHONGFU_DEMO_HOUSEHOLDS').default(2000).argParser(Number))
  .addOption(new Option('--seed <n>', 'demo seed').env('ZHONGFU_SEED').default(20261129).argParser(Number))
  .addOption(new Option('--monitor-at <HH:MM>', 'run monitoring every night at this time (China time), or "off"').env('ZHONGFU_MONITOR_AT').default('02:00'))
  .addOption(rateLimitOption())
  .addOption(dataDirOption()).addOption(dbUrlOption()).addOption(policyOption())
  .action(async (o: DbOpts & { port: number; host: string; demoHouseholds: number; seed: number; monitorAt: string; rateLimit: number }) => {
    if (o.monitorAt !== 'off') msUntilNext(o.monitorAt, new Date());
    const p = await open(o);
    const n = (await p.ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0;
    if (n === 0) {
      await seedDemo(p, o.demoHouseholds, o.seed);
      await runClassifyAll(p);
      const m = await runMonitoring(p.ctx, {});
      console.error(`monitored ${m.households} households: ${m.atRisk} at risk, ${m.alertsCreated} alerts`);
      const l = await runLedgerCheck(p.ctx, null);
      console.error(`ledger check: ${l.detected} duplicate-assistance findings`);
    }
    const isDemo = (await p.ctx.db.selectFrom('import_batches').select('id').where('kind', '=', 'demo').executeTakeFirst()) !== undefined;
    // Demo data only: one account per role, passwords new at every start, printed once the server listens.
    const banner = isDemo ? demoAccountTable(p, await ensureDemoAccounts(p.ctx)) : [];
    await serve(p, { host: o.host, port: o.port, monitorAt: o.monitorAt, logLevel: 'warn', rateLimitPerMinute: o.rateLimit, banner });
  });

program
  .command('demo')
  .description('generate a synthetic, reproducible Zhejiang population into the database')
  .addOption(new Option('--households <n>', 'how many households').env('ZHONGFU_DEMO_HOUSEHOLDS').default(2000).argParser(Number))
  .addOption(new Option('--seed <n>', 'random seed').env('ZHONGFU_SEED').default(20261129).argParser(Number))
  .addOption(new Option('--as-of <date>', 'reference date of the generated records').env('ZHONGFU_AS_OF').argParser(asDate('--as-of')))
  .addOption(dataDirOption()).addOption(dbUrlOption()).addOption(policyOption())
  .action(async (o: DbOpts & { households: number; seed: number; asOf?: string }) => {
    if (!Number.isInteger(o.households) || o.households < 1 || o.households > 5_000_000) throw new Error('--households: must be a whole number from 1 to 5,000,000');
    const p = await open(o);
    try {
      await seedDemo(p, o.households, o.seed, o.asOf);
    } finally {
      await p.close();
    }
  });

program
  .command('classify')
  .description('classify all households (or one region) and print a summary; with --input, classify households from a JSON file without a database')
  .addOption(new Option('--as-of <date>', 'classification date (default today in China)').env('ZHONGFU_AS_OF').argParser(asDate('--as-of')))
  .addOption(new Option('--region <code>', 'only households under this region code').env('ZHONGFU_REGION'))
  .addOption(new Option('--input <file>', 'JSON file of households (docs/classify-input.md); prints one JSON result per line'))
  .addOption(dataDirOption()).addOption(dbUrlOption()).addOption(policyOption())
  .action(async (o: DbOpts & { asOf?: string; region?: string; input?: string }) => {
    if (o.input) {
      const regions = zhejiangRegions();
      const { book } = loadPolicyFile(o.policy, regions);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(o.input, 'utf8'));
      } catch (e) {
        throw new Error(`${o.input}: not readable JSON (${e instanceof Error ? e.message.split('\n')[0] : 'parse error'})`);
      }
      const input = parseOfflineInput(json);
      if (o.asOf) input.asOf = o.asOf;
      let failed = 0;
      for (const r of classifyOffline(input, { policy: book, regions, today: todayInChina() })) {
        if (!r.ok) failed++;
        process.stdout.write(`${JSON.stringify(r)}\n`);
      }
      if (failed > 0) {
        console.error(`${failed} household(s) could not be classified (see "errors" in their lines)`);
        process.exitCode = 1;
      }
      return;
    }
    const p = await open(o);
    try {
      await runClassifyAll(p, o.asOf, o.region);
      const rows = await classificationSummary(p.ctx, o.region);
      const cats = ['extreme_poverty', 'dibao', 'marginal', 'rigid_expenditure', 'income_uplift', 'none'];
      const byCounty = new Map<string, { name: string; counts: Record<string, number> }>();
      for (const r of rows) {
        const e = byCounty.get(r.county_code) ?? { name: r.county_name, counts: {} };
        e.counts[r.category] = (e.counts[r.category] ?? 0) + r.n;
        byCounty.set(r.county_code, e);
      }
      const header = ['county', 'name', ...cats, 'total'];
      console.log(header.join('\t'));
      const totals: Record<string, number> = {};
      for (const [code, e] of byCounty) {
        const t = cats.reduce((s, c) => s + (e.counts[c] ?? 0), 0);
        cats.forEach((c) => (totals[c] = (totals[c] ?? 0) + (e.counts[c] ?? 0)));
        console.log([code, e.name, ...cats.map((c) => e.counts[c] ?? 0), t].join('\t'));
      }
      console.log(['all', '', ...cats.map((c) => totals[c] ?? 0), cats.reduce((s, c) => s + (totals[c] ?? 0), 0)].join('\t'));
    } finally {
      await p.close();
    }
  });

program
  .command('monitor')
  .description('dynamic monitoring: six-dimension risk, change triggers, alerts and indices for every household (or one region) on a date')
  .addOption(new Option('--as-of <date>', 'monitoring date (default today in China)').env('ZHONGFU_AS_OF').argParser(asDate('--as-of')))
  .addOption(new Option('--region <code>', 'only households under this region code').env('ZHONGFU_REGION'))
  .addOption(dataDirOption()).addOption(dbUrlOption()).addOption(policyOption())
  .action(async (o: DbOpts & { asOf?: string; region?: string }) => {
    const p = await open(o);
    try {
      const bar = progressBar('monitor');
      const t0 = performance.now();
      const r = await runMonitoring(p.ctx, { asOf: o.asOf, region: o.region, onProgress: bar.update });
      bar.stop();
      console.error(`monitored ${r.households} households as of ${r.asOf} in ${((performance.now() - t0) / 1000).toFixed(1)} s (run ${r.runId}); ${r.skipped} already done for this date`);
      console.log(JSON.stringify({ households: r.households, skipped: r.skipped, atRisk: r.atRisk, alertsCreated: r.alertsCreated, alertsUpdated: r.alertsUpdated, escalated: r.escalated }));
    } finally {
      await p.close();
    }
  });

program
  .command('feed')
  .description("import a department's event feed: JSON Lines, one event per line {recordId, kind, idNumber, occurredOn, disabilityGrade?}; all rows are checked before any is applied")
  .requiredOption('--input <file>', 'JSON Lines file')
  .requiredOption('--source <dept>', 'the sending department code, e.g. emergency, health, public_security, civil_affairs')
  .addOption(dataDirOption()).addOption(dbUrlOption()).addOption(policyOption())
  .action(async (o: DbOpts & { input: string; source: string }) => {
    const rows: unknown[] = [];
    readFileSync(o.input, 'utf8').split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        rows.push(JSON.parse(line));
      } catch {
        throw new Error(`${o.input}: line ${i + 1}: not JSON`);
      }
    });
    const p = await open(o);
    try {
      const r = await importEventFeed(p.ctx, null, o.source, rows);
      console.error(`feed from ${o.source}: ${r.received} received, ${r.applied} applied (${r.unchanged} changed nothing), ${r.notApplied} not applied (nobody in the registry, or another date of death), ${r.alreadyApplied} already applied before`);
      console.log(JSON.stringify(r));
    } catch (e) {
      if (e instanceof FeedError) {
        for (const i of e.feedIssues.slice(0, 100)) console.error(`row ${i.row}: ${i.field}: ${i.message}`);
        throw new Error(`feed refused: ${e.feedIssues.length} problem(s); nothing was applied`);
      }
      throw e;
    } finally {
      await p.close();
    }
  });

registerLedgerCommand(program, { open, dataDirOption, dbUrlOption, policyOption });

program
  .command('indices')
  .description('Alkire-Foster multidimensional poverty indices (H, A, M0, M1, M2) of any matrix, from JSON {achievements, cutoffs, weights?, k}')
  .requiredOption('--input <file>', 'JSON file')
  .action((o: { input: string }) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(o.input, 'utf8'));
    } catch (e) {
      throw new Error(`${o.input}: not readable JSON (${e instanceof Error ? e.message.split('\n')[0] : 'parse error'})`);
    }
    const doc = json as Partial<AfInput> | null;
    if (typeof doc !== 'object' || doc === null) throw new Error('input: must be a JSON object');
    if (!Array.isArray(doc.achievements) || !doc.achievements.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'))) throw new Error('achievements: must be an array of arrays of numbers');
    if (!Array.isArray(doc.cutoffs) || !doc.cutoffs.every((x) => typeof x === 'number')) throw new Error('cutoffs: must be an array of numbers');
    if (doc.weights !== undefined && (!Array.isArray(doc.weights) || !doc.weights.every((x) => typeof x === 'number'))) throw new Error('weights: must be an array of numbers');
    if (typeof doc.k !== 'number') throw new Error('k: must be a number');
    console.log(JSON.stringify(alkireFoster({ achievements: doc.achievements, cutoffs: doc.cutoffs, weights: doc.weights, k: doc.k })));
  });

const users = program.command('users').description('accounts (operator console)');
users
  .command('add')
  .description('create an account with a role (for the first administrators); prints a generated password once')
  .requiredOption('--username <name>', 'login name')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--display-name <name>', 'shown name')
  .option('--scope <code>', 'region scope (province 33, city, county, township or village code)', '33')
  .option('--organisation <id>', 'organisation id (charity_staff, department_liaison)')
  .addOption(dataDirOption()).addOption(dbUrlOption()).addOption(policyOption())
  .action(async (o: DbOpts & { username: string; role: string; displayName?: string; scope: string; organisation?: string }) => {
    if (!(ROLES as readonly string[]).includes(o.role)) throw new Error(`--role: must be one of ${ROLES.join(', ')}`);
    const p = await open(o);
    try {
      const r = await createUser(p.ctx, null, { username: o.username, displayName: o.displayName ?? o.username, role: o.role as Role, scopeRegion: o.scope, organisationId: o.organisation ?? null });
      console.log(`created ${r.user.username} (${r.user.role}, scope ${r.user.scopeRegion}); initial password: ${r.initialPassword}`);
    } finally {
      await p.close();
    }
  });

registerAuditCommand(program, { open, dataDirOption, dbUrlOption, policyOption });

const policy = program.command('policy').description('policy parameters');
policy
  .command('check')
  .description('validate a policy file; lists every problem')
  .addOption(policyOption())
  .action((o: { policy: string }) => {
    const { book, sha256 } = loadPolicyFile(o.policy, zhejiangRegions());
    console.log(`${o.policy}: valid, version ${book.version}, ${book.parameters.size} parameters, sha256 ${sha256.slice(0, 12)}`);
  });
policy
  .command('show')
  .description('the parameters in force in a region on a date')
  .requiredOption('--region <code>', 'region code (province, city, county, township or village)')
  .option('--date <date>', 'date (default today in China)', asDate('--date'))
  .addOption(policyOption())
  .action((o: { region: string; date?: string; policy: string }) => {
    const regions = zhejiangRegions();
    if (!regions.get(o.region)) throw new Error(`--region: unknown region code ${o.region}`);
    const { book } = loadPolicyFile(o.policy, regions);
    const r = parametersAt(book, o.region, o.date ?? todayInChina());
    for (const [name, def] of book.parameters) {
      const v = r.values[name];
      const shown = def.kind === 'money' ? `${formatYuan(v as number)} 元` : Array.isArray(v) ? v.join(', ') : String(v);
      console.log(`${def.key}\t${shown}\t(${r.sources[name].regionCode} from ${r.sources[name].effectiveFrom})\t${def.label}`);
    }
  });

registerLinkCommand(program);
registerMatchCommand(program);

program.parseAsync().catch((e: unknown) => {
  if (e instanceof PolicyValidationError) console.error(e.message);
  else console.error(`zhongfu: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

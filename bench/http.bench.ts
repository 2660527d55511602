/**
 * HTTP benchmark: the authenticated household list (GET /api/v1/households, every read audited)
 * of the real server on PostgreSQL, against a bare node:http server answering the same JSON bytes,
 * driven in one run by the same keep-alive load generator (raw sockets, 50 connections, 10 s each,
 * 127.0.0.1 only). Prints req/s, p50 and p99 of each and the ratio.
 *
 * Run: npm run bench:http   (or npx tsx bench/http.bench.ts)
 * PostgreSQL: BENCH_PG (default postgres://postgres@127.0.0.1:5432); a database is created for the
 * run, seeded with a small demo population, and dropped at the end (BENCH_KEEP=1 keeps it).
 * BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50), BENCH_HOUSEHOLDS (default 500).
 * Rate limit: the server's `rateLimit` option. The main figure is measured with it off
 * (`rateLimit: false` — 50 connections from one address would otherwise be refused after 600
 * requests a minute); a second run measures it on, at a max high enough never to refuse
 * (BENCH_RATE_MAX, default 100,000,000 a minute), to show its cost. BENCH_LOG=1 adds the
 * server's request log (pino, info, to a discarding stream). A third run turns the audit's group
 * commit off (ZHONGFU_AUDIT_GROUP_COMMIT=off: each read's row in its own transaction under the head
 * lock, as before ADR 0006) for comparison. BENCH_PATH measures another GET route (e.g.
 * /api/v1/auth/me: the session alone); BENCH_PROF=dir writes a CPU profile of the server.
 * The server and the bare server each run in a child process; the load generator in this one.
 * After the runs the audit trail is verified and the household.list rows counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 500);
const RATE_MAX = Number(process.env.BENCH_RATE_MAX ?? 100_000_000);
const BASE = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const PATH = process.env.BENCH_PATH ?? '/api/v1/households?page=1&pageSize=20';

// ---------------------------------------------------------------- child processes
async function childZhongfu(url: string, rate: string): Promise<void> {
  const { openPlatform } = await import('../src/app/setup/open-platform.js');
  const { buildServer } = await import('../src/server/app.js');
  const p = await openPlatform({ databaseUrl: url });
  const discard = new Writable({ write: (_c, _e, cb) => cb() });
  const app = await buildServer(p.ctx, {
    logger: process.env.BENCH_LOG === '1' ? { level: 'info', stream: { write: (m: string) => void discard.write(m) } } : false,
    rateLimit: rate === 'off' ? false : { max: Number(rate), timeWindow: '1 minute' },
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`LISTENING ${new URL(address).port}`);
  process.on('SIGTERM', () => void app.close().then(() => p.close()).then(() => process.exit(0)));
}

function childBare(bodyBase64: string): void {
  const body = Buffer.from(bodyBase64, 'base64');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${(server.address() as net.AddressInfo).port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

function startChild(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  // BENCH_PROF=dir: a CPU profile of the server child, written there when it stops.
  const prof = process.env.BENCH_PROF && args[1] === 'zhongfu' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`child ${args[1]} exited with ${code}`)));
  });
}

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------- load generator
interface LoadResult { requests: number; rps: number; p50: number; p99: number; errors: number; non200: number }

/**
 * Keeps `connections` keep-alive sockets busy for `seconds`, one request in flight on each (no
 * pipelining); latency from write to the last byte of the response. Content-Length responses only.
 */
function load(port: number, request: Buffer, seconds: number, connections: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let non200 = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      let buf: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = (): void => {
        if (performance.now() >= end) {
          socket.end();
          resolve();
          return;
        }
        sentAt = performance.now();
        socket.write(request);
      };
      socket.on('connect', send);
      socket.on('data', (d: Buffer) => {
        buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
        for (;;) {
          const headerEnd = buf.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const head = buf.subarray(0, headerEnd).toString('latin1');
          const m = /\r\ncontent-length: *(\d+)/i.exec(head);
          if (!m) {
            errors++;
            socket.destroy();
            resolve();
            return;
          }
          const total = headerEnd + 4 + Number(m[1]);
          if (buf.length < total) return;
          if (!head.startsWith('HTTP/1.1 200')) non200++;
          latencies.push(performance.now() - sentAt);
          buf = buf.subarray(total);
          send();
        }
      });
      socket.on('error', () => {
        errors++;
        resolve();
      });
    });
  return Promise.all(Array.from({ length: connections }, one)).then(() => {
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    return { requests: latencies.length, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), errors, non200 };
  });
}

const rawGet = (port: number, cookie: string | null): Buffer =>
  Buffer.from(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}Connection: keep-alive\r\n\r\n`, 'latin1');

async function signIn(port: number, username: string, password: string): Promise<string | null> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (r.status !== 200) return null;
  const m = /zf_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '');
  return m ? m[0] : null;
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'zf-bench-http-'));
  // The bench's own audit key and checkpoint file (the children inherit them).
  process.env.ZHONGFU_AUDIT_KEY_FILE = join(dir, 'audit.key');
  process.env.ZHONGFU_AUDIT_CHECKPOINTS = join(dir, 'audit-checkpoints.jsonl');
  const dbName = `zf_bench_http_${process.pid}`;
  const admin = async (statement: string): Promise<void> => {
    const c = new pg.Client({ connectionString: `${BASE}/postgres` });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${dbName}`);
  const url = `${BASE}/${dbName}`;
  const children: ChildProcess[] = [];
  try {
    const { openPlatform } = await import('../src/app/setup/open-platform.js');
    const { loadDemo } = await import('../src/app/setup/load-demo.js');
    const { ensureDemoAccounts } = await import('../src/app/setup/demo-accounts.js');
    const { verifyAudit } = await import('../src/app/audit/audit.js');
    const p = await openPlatform({ databaseUrl: url });
    await loadDemo(p.ctx, { households: HOUSEHOLDS, seed: 20261204, ledger: false });
    const accounts = await ensureDemoAccounts(p.ctx);
    await p.close();
    // Statistics as autovacuum would gather them on a live database (without, the list is planned for 2 rows).
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('ANALYZE');
    await c.end();

    const results: { name: string; r: LoadResult }[] = [];
    let body: Buffer | null = null;
    // The main figure, the same with the rate limit on, and (for comparison) without group commit.
    const variants = [
      { rate: 'off', groupCommit: true },
      { rate: String(RATE_MAX), groupCommit: true },
      { rate: 'off', groupCommit: false },
    ];
    for (const { rate, groupCommit } of variants) {
      process.env.ZHONGFU_AUDIT_GROUP_COMMIT = groupCommit ? 'on' : 'off';
      const z = await startChild(['--child', 'zhongfu', url, rate]);
      children.push(z.child);
      let cookie: string | null = null;
      let who = '';
      for (const a of accounts) {
        const c = await signIn(z.port, a.username, a.password);
        if (!c) continue;
        const r = await fetch(`http://127.0.0.1:${z.port}${PATH}`, { headers: { cookie: c } });
        const b = Buffer.from(await r.arrayBuffer());
        if (r.status === 200 && ((JSON.parse(b.toString()) as { items?: unknown[] }).items?.length ?? 1) > 0) {
          cookie = c;
          who = a.role;
          body ??= b;
          break;
        }
      }
      if (!cookie) throw new Error('no demo account could list households');
      await load(z.port, rawGet(z.port, cookie), 2, CONNECTIONS); // warm-up
      const r = await load(z.port, rawGet(z.port, cookie), SECONDS, CONNECTIONS);
      results.push({ name: `zhongfu, rate limit ${rate === 'off' ? 'off' : `on (max ${RATE_MAX}/min)`}${groupCommit ? '' : ', audit group commit off'} [${who}]`, r });
      await stopChild(z.child);
    }
    const bare = await startChild(['--child', 'bare', body!.toString('base64')]);
    children.push(bare.child);
    await load(bare.port, rawGet(bare.port, null), 2, CONNECTIONS);
    const b = await load(bare.port, rawGet(bare.port, null), SECONDS, CONNECTIONS);
    results.push({ name: `bare node:http, same ${body!.length} bytes`, r: b });
    await stopChild(bare.child);

    const v = await (async () => {
      const q = await openPlatform({ databaseUrl: url });
      try {
        const audited = (await q.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'household.list').executeTakeFirst())?.n ?? 0;
        return { audited, verify: await verifyAudit(q.ctx.db) };
      } finally {
        await q.close();
      }
    })();

    console.log(`\nmachine: ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}; node ${process.version}; ${new Date().toISOString()}`);
    console.log(`load: ${CONNECTIONS} keep-alive connections, ${SECONDS} s each (after 2 s warm-up), 127.0.0.1; PostgreSQL ${BASE.replace(/\/\/[^@]*@/, '//')}, ${HOUSEHOLDS} demo households`);
    for (const { name, r } of results) {
      console.log(`${name.padEnd(72)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms  (${r.requests} requests, ${r.non200} non-200, ${r.errors} errors)`);
    }
    for (const z of results.slice(0, -1)) console.log(`ratio ${(100 * z.r.rps / b.rps).toFixed(1)} % of the bare server  (${z.name})`);
    const measured = results.slice(0, -1).reduce((n, z) => n + z.r.requests, 0);
    console.log(`audit: ${v.audited} household.list rows for ${measured} measured requests (+ warm-up); verify: ${v.verify.ok ? 'intact' : 'TAMPERED'}, ${v.verify.checked} rows, ${v.verify.checkpointsChecked} checkpoints`);
  } finally {
    for (const c of children) await stopChild(c);
    if (process.env.BENCH_KEEP !== '1') await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  if (process.argv[3] === 'zhongfu') await childZhongfu(process.argv[4]!, process.argv[5]!);
  else childBare(process.argv[4]!);
} else {
  await main();
}

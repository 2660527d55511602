/**
 * A small stand-in for `zhongfu start`, for developing the web app before (or without) the real
 * server: serves the /api/v1 endpoints the web app uses over an in-memory synthetic population,
 * classified by the real means test in src/core, plus web/dist with an SPA fallback.
 * Test-only; it is never part of the shipped build.
 *
 *   node --import tsx test/e2e/mock/mock-server.ts --port 3000 [--households 300]
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Household, Member } from '../../../src/core/household/household.js';
import { makeResidentId } from '../../../src/core/ids/index.js';
import { classifyHousehold, type Classification } from '../../../src/core/means-test/index.js';
import { parametersAt, parsePolicyYaml } from '../../../src/core/policy/parameters.js';
import { zhejiangRegions, type Region } from '../../../src/core/regions/index.js';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const distDir = join(repo, 'web', 'dist');

interface StoredClassification extends Omit<Classification, 'parameterVersion'> {
  id: string;
  householdId: string;
  policyVersion: string;
  runId: string | null;
  createdAt: string;
}
interface Stored {
  h: Household;
  createdAt: string;
  classifications: StoredClassification[];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '陈', '刘', '杨', '黄', '吴', '周', '徐', '孙', '朱', '胡', '郑', '何', '沈', '叶', '林', '金', '方'];
const GIVEN_M = ['建国', '志强', '伟', '国平', '海峰', '军', '永明', '浩然', '子轩', '明杰'];
const GIVEN_F = ['秀英', '桂芳', '丽华', '美玲', '晓燕', '婷', '雨涵', '慧敏', '玉兰', '静'];

export function createMockStore(count: number, asOf: string, seed = 20261129) {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const regions = zhejiangRegions();
  const book = parsePolicyYaml(readFileSync(join(repo, 'policies', 'zhejiang.yaml'), 'utf8'), {
    isKnownRegion: (code) => regions.get(code) !== undefined,
  });
  const villages = regions.list('village');
  const year = Number(asOf.slice(0, 4));
  const periodStart = `${year - 1}${asOf.slice(4, 8)}${String(Math.min(28, Number(asOf.slice(8)) + 1)).padStart(2, '0')}`;
  const households = new Map<string, Stored>();

  const classify = (s: Stored, on: string): StoredClassification => {
    const params = parametersAt(book, s.h.regionCode, on);
    const { parameterVersion, ...c } = classifyHousehold(s.h, params, on);
    const out: StoredClassification = {
      ...c,
      id: randomUUID(),
      householdId: s.h.id,
      policyVersion: parameterVersion,
      runId: null,
      createdAt: new Date().toISOString(),
    };
    s.classifications.unshift(out);
    return out;
  };

  for (let i = 0; i < count; i++) {
    const village = pick(villages);
    const county6 = village.code.slice(0, 6);
    const size = int(1, 5);
    const surname = pick(SURNAMES);
    const members: Member[] = [];
    for (let m = 0; m < size; m++) {
      const relation = m === 0 ? 'head' : m === 1 ? 'spouse' : 'child';
      const age = relation === 'child' ? int(2, 25) : int(28, 85);
      const birthDate = `${year - age}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
      const seq = int(0, 999);
      const sex = seq % 2 === 1 ? 'M' : 'F';
      members.push({
        id: randomUUID(),
        name: (relation === 'spouse' ? pick(SURNAMES) : surname) + pick(sex === 'M' ? GIVEN_M : GIVEN_F),
        idNumber: makeResidentId(county6, birthDate, seq),
        relation,
        sex,
        birthDate,
        disabilityGrade: rnd() < 0.1 ? (int(1, 4) as 1 | 2 | 3 | 4) : 0,
        seriousIllness: rnd() < 0.08,
        labourCapacity: age >= 60 || age < 16 ? 'none' : rnd() < 0.15 ? 'partial' : 'full',
        schooling: relation === 'child' && age < 22 ? pick(['primary', 'junior', 'senior', 'vocational', 'college'] as const) : 'none',
      });
    }
    // Skewed towards low incomes so every tier shows up.
    const perCapitaYuan = Math.floor(rnd() * rnd() * 6000);
    const incomes: Household['incomes'] = [];
    const earners = members.filter((m) => m.labourCapacity !== 'none');
    const payees = earners.length > 0 ? earners : [members[0]!];
    const totalFen = perCapitaYuan * 100 * 12 * size;
    payees.forEach((m, k) => {
      const share = k === payees.length - 1 ? totalFen - Math.floor(totalFen / payees.length) * (payees.length - 1) : Math.floor(totalFen / payees.length);
      incomes.push({ id: randomUUID(), memberId: m.id, category: m.labourCapacity === 'none' ? 'transfer' : 'wages', subtype: m.labourCapacity === 'none' ? 'basic_pension' : 'salary', amountFen: share, periodStart, periodEnd: asOf, sourceDept: m.labourCapacity === 'none' ? 'hrss' : 'tax' });
    });
    if (members.some((m) => m.disabilityGrade > 0)) {
      incomes.push({ id: randomUUID(), memberId: members[0]!.id, category: 'transfer', subtype: 'care_allowance', amountFen: 180_000, periodStart, periodEnd: asOf, sourceDept: 'disabled_federation' });
    }
    if (rnd() < 0.3) {
      incomes.push({ id: randomUUID(), memberId: members[0]!.id, category: 'deduction', subtype: 'social_insurance_paid', amountFen: int(50_000, 300_000), periodStart, periodEnd: asOf, sourceDept: 'hrss' });
    }
    const assets: Household['assets'] = [
      { id: randomUUID(), kind: 'deposit', valueFen: int(0, 6_000_000), asOf, sourceDept: 'bank' },
      { id: randomUUID(), kind: 'residence', valueFen: int(10_000_000, 80_000_000), floorAreaM2: int(30, 140), asOf, sourceDept: 'natural_resources' },
    ];
    if (rnd() < 0.08) assets.push({ id: randomUUID(), kind: 'vehicle', valueFen: int(2_000_000, 9_000_000), isDisabilityVehicle: rnd() < 0.3, asOf, sourceDept: 'public_security' });
    const expenditures: Household['expenditures'] = [];
    if (rnd() < 0.25) {
      expenditures.push({ id: randomUUID(), memberId: pick(members).id, category: 'medical', amountFen: int(500_000, 8_000_000), periodStart, periodEnd: asOf, sourceDept: 'healthcare_security' });
    }
    if (members.some((m) => m.schooling !== 'none')) {
      expenditures.push({ id: randomUUID(), category: 'education', amountFen: int(100_000, 1_500_000), periodStart, periodEnd: asOf, sourceDept: 'education' });
    }
    const emergencies: Household['emergencies'] = rnd() < 0.06 ? [{ kind: pick(['fire', 'accident', 'sudden_illness', 'natural_disaster'] as const), occurredOn: `${asOf.slice(0, 8)}01` }] : [];
    const h: Household = {
      id: randomUUID(),
      regionCode: village.code,
      residenceRegionCode: null,
      address: `${village.name}${int(1, 99)}号`,
      hasAbleSupporter: rnd() < 0.4,
      members,
      incomes,
      assets,
      expenditures,
      emergencies,
    };
    const s: Stored = { h, createdAt: new Date().toISOString(), classifications: [] };
    households.set(h.id, s);
    classify(s, asOf);
  }
  return { regions, households, classify };
}

type Store = ReturnType<typeof createMockStore>;

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};
const fail = (res: ServerResponse, status: number, code: string, message: string): void => json(res, status, { error: { code, message } });

const regionView = (r: Region) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, isMountainCounty: r.isMountainCounty });

function classificationView(c: StoredClassification) {
  return {
    id: c.id,
    householdId: c.householdId,
    asOf: c.asOf,
    category: c.category,
    flags: c.flags,
    paymentFen: c.paymentFen,
    perCapitaMonthlyIncomeFen: c.perCapitaMonthlyIncomeFen,
    policyVersion: c.policyVersion,
    runId: c.runId,
    createdAt: c.createdAt,
    facts: c.facts,
    trace: c.trace,
  };
}

function householdView(store: Store, s: Stored) {
  const meta = { batchId: null, createdAt: s.createdAt };
  return {
    id: s.h.id,
    regionCode: s.h.regionCode,
    regionPath: store.regions.ancestors(s.h.regionCode).map(regionView),
    residenceRegionCode: s.h.residenceRegionCode ?? null,
    address: s.h.address ?? null,
    hasAbleSupporter: s.h.hasAbleSupporter,
    createdAt: s.createdAt,
    updatedAt: s.createdAt,
    members: s.h.members,
    incomes: s.h.incomes.map((r) => ({ ...r, ...meta })),
    assets: s.h.assets.map((r) => ({ ...r, ...meta })),
    expenditures: s.h.expenditures.map((r) => ({ ...r, ...meta })),
    emergencies: s.h.emergencies.map((r) => ({ ...r, id: randomUUID(), sourceDept: 'civil_affairs', ...meta })),
    latestClassification: s.classifications[0] ? classificationView(s.classifications[0]) : null,
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

function serveStatic(res: ServerResponse, pathname: string): void {
  const rel = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(distDir, rel);
  if (!file.startsWith(distDir) || !existsSync(file) || statSync(file).isDirectory()) file = join(distDir, 'index.html');
  if (!existsSync(file)) return fail(res, 404, 'NOT_FOUND', 'web/dist is missing: run npm run build:web');
  res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
}

export function startMockServer(port: number, count: number, asOf: string) {
  const store = createMockStore(count, asOf);
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const p = url.pathname;
      if (!p.startsWith('/api/')) return serveStatic(res, p);
      const q = url.searchParams;
      if (p === '/api/v1/regions') {
        const parent = q.get('parent') ?? '33';
        return json(res, 200, { items: store.regions.children(parent).map(regionView) });
      }
      if (p === '/api/v1/households') {
        const region = q.get('region') ?? '';
        const category = q.get('category');
        const page = Number(q.get('page') ?? '1');
        const pageSize = Number(q.get('pageSize') ?? '20');
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) return fail(res, 400, 'VALIDATION_FAILED', 'pageSize must be 1..200');
        const all = [...store.households.values()]
          .filter((s) => s.h.regionCode.startsWith(region))
          .filter((s) => !category || s.classifications[0]?.category === category)
          .sort((a, b) => (a.h.regionCode < b.h.regionCode ? -1 : a.h.regionCode > b.h.regionCode ? 1 : 0));
        const items = all.slice((page - 1) * pageSize, page * pageSize).map((s) => {
          const county = store.regions.countyOf(s.h.regionCode)!;
          const c = s.classifications[0];
          return {
            id: s.h.id,
            regionCode: s.h.regionCode,
            villageName: store.regions.get(s.h.regionCode)!.name,
            countyCode: county.code,
            countyName: county.name,
            isMountainCounty: county.isMountainCounty,
            headName: s.h.members.find((m) => m.relation === 'head')?.name ?? null,
            memberCount: s.h.members.length,
            category: c?.category ?? null,
            flags: c?.flags ?? [],
            paymentFen: c?.paymentFen ?? null,
            classifiedAsOf: c?.asOf ?? null,
          };
        });
        return json(res, 200, { items, total: all.length, page, pageSize });
      }
      if (p === '/api/v1/stats/categories') {
        const region = q.get('region') ?? '33';
        const byCategory: Record<string, number> = {};
        let total = 0;
        for (const s of store.households.values()) {
          if (!s.h.regionCode.startsWith(region)) continue;
          total++;
          const c = s.classifications[0]?.category;
          if (c) byCategory[c] = (byCategory[c] ?? 0) + 1;
        }
        return json(res, 200, { region, total, byCategory });
      }
      const m = /^\/api\/v1\/households\/([^/]+)(\/classify|\/classifications)?$/.exec(p);
      if (m) {
        const id = m[1]!;
        if (!UUID.test(id)) return fail(res, 400, 'VALIDATION_FAILED', 'id must be a UUID');
        const s = store.households.get(id);
        if (!s) return fail(res, 404, 'HOUSEHOLD_NOT_FOUND', `household ${id} not found`);
        if (m[2] === '/classify' && req.method === 'POST') {
          const body = (await readBody(req)) as { asOf?: string };
          return json(res, 200, classificationView(store.classify(s, body.asOf ?? asOf)));
        }
        if (m[2] === '/classifications') return json(res, 200, { items: s.classifications.map(classificationView) });
        if (!m[2]) return json(res, 200, householdView(store, s));
      }
      return fail(res, 404, 'NOT_FOUND', `no route ${req.method ?? 'GET'} ${p}`);
    })().catch((e: unknown) => fail(res, 500, 'INTERNAL', e instanceof Error ? e.message : String(e)));
  });
  server.listen(port, '127.0.0.1');
  return server;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '3000' }, households: { type: 'string', default: '300' } } });
  const today = new Date().toISOString().slice(0, 10);
  startMockServer(Number(values.port), Number(values.households), today);
  console.log(`mock server on http://127.0.0.1:${values.port}`);
}

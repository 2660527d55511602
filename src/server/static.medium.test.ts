import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app.js';
import { openTestPlatform } from '../../test/support/databases.js';
import type { Platform } from '../app/setup/open-platform.js';

describe('web app serving', () => {
  let p: Platform;
  let app: FastifyInstance;
  const dist = mkdtempSync(join(tmpdir(), 'zf-dist-'));
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>众扶</title>');
    writeFileSync(join(dist, 'assets', 'a.js'), 'console.log(1)');
    p = await openTestPlatform('pglite');
    app = await buildServer(p.ctx, { webDist: dist });
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('serves client routes with index.html and real assets as files', async () => {
    const page = await app.inject({ method: 'GET', url: '/households/0190' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('众扶');
    expect((await app.inject({ method: 'GET', url: '/assets/a.js' })).body).toBe('console.log(1)');
  });
  it('answers 404 for a missing asset, API route or a file added later is served without restart', async () => {
    expect((await app.inject({ method: 'GET', url: '/assets/nope.js' })).statusCode).toBe(404);
    const api = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'route not found' } });
    writeFileSync(join(dist, 'assets', 'b.js'), 'console.log(2)');
    expect((await app.inject({ method: 'GET', url: '/assets/b.js' })).statusCode).toBe(200);
  });
  it('sets security headers', async () => {
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('web app not built', () => {
  it('answers a page saying how to build it (503), while the API answers as usual', async () => {
    const p = await openTestPlatform('pglite');
    const app = await buildServer(p.ctx, { webDist: join(tmpdir(), 'zf-no-such-dist') });
    try {
      const page = await app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(503);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('npm run build:web');
      expect((await app.inject({ method: 'GET', url: '/households' })).body).toContain('npm run build:web');
      expect((await app.inject({ method: 'GET', url: '/api/v1/nope' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    } finally {
      await app.close();
      await p.close();
    }
  });
});

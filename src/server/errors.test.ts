import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { errorHandler } from './errors.js';

/** A server whose one route throws what a database driver would. */
async function throwing(error: Error & { code?: string }) {
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  app.get('/x', () => {
    throw error;
  });
  const r = await app.inject({ method: 'GET', url: '/x' });
  await app.close();
  return r;
}

const pgError = (code: string, message = 'database error'): Error & { code: string } => Object.assign(new Error(message), { code });

describe('database errors become answers a client can act on', () => {
  it('a deadlock or serialisation failure is 409 CONFLICT (try again), not 500', async () => {
    for (const code of ['40P01', '40001']) {
      const r = await throwing(pgError(code, 'deadlock detected; detail with values'));
      expect(r.statusCode).toBe(409);
      expect(r.json<{ error: { code: string; message: string } }>().error.code).toBe('CONFLICT');
      expect(r.body).not.toContain('detail with values');
    }
  });

  it('a lost or refused connection is 503 UNAVAILABLE with Retry-After', async () => {
    for (const e of [pgError('57P01'), pgError('08006'), pgError('ECONNREFUSED'), new Error('Connection terminated unexpectedly')]) {
      const r = await throwing(e);
      expect(r.statusCode).toBe(503);
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json<{ error: { code: string } }>().error.code).toBe('UNAVAILABLE');
    }
  });

  it('any other error stays a bare 500 without internals', async () => {
    const r = await throwing(pgError('42P01', 'relation "secret_table" does not exist'));
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('secret_table');
  });
});

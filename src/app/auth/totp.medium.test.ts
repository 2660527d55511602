import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform } from '../../../test/support/databases.js';
import type { Platform } from '../setup/open-platform.js';
import { base32Decode, totp } from '../../core/security/index.js';
import { createUser } from './users.js';
import { enableTotp, login, newTotpSecret } from './sessions.js';
import type { Actor } from './actor.js';

describe('TOTP second factor', () => {
  let p: Platform;
  let actor: Actor;
  const password = 'a long enough password';
  beforeAll(async () => {
    p = await openTestPlatform('pglite');
    await createUser(p.ctx, null, { username: 'totp-user', displayName: 'x', role: 'county_officer', scopeRegion: '330106', password });
    actor = (await login(p.ctx, { username: 'totp-user', password }, null)).actor;
  });
  afterAll(async () => p.close());

  it('enrols with a code from the new secret, then sign-in needs a code', async () => {
    const t0 = new Date('2026-11-29T08:00:00Z');
    const secret = newTotpSecret();
    await expect(enableTotp(p.ctx, actor, secret, '000000', undefined, t0)).rejects.toThrow(/code: does not match/);
    await enableTotp(p.ctx, actor, secret, totp(base32Decode(secret), t0.getTime() / 1000), undefined, t0);
    const t1 = new Date(t0.getTime() + 60_000);
    await expect(login(p.ctx, { username: 'totp-user', password }, null, undefined, t1)).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });
    await expect(login(p.ctx, { username: 'totp-user', password, totp: '123456' }, null, undefined, t1)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const ok = await login(p.ctx, { username: 'totp-user', password, totp: totp(base32Decode(secret), t1.getTime() / 1000) }, null, undefined, t1);
    expect(ok.token).toHaveLength(43);

    // Replacing the factor needs a code from the current one.
    const t2 = new Date(t1.getTime() + 60_000);
    const next = newTotpSecret();
    const nextCode = totp(base32Decode(next), t2.getTime() / 1000);
    await expect(enableTotp(p.ctx, actor, next, nextCode, undefined, t2)).rejects.toThrow(/currentCode/);
    await expect(enableTotp(p.ctx, actor, next, nextCode, '000000', t2)).rejects.toThrow(/currentCode/);
    await enableTotp(p.ctx, actor, next, nextCode, totp(base32Decode(secret), t2.getTime() / 1000), t2);
  });
});

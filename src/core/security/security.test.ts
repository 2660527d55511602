import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from './totp.js';
import {
  auditHash, auditHmac, auditKeyId, GENESIS_HASH, parseCheckpoint, signCheckpoint, verifyAuditChain, type AuditEntry, type ChainedAuditEntry,
} from './audit-chain.js';
import { maskIdNumber, maskName, maskPhone, MOBILE_PATTERN, RESIDENT_ID_PATTERN } from './masking.js';
import { ADMIN_DUTIES, ROLE_SPECS, ROLES } from './roles.js';

describe('HOTP and TOTP against the RFC test vectors', () => {
  const secret = new TextEncoder().encode('12345678901234567890');
  it('RFC 4226 appendix D', () => {
    expect(Array.from({ length: 10 }, (_, i) => hotp(secret, i))).toEqual([
      '755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489',
    ]);
  });
  it('RFC 6238 appendix B (SHA-1, 8 digits)', () => {
    const cases: [number, string][] = [[59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'], [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130']];
    for (const [t, code] of cases) expect(totp(secret, t, { digits: 8 })).toBe(code);
  });
  it('accepts one step of drift, and each code only once', () => {
    const now = 1_800_000_000;
    const code = totp(secret, now);
    const step = verifyTotp(secret, code, now + 29, null);
    expect(step).toBe(Math.floor(now / 30));
    expect(verifyTotp(secret, code, now, step)).toBeNull();
    expect(verifyTotp(secret, code, now + 95, null)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', now, null)).toBeNull();
  });
  it('base32 round-trips (RFC 4648 vector "foobar" → MZXW6YTBOI)', () => {
    expect(base32Encode(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      expect([...base32Decode(base32Encode(b))]).toEqual([...b]);
    }));
  });
});

describe('masking', () => {
  it('masks as the examples say', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskIdNumber('33010619800304123X')).toBe('330106********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('never leaves a whole ID number or phone number for a leak scan to find', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}[\dX]$/), fc.stringMatching(/^1[3-9]\d{9}$/), (id, phone) => {
        expect(id.match(RESIDENT_ID_PATTERN)).toEqual([id]);
        expect(maskIdNumber(id).match(RESIDENT_ID_PATTERN)).toBeNull();
        expect(phone.match(MOBILE_PATTERN)).toEqual([phone]);
        expect(maskPhone(phone).match(MOBILE_PATTERN)).toBeNull();
      }),
    );
  });
});

describe('roles', () => {
  it('three administrators: each holds exactly one duty and no household permission', () => {
    for (const role of ROLES) {
      const duties = ROLE_SPECS[role].permissions.filter((p) => ADMIN_DUTIES.includes(p));
      expect(duties.length).toBeLessThanOrEqual(1);
      if (duties.length === 1) expect(ROLE_SPECS[role].permissions).toEqual(duties);
    }
  });
});

describe('audit hash chain', () => {
  const make = (n: number): (AuditEntry & { prevHash: string; hash: string })[] => {
    let prev = GENESIS_HASH;
    return Array.from({ length: n }, (_, i) => {
      const e: AuditEntry = { seq: i + 1, at: new Date(1_800_000_000_000 + i * 1000).toISOString(), actorId: `u${i % 7}`, role: 'county_officer', action: i % 3 ? 'household.read' : 'household.update', objectType: 'household', objectId: `h${i % 50}`, purpose: null, result: 'ok', requestId: `r${i}` };
      const hash = auditHash(prev, e);
      const row = { ...e, prevHash: prev, hash };
      prev = hash;
      return row;
    });
  };
  it('verifies an intact chain', () => {
    const rows = make(100);
    expect(verifyAuditChain(rows, { seq: 100, hash: rows[99]!.hash }).ok).toBe(true);
  });
  it('detects 1,000 random edits, deletions and reorderings (100 %)', () => {
    const base = make(200);
    const head = { seq: 200, hash: base[199]!.hash };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 199 }), fc.integer({ min: 0, max: 199 }), fc.constantFrom('edit', 'delete', 'swap', 'truncate', 'edit-and-rehash'), (i, j, kind) => {
        const rows = base.map((r) => ({ ...r }));
        if (kind === 'edit') rows[i]!.action = 'household.delete';
        else if (kind === 'delete') rows.splice(i, 1);
        else if (kind === 'truncate') rows.splice(i);
        else if (kind === 'edit-and-rehash') {
          // A forger who recomputes this row's hash still breaks the next row's link (or the head).
          rows[i]!.objectId = 'forged';
          rows[i]!.hash = auditHash(rows[i]!.prevHash, rows[i]!);
        } else {
          const k = i === j ? (j + 1) % 200 : j;
          [rows[i], rows[k]] = [rows[k]!, rows[i]!];
        }
        expect(verifyAuditChain(rows, head).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('keyed audit chain and signed checkpoints (ADR 0006)', () => {
  const key = Buffer.alloc(32, 1);
  const other = Buffer.alloc(32, 2);
  const entry = (seq: number): AuditEntry => ({ seq, at: new Date(1_800_000_000_000 + seq * 1000).toISOString(), actorId: null, role: 'county_officer', action: 'household.read', objectType: 'household', objectId: `h${seq}`, purpose: null, result: 'ok', requestId: `r${seq}` });
  /** `legacy` rows of plain SHA-256, then keyed rows up to `n`. */
  const make = (n: number, legacy: number, k: Uint8Array = key): ChainedAuditEntry[] => {
    let prev = GENESIS_HASH;
    return Array.from({ length: n }, (_, i) => {
      const e = entry(i + 1);
      const hash = i < legacy ? auditHash(prev, e) : auditHmac(k, prev, e);
      const r = { ...e, prevHash: prev, hash };
      prev = hash;
      return r;
    });
  };
  const headOf = (rows: ChainedAuditEntry[]) => (rows.length ? { seq: rows.length, hash: rows.at(-1)!.hash } : { seq: 0, hash: GENESIS_HASH });
  const cp = (rows: ChainedAuditEntry[], seq: number, keyedFrom: number, k: Uint8Array = key) => ({ line: 1, checkpoint: signCheckpoint(k, { db: 'test', keyedFrom, seq, hash: rows[seq - 1]!.hash, at: '2026-12-04T00:00:00.000Z' }) });

  it('verifies old SHA-256 rows before the boundary and keyed rows after it', () => {
    const rows = make(60, 20);
    expect(verifyAuditChain(rows, headOf(rows), { key, keyedFrom: 21, checkpoints: [cp(rows, 60, 21)] })).toMatchObject({ ok: true, checked: 60, checkpointsChecked: 1, lastCheckpointSeq: 60 });
  });

  it('detects a row appended without the key (plain SHA-256 or another key), which the unkeyed chain accepts', () => {
    for (const forge of [(p: string, e: AuditEntry) => auditHash(p, e), (p: string, e: AuditEntry) => auditHmac(other, p, e)]) {
      const rows = make(30, 0);
      const e = entry(31);
      rows.push({ ...e, prevHash: rows[29]!.hash, hash: forge(rows[29]!.hash, e) });
      expect(verifyAuditChain(rows, headOf(rows), { key, keyedFrom: 1 }).ok).toBe(false);
    }
  });

  it('detects truncation and tail deletion with the head moved back, through the signed checkpoint', () => {
    const rows = make(50, 0);
    const checkpoints = [cp(rows, 50, 1)];
    for (const keep of [0, 1, 25, 49]) {
      const cut = rows.slice(0, keep);
      expect(verifyAuditChain(cut, headOf(cut), { key, keyedFrom: 1, checkpoints }).ok).toBe(false);
    }
    expect(verifyAuditChain([], null, { key, keyedFrom: 1 }).ok).toBe(false);
  });

  it('reports a checkpoint with a bad signature, another key, or an unreadable line', () => {
    const rows = make(10, 0);
    const good = cp(rows, 10, 1).checkpoint;
    expect(parseCheckpoint(JSON.stringify(good))).toEqual(good);
    expect(parseCheckpoint('{"v":1')).toBeNull();
    for (const c of [{ ...good, seq: 9 }, { ...good, hash: rows[3]!.hash }, { ...good, keyedFrom: 2 }, cp(rows, 10, 1, other).checkpoint]) {
      expect(verifyAuditChain(rows, headOf(rows), { key, keyedFrom: 1, checkpoints: [{ line: 3, checkpoint: c }] }).ok).toBe(false);
    }
    expect(verifyAuditChain(rows, headOf(rows), { key, keyedFrom: 1, checkpoints: [{ line: 3, checkpoint: null }] }).ok).toBe(false);
    expect(auditKeyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(auditKeyId(key)).not.toBe(auditKeyId(other));
  });

  it('detects 1,000 random edits, deletions, reorderings, forgeries and moved boundaries on a keyed chain (100 %)', () => {
    const base = make(120, 40);
    const checkpoints = [cp(base, 100, 41)];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 119 }), fc.integer({ min: 0, max: 119 }), fc.constantFrom('edit', 'edit-and-rehash', 'delete', 'truncate', 'swap', 'boundary'), (i, j, kind) => {
        let rows = base.map((r) => ({ ...r }));
        let keyedFrom = 41;
        let head = headOf(base);
        if (kind === 'edit') rows[i]!.objectId = 'forged';
        else if (kind === 'delete') rows.splice(i, 1);
        else if (kind === 'truncate') { rows = rows.slice(0, Math.min(i, 99)); head = headOf(rows); }
        else if (kind === 'boundary') keyedFrom = 41 + 1 + (i % 70);
        else if (kind === 'edit-and-rehash') {
          // Rewrite from row i on without the key, head included.
          rows[i]!.objectId = 'forged';
          for (let k = i; k < rows.length; k++) {
            rows[k]!.prevHash = k === 0 ? GENESIS_HASH : rows[k - 1]!.hash;
            rows[k]!.hash = auditHash(rows[k]!.prevHash, rows[k]!);
          }
          head = headOf(rows);
        } else {
          const k = i === j ? (j + 1) % 120 : j;
          [rows[i], rows[k]] = [rows[k]!, rows[i]!];
        }
        expect(verifyAuditChain(rows, head, { key, keyedFrom, checkpoints }).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

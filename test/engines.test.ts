/**
 * package.json `engines.node` tells what the platform runs on; every installed package must run on
 * the oldest Node.js it admits (npm prints EBADENGINE otherwise, and a package may fail there).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const ROOT = join(import.meta.dirname, '..');

function installedPackages(dir: string, out: { name: string; version: string; node: string }[] = []): typeof out {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      installedPackages(join(dir, entry), out);
      continue;
    }
    const manifest = join(dir, entry, 'package.json');
    if (!existsSync(manifest)) continue;
    const j = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string; engines?: { node?: unknown } };
    if (j.name && typeof j.engines?.node === 'string') out.push({ name: j.name, version: j.version ?? '?', node: j.engines.node });
    installedPackages(join(dir, entry, 'node_modules'), out);
  }
  return out;
}

describe('engines', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it('the running Node.js satisfies engines.node', () => {
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });

  it(`every installed package runs on the oldest Node.js engines admits (${oldest})`, () => {
    const packages = installedPackages(join(ROOT, 'node_modules'));
    expect(packages.length).toBeGreaterThan(100);
    const refusing = packages.filter((p) => !semver.satisfies(oldest, p.node)).map((p) => `${p.name}@${p.version} wants node ${p.node}`);
    expect(refusing).toEqual([]);
  });
});

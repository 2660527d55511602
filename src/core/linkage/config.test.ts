import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LinkConfigError, parseLinkConfig } from './config.js';

const EXAMPLES = join(import.meta.dirname, '../../../docs/examples/linkage');

function problems(doc: unknown): readonly string[] {
  try {
    parseLinkConfig(doc);
  } catch (e) {
    if (e instanceof LinkConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('linkage configuration', () => {
  it('every documented example is valid', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(() => parseLinkConfig(JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8'))), f).not.toThrow();
  });
  it('fills in defaults', () => {
    const c = parseLinkConfig({ fields: [{ column: 'name', comparator: 'jaroWinkler' }], blocking: { rules: [{ keys: [{ column: 'name' }] }] } });
    expect(c).toMatchObject({
      threshold: 0.5,
      csv: { delimiter: ',', trim: false },
      fields: [{ name: 'name', column: 'name', tf: false, comparator: { comparator: 'jaroWinkler', thresholds: [0.92, 0.8] } }],
      blocking: { rules: [{ name: 'name', keys: [{ column: 'name', transform: 'value' }] }], maxBucketSize: 1000 },
      clustering: { strongThreshold: 0.99, maxClusterSize: 50 },
    });
    expect(c.prior).toBeUndefined();
  });
  it('lists every problem, each naming its key', () => {
    expect(problems({
      idColum: 'id',
      fields: [
        { column: 'name', comparator: 'jw' },
        { column: 'dob', comparator: 'date', format: 'DDMMYY', withinDays: -1 },
        { column: 'ssn', comparator: 'damerau', thresholds: [0.5], tf: 'yes' },
        { comparator: 'exact' },
        { column: 'x', comparator: 'exact', treshold: 1 },
      ],
      blocking: { rules: [{ keys: [{ column: 'name', transform: 'prefix', length: 0 }, { column: 'dob', transform: 'metaphone' }] }] },
      threshold: 1.5,
    })).toEqual([
      'idColum: unknown key (allowed: $schema, description, idColumn, csv, fields, blocking, threshold, prior, training, clustering)',
      'fields[0].comparator: unknown comparator "jw" (expected one of exact, jaroWinkler, levenshtein, damerau, date, residentId, chineseName, number, postcode)',
      'fields[1].format: must be one of auto, YYYYMMDD, YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY',
      'fields[1].withinDays: must be a whole number ≥ 0',
      'fields[2].tf: must be true or false',
      'fields[2].thresholds: must be a list of at most 12 numbers, each a whole number from 1 to 20',
      'fields[3].column: is required',
      'fields[4].treshold: unknown key (allowed: name, column, comparator, tf, caseSensitive)',
      'blocking.rules[0].keys[0].length: must be a whole number ≥ 1',
      'blocking.rules[0].keys[1].transform: unknown transform "metaphone" (expected one of value, prefix, soundex, year, pinyin, surname, givenName)',
      'threshold: must be a probability strictly between 0 and 1',
    ]);
    expect(problems([])).toEqual(['(top level): must be a JSON object']);
    expect(problems({ fields: [], blocking: {} })).toEqual(['fields: must be a non-empty list', 'blocking.rules: must be a list of 1 to 32 rules']);
  });
});

import { describe, expect, it } from 'vitest';
import { parametersAt, parsePolicyYaml, PolicyValidationError, policyBookToDocument, validatePolicyDocument } from './parameters.js';
import { testPolicyBook } from '../means-test/fixtures.js';

const book = testPolicyBook();

describe('parametersAt', () => {
  it('inherits the province default and takes the latest value on or before the date', () => {
    expect(parametersAt(book, '330106001001', '2024-06-30').values.dibaoStandardFen).toBe(110_000);
    const r = parametersAt(book, '330106001001', '2024-07-01');
    expect(r.values.dibaoStandardFen).toBe(114_900);
    expect(r.sources.dibaoStandardFen).toEqual({ regionCode: '33', effectiveFrom: '2024-07-01' });
  });
  it('a county override beats the province default, for the county and everything below it', () => {
    for (const code of ['330127', '330127100', '330127100201']) {
      const r = parametersAt(book, code, '2025-01-01');
      expect(r.values.marginalMultiplier).toBe(1.5);
      expect(r.sources.marginalMultiplier.regionCode).toBe('330127');
    }
    expect(parametersAt(book, '3301', '2025-01-01').values.marginalMultiplier).toBe(2);
  });
  it('a city value applies to its counties unless a county overrides it', () => {
    const b = testPolicyBook({
      dibao_standard: { label: 'x', source: 't', kind: 'money', values: { '33': { '2023-07-01': 1149 }, '3302': { '2024-01-01': 1200 }, '330212': { '2024-06-01': 1300 } } },
    });
    expect(parametersAt(b, '330203001001', '2024-02-01').values.dibaoStandardFen).toBe(120_000);
    expect(parametersAt(b, '330212001001', '2024-02-01').values.dibaoStandardFen).toBe(120_000);
    expect(parametersAt(b, '330212001001', '2024-06-01').values.dibaoStandardFen).toBe(130_000);
    expect(parametersAt(b, '330106', '2024-06-01').values.dibaoStandardFen).toBe(114_900);
  });
  it('refuses a date before any value was in force', () => {
    expect(() => parametersAt(book, '330106', '2020-01-01')).toThrow(/dibao_standard has no value in force on 2020-01-01/);
  });
});

describe('policy validation', () => {
  const problemsOf = (text: string): string[] => {
    try {
      parsePolicyYaml(text, { isKnownRegion: (c) => c !== '339999' });
    } catch (e) {
      if (e instanceof PolicyValidationError) return [...e.problems];
      throw e;
    }
    return [];
  };
  const base = policyBookToDocument(book);
  const withParam = (key: string, def: unknown): string => JSON.stringify({ ...base, parameters: { ...(base.parameters as object), [key]: def } });

  it('round-trips through the stored document form', () => {
    const again = validatePolicyDocument(policyBookToDocument(book), { isKnownRegion: () => true });
    expect(parametersAt(again, '330127', '2025-01-01')).toEqual(parametersAt(book, '330127', '2025-01-01'));
  });
  it('names the key and the problem', () => {
    expect(problemsOf(withParam('dibao_standard', { label: 'x', source: 's', kind: 'money', values: { '33': { '2024-13-01': 1149 } } }))).toEqual([
      'parameters.dibao_standard.values.33.2024-13-01: not a calendar date (YYYY-MM-DD)',
    ]);
    expect(problemsOf(withParam('dibao_standard', { label: 'x', source: 's', kind: 'money', values: { '3301': { '2024-01-01': 1149 } } }))).toEqual([
      'parameters.dibao_standard.values: needs a province default under "33"',
    ]);
  });
  it('rejects negative, fractional-fen and wrongly typed values, unknown regions and unknown keys', () => {
    const p = problemsOf(
      JSON.stringify({
        ...base,
        parameters: {
          ...(base.parameters as object),
          dibao_standard: { label: 'x', source: 's', kind: 'money', values: { '33': { '2024-07-01': -5 }, '339999': { '2024-07-01': 1 }, '3301': { '2024-07-01': 1149.005 } } },
          marginal_multiplier: { label: 'x', source: 's', kind: 'ratio', values: { '33': { '2022-01-01': 'two' } } },
          vehicles_allowed: { label: 'x', source: '', kind: 'boolean', values: { '33': { '2015-01-01': 'no' } } },
          dibao_standrd: {},
        },
      }),
    );
    expect(p).toEqual(
      expect.arrayContaining([
        'parameters.dibao_standard.values.33.2024-07-01: must be at least 1',
        'parameters.dibao_standard.values.339999: unknown region code',
        'parameters.dibao_standard.values.3301.2024-07-01: must be an amount in yuan with at most two decimals',
        'parameters.marginal_multiplier.values.33.2022-01-01: must be a number',
        'parameters.vehicles_allowed.source: must cite a policy source or say it is a local choice',
        'parameters.vehicles_allowed.values.33.2015-01-01: must be true or false',
        'parameters.dibao_standrd: unknown parameter',
      ]),
    );
  });
  it('reports a missing parameter and bad YAML', () => {
    const params = { ...(base.parameters as Record<string, unknown>) };
    delete params.elderly_age;
    expect(problemsOf(JSON.stringify({ ...base, parameters: params }))).toEqual(['parameters.elderly_age: missing']);
    expect(problemsOf('version: [unclosed')[0]).toMatch(/^\(yaml\): /);
  });
});

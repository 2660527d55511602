import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareNames, NAME_LEVELS, readName } from './chinese-names.js';

const level = (a: string, b: string): string => NAME_LEVELS[compareNames(readName(a)!, readName(b)!)]!;

describe('Chinese names', () => {
  it('traditional → simplified, honorifics removed', () => {
    expect(readName('賴雅芳先生')).toMatchObject({ han: '赖雅芳', pinyin: 'lai ya fang', key: '赖雅芳' });
    expect(readName('陳大文 女士')!.han).toBe('陈大文');
    expect(level('劉雅慧小姐', '刘雅慧')).toBe('exact');
    expect(readName('   ')).toBeNull();
  });
  it('homophones agree on pinyin; surname readings of polyphonic characters', () => {
    expect(level('张伟', '章伟')).toBe('characters: same pronunciation');
    expect(level('张伟', '张玮')).toBe('characters: same pronunciation');
    expect(readName('单伟')!.pinyin).toBe('shan wei');
    expect(readName('曾志强')!.pinyin).toBe('zeng zhi qiang');
    expect(readName('吕秀英')!.pinyin).toBe('lv xiu ying');
    expect(level('张建国', '张建华')).toBe('characters: similar');
    expect(level('张建国', '张丽')).toBe('characters: same surname');
    expect(level('张建国', '王丽')).toBe('else');
  });
  it('romanised names: Hong Kong surname spellings, aliases, pinyin in either order', () => {
    expect(readName('CHAN Wing Yan; Thomas')).toMatchObject({ latinSurname: 'chan', latinGiven: 'wing yan', aliases: ['thomas'] });
    expect(readName('Thomas Chan')).toMatchObject({ latinSurname: 'chan', latinGiven: 'thomas' });
    expect(readName('Mr Tai-man Chan')).toMatchObject({ latinSurname: 'chan', latinGiven: 'tai man' });
    expect(level('陳永賢先生', 'CHAN Wing Yan; Thomas')).toBe('romanised: same surname');
    expect(level('Thomas Chan', 'CHAN Wing Yan; Thomas')).toBe('romanised: same pronunciation');
    expect(level('张伟', 'Zhang Wei')).toBe('romanised: same pronunciation');
    expect(level('张伟', 'LI Wei')).toBe('else');
    expect(level('张伟', 'ZHANG Min')).toBe('romanised: same surname');
    expect(level('吳偉文', 'NG Wai Man')).toBe('romanised: same surname');
    expect(level('CHAN Tai Man', 'Tai Man CHAN')).toBe('exact');
    expect(level('欧阳娜娜', 'Ouyang Nana')).toBe('romanised: same pronunciation');
  });
  it('properties: symmetric, identity is exact, levels in range', () => {
    const name = fc.oneof(
      fc.string({ unit: fc.constantFrom('张', '章', '伟', '玮', '陳', '陈', '王', '先', '生', '欧', '阳'), minLength: 1, maxLength: 4 }),
      fc.array(fc.constantFrom('CHAN', 'Chan', 'Wing', 'Tai', 'man', 'Zhang', 'Wei', ';', 'Thomas'), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(name, name, (a, b) => {
        const x = readName(a);
        const y = readName(b);
        if (x === null || y === null) return;
        const l = compareNames(x, y);
        expect(compareNames(y, x)).toBe(l);
        expect(compareNames(x, x)).toBe(NAME_LEVELS.length - 1);
        expect(l).toBeGreaterThanOrEqual(0);
        expect(l).toBeLessThan(NAME_LEVELS.length);
      }),
      { numRuns: 1500 },
    );
  });
});

/**
 * Plausible Chinese personal names for demo households. Surnames follow a Zhejiang-flavoured
 * frequency ranking (the national top twenty plus surnames that are markedly more common in
 * Zhejiang, such as 金 叶 潘 沈 方 应 楼 俞); given names come from pools by birth cohort and sex,
 * because names follow generational fashions (秀英 and 建国 are grandparents, 梓涵 is a child).
 * The weights are rounded shares in per mille, an approximation rather than census figures;
 * see docs/demo-data.md.
 */
import { type Rng, WeightedTable } from './rng.js';

/** Surname and approximate weight (‰ of the population). */
const SURNAME_WEIGHTS: readonly (readonly [string, number])[] = [
  ['陈', 58], ['王', 55], ['张', 38], ['李', 36], ['吴', 30], ['徐', 28], ['周', 27], ['金', 20],
  ['朱', 20], ['林', 20], ['胡', 19], ['杨', 18], ['黄', 18], ['刘', 17], ['潘', 14], ['叶', 14],
  ['郑', 14], ['何', 13], ['沈', 13], ['方', 13], ['赵', 12], ['孙', 11], ['章', 10], ['蒋', 10],
  ['俞', 9], ['汪', 9], ['钱', 9], ['施', 8], ['郭', 8], ['高', 8], ['应', 7], ['毛', 7],
  ['姚', 7], ['邵', 7], ['程', 6], ['楼', 5], ['夏', 6], ['马', 6], ['罗', 6], ['童', 5],
  ['谢', 6], ['许', 6], ['蔡', 6], ['袁', 5], ['戴', 5], ['范', 5], ['傅', 5],
  ['冯', 5], ['卢', 5], ['宋', 5], ['唐', 4], ['丁', 4], ['鲍', 3], ['虞', 3], ['屠', 2],
];

/** Given-name pools by cohort (birth year) and sex; single-character names included where common. */
const GIVEN_NAMES = {
  /** Born before 1955. */
  old: {
    M: ['阿根', '金根', '水根', '德明', '志明', '国华', '福林', '荣华', '长生', '宝林', '兴祥', '火生', '金水', '永福', '炳荣', '德胜', '树林', '有才', '庆丰', '顺发', '土根', '银福'],
    F: ['秀英', '桂英', '玉英', '凤英', '月娥', '菊芬', '彩凤', '金花', '美娟', '素珍', '兰芳', '雪娥', '翠花', '杏娟', '阿娟', '凤仙', '玉兰', '巧云', '银娣', '小妹', '爱娣', '宝娣'],
  },
  /** Born 1955–1979. */
  middle: {
    M: ['建国', '建华', '国平', '卫东', '志强', '建军', '国庆', '海军', '卫国', '永康', '伟民', '红军', '建平', '明华', '立新', '勇', '军', '平', '强', '华', '建新', '国良'],
    F: ['红英', '丽华', '美芳', '秀芳', '建英', '丽萍', '卫红', '小红', '彩霞', '海燕', '雪芬', '玲', '红', '芳', '萍', '燕', '丽', '琴', '霞', '慧', '月芬', '素芬'],
  },
  /** Born 1980–1999. */
  young: {
    M: ['伟', '杰', '磊', '涛', '斌', '鹏', '浩', '俊杰', '晓东', '志刚', '海波', '建峰', '立军', '超', '亮', '明', '晨', '斌斌', '佳伟', '宇', '凯', '俊'],
    F: ['丽娟', '晓燕', '婷婷', '佳', '静', '敏', '琳', '洁', '倩', '燕', '雅琴', '晓丽', '丹', '露', '莉', '蓓蓓', '芳芳', '晶', '颖', '蕾', '佳佳', '艳'],
  },
  /** Born 2000 or later. */
  child: {
    M: ['子轩', '浩然', '宇轩', '梓豪', '俊熙', '一鸣', '睿', '子墨', '浩宇', '博文', '思远', '宇航', '奕辰', '皓', '晨阳', '天佑', '铭', '嘉豪', '泽宇', '承泽', '俊宇', '锦程'],
    F: ['梓涵', '欣怡', '子涵', '诗涵', '雨桐', '一诺', '可馨', '梓萱', '语嫣', '思琪', '佳怡', '雨欣', '诗琪', '依依', '紫涵', '若汐', '欣妍', '悦', '彤', '萱', '可欣', '沐晴'],
  },
} as const satisfies Record<string, Record<'M' | 'F', readonly string[]>>;

const SURNAMES = new WeightedTable(SURNAME_WEIGHTS);

/** A surname drawn by frequency. */
export function drawSurname(rng: Rng): string {
  return SURNAMES.pick(rng);
}

/** A given name fashionable for someone of this sex born in this year. */
export function drawGivenName(rng: Rng, sex: 'M' | 'F', birthYear: number): string {
  const cohort = birthYear < 1955 ? GIVEN_NAMES.old : birthYear < 1980 ? GIVEN_NAMES.middle : birthYear < 2000 ? GIVEN_NAMES.young : GIVEN_NAMES.child;
  return rng.pick(cohort[sex]);
}

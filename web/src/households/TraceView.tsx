/**
 * The classification trace as a checklist: every rule the means test checked, in order, grouped
 * by tier, with ✓ (green) or ✗ (red), the sentence in the current language and, in small print,
 * the policy parameters behind it with the region that set them and the date they took effect.
 */
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { TraceStepView } from '../../../src/contracts/index.js';
import { formatFen } from '../app/format.js';

type ParameterRef = TraceStepView['parameters'][number];

const PASS_COLOR = '#389e0d';
const FAIL_COLOR = '#cf1322';

const GROUPS = ['household', 'assets', 'extreme', 'dibao', 'marginal', 'rigid', 'uplift', 'temporary'] as const;
type Group = (typeof GROUPS)[number] | 'other';

function groupOf(rule: string): Group {
  const prefix = rule.split('.')[0] ?? '';
  return (GROUPS as readonly string[]).includes(prefix) ? (prefix as Group) : 'other';
}

/** Consecutive steps of the same group, in trace order. */
function groupSteps(trace: readonly TraceStepView[]): { group: Group; steps: TraceStepView[] }[] {
  const out: { group: Group; steps: TraceStepView[] }[] = [];
  for (const step of trace) {
    const group = groupOf(step.rule);
    const last = out[out.length - 1];
    if (last?.group === group) last.steps.push(step);
    else out.push({ group, steps: [step] });
  }
  return out;
}

function formatValue(p: ParameterRef, t: TFunction, english: boolean): string {
  const v = p.value;
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) {
    return v.map((item) => t(`incomeSubtype.${item}`, { defaultValue: item })).join(english ? ', ' : '、');
  }
  if (typeof v === 'number' && p.name.endsWith('Fen') && Number.isInteger(v)) return formatFen(v);
  return String(v);
}

function ParameterNote({ p, regionNames }: { p: ParameterRef; regionNames: ReadonlyMap<string, string> }) {
  const { t, i18n } = useTranslation();
  const english = i18n.resolvedLanguage === 'en';
  const label = t(`parameter.${p.name}`, { defaultValue: p.name });
  const regionName = regionNames.get(p.regionCode);
  const region = regionName ? `${regionName} ${p.regionCode}` : p.regionCode;
  const isList = Array.isArray(p.value);
  const value = formatValue(p, t, english);
  const shown = isList ? `${(p.value as string[]).length}${english ? ' items' : ' 项'}` : value;
  const tip = (
    <div style={{ fontSize: 12 }}>
      <div>
        <code>{p.name}</code> = {value}
      </div>
      <div>
        {t('classification.regionLabel')}: {region}
      </div>
      <div>{t('classification.effectiveFrom', { date: p.effectiveFrom })}</div>
    </div>
  );
  return (
    <Tooltip title={tip}>
      <span data-testid="trace-param" data-region={p.regionCode} data-effective-from={p.effectiveFrom} style={{ cursor: 'help', overflowWrap: 'anywhere' }}>
        {label} {shown} · {region} · {t('classification.effectiveFrom', { date: p.effectiveFrom })}
      </span>
    </Tooltip>
  );
}

export function TraceView({ trace, regionNames, testId = 'trace' }: { trace: readonly TraceStepView[]; regionNames: ReadonlyMap<string, string>; testId?: string }) {
  const { t, i18n } = useTranslation();
  const english = i18n.resolvedLanguage === 'en';
  return (
    <div data-testid={testId} style={{ columnWidth: 460, columnGap: 32 }}>
      {groupSteps(trace).map(({ group, steps }, gi) => (
        <section key={`${group}-${gi}`} style={{ marginBottom: 12, breakInside: 'avoid' }}>
          <div
            style={{
              fontSize: 12,
              fontWeight: 600,
              color: 'rgba(0,0,0,0.55)',
              borderBottom: '1px solid #f0f0f0',
              paddingBottom: 4,
              marginBottom: 4,
            }}
          >
            {t(`traceGroup.${group}`)}
          </div>
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {steps.map((s, i) => (
              <li
                key={`${s.rule}-${i}`}
                data-testid="trace-step"
                data-rule={s.rule}
                data-passed={String(s.passed)}
                style={{ display: 'flex', gap: 8, padding: '5px 0', alignItems: 'flex-start' }}
              >
                <span style={{ color: s.passed ? PASS_COLOR : FAIL_COLOR, fontSize: 15, lineHeight: '22px' }} aria-label={s.passed ? t('classification.passed') : t('classification.failed')}>
                  {s.passed ? <CheckCircleFilled /> : <CloseCircleFilled />}
                </span>
                <div style={{ minWidth: 0 }}>
                  <div data-testid="trace-step-text" style={{ color: s.passed ? '#135200' : '#a8071a', lineHeight: '22px', wordBreak: 'break-word' }}>
                    {english ? s.text.en : s.text.zh}
                  </div>
                  {s.parameters.length > 0 ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'flex', flexWrap: 'wrap', columnGap: 12 }}>
                      {s.parameters.map((p) => (
                        <ParameterNote key={p.name} p={p} regionNames={regionNames} />
                      ))}
                    </Typography.Text>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

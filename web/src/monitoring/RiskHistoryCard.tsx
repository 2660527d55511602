/** A small card on the household page: the risk score over time, points coloured by level over faint level bands. */
import { LineChartOutlined } from '@ant-design/icons';
import { Card, Empty, Space } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorView } from '../app/ErrorView.js';
import { EChart } from './EChart.js';
import { LEVEL_COLORS, populationReasonsText, populationText } from './labels.js';
import { useHouseholdMonitoring } from './queries.js';

/** The tooltip is HTML: text from the server or a translation goes in escaped. */
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function RiskHistoryCard({ householdId }: { householdId: string }) {
  const { t, i18n } = useTranslation();
  const monitoring = useHouseholdMonitoring(householdId);
  // States are stored on change: the last one holds until the last run that covered the household.
  const history = useMemo(() => {
    const h = [...(monitoring.data?.history ?? [])].sort((a, b) => a.asOf.localeCompare(b.asOf));
    const last = h[h.length - 1];
    const through = monitoring.data?.monitoredThrough;
    return last && through && through > last.asOf ? [...h, { ...last, asOf: through }] : h;
  }, [monitoring.data]);
  const lang = i18n.resolvedLanguage;
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { dataIndex: number }[]) => {
          const h = history[ps[0]?.dataIndex ?? 0];
          if (!h) return '';
          const group = populationText(t, h.population);
          const population = h.populationReasons.length > 0 ? t('monitoring.populationWithReasons', { group, reasons: populationReasonsText(t, h.populationReasons) }) : group;
          return [h.asOf, `${t('monitoring.score')}: ${h.score} · ${t(`riskLevel.${h.level}`)}`, `${t('monitoring.population')}: ${population}`].map(escapeHtml).join('<br/>');
        },
      },
      grid: { left: 32, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: history.map((h) => h.asOf), boundaryGap: history.length < 2 },
      yAxis: { type: 'value', min: 0, max: 6, interval: 1 },
      series: [
        {
          name: t('monitoring.score'),
          type: 'line',
          step: 'end',
          symbol: 'circle',
          symbolSize: 10,
          lineStyle: { color: '#8c8c8c' },
          data: history.map((h) => ({ value: h.score, itemStyle: { color: LEVEL_COLORS[h.level] } })),
        },
      ],
    }),
    [history, lang, t],
  );
  return (
    <Card
      size="small"
      title={
        <Space>
          <LineChartOutlined />
          {t('monitoring.riskHistory')}
        </Space>
      }
      data-testid="risk-history"
    >
      {monitoring.isError ? (
        <ErrorView error={monitoring.error} onRetry={() => void monitoring.refetch()} />
      ) : history.length === 0 && !monitoring.isLoading ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('monitoring.noHistory')} />
      ) : (
        <EChart option={option} height={180} testId="risk-chart" />
      )}
    </Card>
  );
}

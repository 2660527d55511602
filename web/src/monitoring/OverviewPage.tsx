/** County (or any scope) overview: open alerts by level, overdue counts, enrolled and suspected households and M0 per area one level below, as a table and two charts. */
import { Alert, Card, Col, Flex, Row, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MonitoringOverview } from '../app/api.js';
import { ErrorView, Loading } from '../app/ErrorView.js';
import { EChart } from './EChart.js';
import { LEVEL_COLORS } from './labels.js';
import { useOverview } from './queries.js';

type Area = MonitoringOverview['areas'][number];
const num = { fontVariantNumeric: 'tabular-nums' } as const;
const fixed = (v: number | null): string => (v === null ? '—' : v.toFixed(3));

export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const overview = useOverview();
  const areas = useMemo(() => overview.data?.areas ?? [], [overview.data]);
  const lang = i18n.resolvedLanguage;
  const alertsOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      // One scrolling line: a wrapped legend would run into the chart on a phone.
      legend: { top: 0, type: 'scroll' },
      grid: { left: 40, right: 16, top: 36, bottom: areas.length > 8 ? 84 : 32 },
      xAxis: { type: 'category', data: areas.map((a) => a.name), axisLabel: { interval: 0, hideOverlap: true, rotate: areas.length > 8 ? 45 : 0, fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        ...(['red', 'orange', 'yellow'] as const).map((l) => ({
          name: t(`alertLevel.${l}`),
          type: 'bar',
          stack: 'open',
          itemStyle: { color: LEVEL_COLORS[l] },
          data: areas.map((a) => a[l]),
        })),
        { name: t('monitoring.overdue'), type: 'line', symbol: 'circle', itemStyle: { color: '#595959' }, lineStyle: { type: 'dashed' }, data: areas.map((a) => a.overdue) },
      ],
    }),
    [areas, lang, t],
  );
  const m0Option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: areas.length > 8 ? 84 : 32 },
      xAxis: { type: 'category', data: areas.map((a) => a.name), axisLabel: { interval: 0, hideOverlap: true, rotate: areas.length > 8 ? 45 : 0, fontSize: 11 } },
      yAxis: { type: 'value', min: 0 },
      series: [{ name: 'M0', type: 'bar', itemStyle: { color: '#1677ff' }, data: areas.map((a) => (a.M0 === null ? null : Number(a.M0.toFixed(3)))) }],
    }),
    [areas],
  );
  const columns: TableColumnsType<Area> = [
    { title: t('monitoring.area'), key: 'name', dataIndex: 'name' },
    ...(['red', 'orange', 'yellow'] as const).map((l) => ({
      title: t(`alertLevel.${l}`),
      key: l,
      align: 'right' as const,
      render: (_: unknown, a: Area) => (
        <span style={{ ...num, color: a[l] > 0 ? LEVEL_COLORS[l] : undefined }} data-testid={`area-${l}`}>
          {a[l]}
        </span>
      ),
    })),
    { title: t('monitoring.open'), key: 'open', align: 'right', render: (_: unknown, a) => <span style={num}>{a.red + a.orange + a.yellow}</span> },
    { title: t('monitoring.overdue'), key: 'overdue', align: 'right', render: (_: unknown, a) => <span style={{ ...num, color: a.overdue > 0 ? '#cf1322' : undefined }}>{a.overdue}</span> },
    { title: t('monitoring.households'), key: 'households', align: 'right', render: (_: unknown, a) => <span style={num}>{a.households ?? '—'}</span> },
    {
      title: <Tooltip title={t('monitoring.enrolledHint')}>{t('monitoring.enrolled')}</Tooltip>,
      key: 'enrolled',
      align: 'right',
      render: (_: unknown, a) => (
        <span style={num} data-testid="area-enrolled">
          {a.enrolled ?? '—'}
        </span>
      ),
    },
    {
      title: <Tooltip title={t('monitoring.suspectedHint')}>{t('monitoring.suspected')}</Tooltip>,
      key: 'suspected',
      align: 'right',
      render: (_: unknown, a) => (
        <span style={{ ...num, color: a.suspected ? '#d4380d' : undefined }} data-testid="area-suspected">
          {a.suspected ?? '—'}
        </span>
      ),
    },
    { title: t('monitoring.H'), key: 'H', align: 'right', render: (_: unknown, a) => <span style={num}>{fixed(a.H)}</span> },
    { title: t('monitoring.M0'), key: 'M0', align: 'right', render: (_: unknown, a) => <span style={num}>{fixed(a.M0)}</span> },
  ];
  if (overview.isLoading) return <Loading />;
  if (overview.isError) return <ErrorView error={overview.error} onRetry={() => void overview.refetch()} />;
  const run = overview.data?.latestRun ?? null;
  return (
    <Flex vertical gap={16} data-testid="overview-page">
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('monitoring.overviewTitle')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('monitoring.overviewDescription')}</Typography.Text>
      </div>
      <Alert
        type={run ? 'info' : 'warning'}
        showIcon
        data-testid="latest-run"
        title={run ? t('monitoring.latestRun', { date: run.asOf, households: run.households, atRisk: run.atRisk }) : t('monitoring.noRun')}
      />
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card size="small" title={t('monitoring.chartAlerts')}>
            <EChart option={alertsOption} height={300} testId="chart-alerts" />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('monitoring.chartM0')}>
            <EChart option={m0Option} height={260} testId="chart-m0" />
          </Card>
        </Col>
      </Row>
      <Card size="small">
        <Table<Area>
          data-testid="overview-table"
          rowKey="code"
          size="small"
          columns={columns}
          dataSource={areas}
          pagination={false}
          onRow={(a) => ({ 'data-testid': 'area-row', 'data-code': a.code }) as React.HTMLAttributes<HTMLElement>}
          scroll={{ x: 'max-content' }}
        />
      </Card>
    </Flex>
  );
}

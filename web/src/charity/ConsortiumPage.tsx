/** The county consortium (助联体): needs board, projects to approve, matching runs with explanations, pushing a project. */
import { useState } from 'react';
import { App, Button, Card, Drawer, Flex, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Loading, useErrorMessage } from '../app/ErrorView.js';
import { ProjectTable } from './CharityPortalPage.js';
import { EligibilityTags, ProjectBudget, ProjectPlaces, STATUS_COLOR, useBilingual } from './labels.js';
import { useCandidates, useDeriveCounty, useNeedsBoard, useProjects, useRun, useRunMatching, useRuns, type MatchingRunDetail, type Need } from './queries.js';

function NeedsBoard() {
  const { t } = useTranslation();
  const text = useBilingual();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const board = useNeedsBoard();
  const derive = useDeriveCounty();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Button data-testid="derive-needs" loading={derive.isPending} onClick={() => derive.mutate(undefined, { onSuccess: (r) => { void message.success(t('charity.derived', r)); }, onError: (e) => { void message.error(err(e)); } })}>{t('charity.deriveNeeds')}</Button>
        {board.data && Object.entries(board.data.counts).map(([s, n]) => <Tag key={s} color={STATUS_COLOR[s]}>{t(`charity.needStatus.${s}`)} {n}</Tag>)}
      </Space>
      {board.data ? (
        <Table<Need> rowKey="id" size="small" dataSource={board.data.items} pagination={{ pageSize: 20 }} data-testid="needs-board"
          columns={[
            { title: t('charity.need'), dataIndex: 'category', render: (c: string) => t(`needCategory.${c}`) },
            { title: t('charity.severity'), dataIndex: 'severity' },
            { title: t('charity.evidence'), render: (_: unknown, n) => n.evidence.map((e) => text(e.text)).join('；') },
            { title: t('charity.waiting'), dataIndex: 'waitingDays' },
            { title: t('charity.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`charity.needStatus.${s}`)}</Tag> },
          ]} />
      ) : <Loading />}
    </Space>
  );
}

function RunView({ run }: { run: MatchingRunDetail }) {
  const { t } = useTranslation();
  const text = useBilingual();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="run-view">
      <Space size="large" wrap>
        <Statistic title={t('charity.objective')} value={run.objective} data-testid="run-objective" />
        <Statistic title={t('charity.greedy')} value={run.greedyObjective} />
        <Statistic title={t('charity.matched')} value={`${run.matched} / ${run.needs}`} />
        <Statistic title={t('charity.greedyMatched')} value={run.greedyMatched} />
        <Statistic title={t('charity.optimality')} value={`${run.status} · gap ${run.optimalityGap}`} />
        <Statistic title={t('charity.uplift')} value={run.mountainUplift} />
      </Space>
      <Table size="small" rowKey="projectId" pagination={false} dataSource={run.projectUse}
        columns={[{ title: t('charity.project'), dataIndex: 'title' }, { title: t('charity.places'), render: (_: unknown, u: MatchingRunDetail['projectUse'][number]) => `${u.used} / ${u.places}（${t(`charity.limitedBy.${u.limitedBy}`)}）` }, { title: t('charity.marginal'), dataIndex: 'marginalValue' }]} />
      <Table size="small" rowKey="needId" dataSource={run.results} pagination={{ pageSize: 20 }} data-testid="run-results"
        columns={[
          { title: t('charity.need'), render: (_: unknown, r: MatchingRunDetail['results'][number]) => `${t(`needCategory.${r.category}`)} · ${t('charity.severity')} ${r.severity}` },
          { title: t('charity.priority'), dataIndex: 'adjustedPriority' },
          { title: t('charity.result'), render: (_: unknown, r: MatchingRunDetail['results'][number]) => <Tag color={r.projectId ? 'green' : 'default'}>{r.projectId ? t('charity.matchedTag') : t('charity.unmatchedTag')}</Tag> },
          { title: t('charity.why'), render: (_: unknown, r: MatchingRunDetail['results'][number]) => <Typography.Text style={{ fontSize: 12 }}>{text(r.explanation.text)}</Typography.Text> },
        ]} />
    </Space>
  );
}

function Matching() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const runs = useRuns();
  const start = useRunMatching();
  const [selected, setSelected] = useState<string | null>(null);
  const latest = selected ?? runs.data?.[0]?.id ?? null;
  const run = useRun(latest);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button type="primary" data-testid="run-matching" loading={start.isPending}
        onClick={() => start.mutate(undefined, { onSuccess: (r) => { setSelected(r.id); message.success(t('charity.runDone', { matched: r.matched })); }, onError: (e) => { void message.error(err(e)); } })}>{t('charity.runMatching')}</Button>
      <Space wrap>{runs.data?.map((r) => <Tag key={r.id} color={r.id === latest ? 'blue' : 'default'} style={{ cursor: 'pointer' }} onClick={() => setSelected(r.id)}>{r.createdAt.slice(0, 16).replace('T', ' ')} · {r.matched}/{r.needs}</Tag>)}</Space>
      {run.data ? <RunView run={run.data} /> : latest ? <Loading /> : null}
    </Space>
  );
}

function Push() {
  const { t } = useTranslation();
  const text = useBilingual();
  const projects = useProjects();
  const [open, setOpen] = useState<string | null>(null);
  const cands = useCandidates(open);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {projects.data?.filter((p) => p.status === 'published').map((p) => (
        <Card key={p.id} size="small" title={p.title} extra={<Button size="small" data-testid="push-project" onClick={() => setOpen(p.id)}>{t('charity.push')}</Button>}>
          <div>{p.categories.map((c) => <Tag key={c}>{t(`needCategory.${c}`)}</Tag>)}</div>
          <Flex gap={24} wrap style={{ marginTop: 6 }}>
            <div><Typography.Text type="secondary">{t('charity.projectPlaces')}</Typography.Text><ProjectPlaces p={p} /></div>
            <div><Typography.Text type="secondary">{t('charity.projectBudget')}</Typography.Text><ProjectBudget p={p} /></div>
          </Flex>
          <div style={{ marginTop: 6 }}><Typography.Text type="secondary">{t('charity.eligibility')}：</Typography.Text><EligibilityTags eligibility={p.eligibility} /></div>
        </Card>
      ))}
      <Drawer open={!!open} onClose={() => setOpen(null)} title={t('charity.candidates')} size="large">
        {cands.data ? (
          <Table size="small" rowKey="needId" dataSource={cands.data} pagination={{ pageSize: 20 }} data-testid="candidates"
            columns={[
              { title: t('charity.need'), render: (_: unknown, c: NonNullable<typeof cands.data>[number]) => `${t(`needCategory.${c.category}`)} · ${c.severity}` },
              { title: t('charity.priority'), dataIndex: 'priority' },
              { title: t('charity.eligible'), render: (_: unknown, c: NonNullable<typeof cands.data>[number]) => <Tag color={c.eligible ? 'green' : 'default'}>{c.eligible ? t('charity.yes') : t('charity.no')}</Tag> },
              { title: t('charity.why'), render: (_: unknown, c: NonNullable<typeof cands.data>[number]) => c.reasons.map((r) => text(r)).join('；') },
            ]} />
        ) : <Loading />}
      </Drawer>
    </Space>
  );
}

export function ConsortiumPage() {
  const { t } = useTranslation();
  const projects = useProjects();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="consortium-page">
      <Typography.Title level={3}>{t('charity.consortium')}</Typography.Title>
      <Tabs items={[
        { key: 'needs', label: t('charity.needsBoard'), children: <NeedsBoard /> },
        { key: 'projects', label: <span data-testid="tab-projects">{t('charity.projects')}</span>, children: projects.data ? <ProjectTable projects={projects.data} role="consortium" /> : <Loading /> },
        { key: 'matching', label: <span data-testid="tab-matching">{t('charity.matching')}</span>, children: <Matching /> },
        { key: 'push', label: <span data-testid="tab-push">{t('charity.push')}</span>, children: <Push /> },
      ]} />
    </Space>
  );
}

/**
 * A department's event feed (部门数据推送): choose the sending department, choose a .jsonl or .csv
 * file, which is read here in the browser into rows and previewed (ID numbers masked), and send it.
 * The server checks every row before applying any: the answer is either the counts applied, or
 * every problem by row and field with nothing applied. A file that cannot be read is refused here,
 * by line, and nothing is sent. ID numbers are never shown in full and never logged.
 */
import { CheckCircleOutlined, CloudUploadOutlined, DeleteOutlined, FileTextOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Collapse, Flex, Form, Row, Select, Statistic, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FEED_SOURCE_PATTERN } from '../../../src/contracts/index.js';
import { ApiError, type FeedResult } from '../app/api.js';
import { useMe } from '../auth/AuthContext.js';
import { ErrorView, useErrorMessage } from '../app/ErrorView.js';
import {
  cellText,
  decodeFeedBytes,
  formatOf,
  maskIdNumber,
  MAX_FEED_ROWS,
  MAX_LOCAL_PROBLEMS,
  parseFeedText,
  splitIssueField,
  type FeedRow,
  type LocalProblem,
  type ParsedFeed,
} from './feedFile.js';
import { useImportFeed } from './queries.js';

/** Departments that commonly send feeds; any other code matching the pattern may be typed. */
export const COMMON_SOURCES = ['emergency', 'health', 'healthcare_security', 'public_security', 'disabled_persons', 'civil_affairs', 'hrss'] as const;
export const FEED_KINDS = ['fire', 'accident', 'sudden_illness', 'natural_disaster', 'death', 'disability', 'serious_illness', 'referral', 'rejected_application'] as const;
/** Larger files are not read (the server takes at most 10,000 rows, well under this). */
const MAX_FILE_MB = 16;
const mono = { fontFamily: 'monospace', whiteSpace: 'nowrap' } as const;
const nowrap = { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } as const;

interface ChosenFile {
  name: string;
  parsed: ParsedFeed;
}

interface Issue {
  key: string;
  row: number | null;
  line: number | null;
  field: string;
  message: string;
}

/** The server's messages (from the feed check) in the UI language; an unknown message is shown as sent. */
const ISSUE_MESSAGES: readonly [RegExp, string][] = [
  [/^must be an object$/, 'notObject'],
  [/^is not a field of an event row$/, 'notField'],
  [/^must be 1.64 printable characters$/, 'recordId'],
  [/^repeats row (\d+)$/, 'repeats'],
  [/^must be one of /, 'kind'],
  [/^is not a valid resident ID number/, 'idNumber'],
  [/^must be a date YYYY-MM-DD$/, 'date'],
  [/^is in the future$/, 'future'],
  [/^must be 1, 2, 3 or 4 for a disability$/, 'gradeRequired'],
  [/^is only for a disability$/, 'gradeOnly'],
  [/^no member of a household in your area has this ID number$/, 'notInArea'],
  [/^is after the date of death/, 'afterDeath'],
  [/^the registry holds another date of death/, 'otherDeath'],
  [/must be a department code/, 'source'],
  [/the feed is empty/, 'empty'],
  [/^rows: at most (\d+) rows/, 'tooMany'],
];

export function issueMessage(t: TFunction, message: string): string {
  for (const [re, key] of ISSUE_MESSAGES) {
    const m = re.exec(message);
    if (m) return t(`feedIssue.${key}`, { row: m[1], max: m[1] ?? MAX_FEED_ROWS });
  }
  return cellText(message);
}

function localProblemText(t: TFunction, p: LocalProblem): string {
  return t(`feedLocal.${p.kind}`, { ...p, max: p.kind === 'tooMany' ? p.max : MAX_FILE_MB });
}

/** A VALIDATION_FAILED answer's issues (or its one field), each with the row and the file line. */
function issuesOf(error: ApiError, rows: readonly FeedRow[]): Issue[] {
  const raw = error.issues.length > 0 ? error.issues : [{ field: error.field ?? '', message: error.message }];
  return raw
    .map((i, k) => {
      const { row, name } = splitIssueField(i.field);
      return { key: String(k), row, line: row === null ? null : (rows[row - 1]?.line ?? null), field: name, message: i.message };
    })
    .sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

/** "(and 123 more)" at the end of the server's summary: the total number of problems. */
function totalProblems(error: ApiError, listed: number): number {
  const m = /\(and (\d+) more\)$/.exec(error.message);
  return m ? Math.max(listed, Number(m[1]) + 1) : listed;
}

function SourceSelect({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const typed = search.trim();
  const options = useMemo(() => {
    const known: { value: string; label: string }[] = COMMON_SOURCES.map((s) => ({ value: s, label: t('feeds.sourceOption', { name: t(`feedSource.${s}`), code: s }) }));
    const extra = [typed, value ?? ''].filter((v, i, all) => v !== '' && FEED_SOURCE_PATTERN.test(v) && !(COMMON_SOURCES as readonly string[]).includes(v) && all.indexOf(v) === i);
    return [...known, ...extra.map((v) => ({ value: v, label: v }))];
  }, [t, typed, value]);
  return (
    <Select<string>
      data-testid="feed-source"
      style={{ width: '100%', maxWidth: 360 }}
      placeholder={t('feeds.sourcePlaceholder')}
      value={value}
      onChange={(v) => {
        setSearch('');
        onChange?.(v);
      }}
      options={options}
      showSearch={{
        onSearch: setSearch,
        filterOption: (input, o) => {
          const q = input.trim().toLowerCase();
          return (typeof o?.label === 'string' ? o.label.toLowerCase() : '').includes(q) || (typeof o?.value === 'string' && o.value.includes(q));
        },
      }}
      notFoundContent={<Typography.Text type="secondary">{t('feeds.sourceInvalid')}</Typography.Text>}
    />
  );
}

function FormatHelp() {
  const { t } = useTranslation();
  const code = (s: string) => <Typography.Text code>{s}</Typography.Text>;
  return (
    <Collapse
      size="small"
      ghost
      items={[
        {
          key: 'format',
          label: (
            <span>
              <FileTextOutlined /> {t('feeds.formatTitle')}
            </span>
          ),
          children: (
            <Flex vertical gap={6} style={{ fontSize: 13 }}>
              <span>{t('feeds.formatFields')}</span>
              <span>
                {t('feeds.formatKinds')}
                {FEED_KINDS.map((k) => (
                  <Tag key={k} style={{ marginBlock: 2 }}>
                    {k} · {t(`feedKind.${k}`)}
                  </Tag>
                ))}
              </span>
              <span style={{ overflowWrap: 'anywhere' }}>
                {t('feeds.formatCsv')}
                {code('recordId,kind,idNumber,occurredOn,disabilityGrade')}
              </span>
              <span style={{ overflowWrap: 'anywhere' }}>
                {t('feeds.formatJsonl')}
                {code('{"recordId":"YJ-2026-0001","kind":"fire","idNumber":"3301…","occurredOn":"2026-11-02"}')}
              </span>
            </Flex>
          ),
        },
      ]}
    />
  );
}

function ResultCard({ result }: { result: FeedResult }) {
  const { t } = useTranslation();
  // A department is told what was received, never how many rows matched a registered person (null).
  const stats: [string, number][] = [
    ['rows', result.rows],
    ['received', result.received],
    ['alreadyApplied', result.alreadyApplied],
    ...(result.applied === null ? [] : ([['applied', result.applied], ['unchanged', result.unchanged ?? 0], ['notApplied', result.notApplied ?? 0]] as [string, number][])),
  ];
  return (
    <Alert
      type="success"
      showIcon
      icon={<CheckCircleOutlined />}
      data-testid="feed-result"
      title={t('feeds.appliedTitle')}
      description={
        <Flex vertical gap={8}>
          <Row gutter={[24, 8]}>
            {stats.map(([k, v]) => (
              <Col key={k} xs={12} md={6}>
                <Statistic title={t(`feeds.${k}`)} value={v} data-testid={`feed-${k}`} data-value={v} />
              </Col>
            ))}
          </Row>
          <Typography.Text type="secondary">{t('feeds.appliedHint')}</Typography.Text>
        </Flex>
      }
    />
  );
}

function RejectedCard({ error, rows }: { error: ApiError; rows: readonly FeedRow[] }) {
  const { t } = useTranslation();
  const issues = useMemo(() => issuesOf(error, rows), [error, rows]);
  const total = totalProblems(error, issues.length);
  const columns: TableColumnsType<Issue> = [
    { title: t('feeds.issueRow'), key: 'row', width: 64, render: (_: unknown, i) => <span style={nowrap}>{i.row ?? '—'}</span> },
    // The file line says where to correct a CSV (its header is line 1); a phone shows the row number only.
    { title: t('feeds.issueLine'), key: 'line', width: 90, responsive: ['sm'], render: (_: unknown, i) => <span style={nowrap}>{i.line ?? '—'}</span> },
    {
      title: t('feeds.issueField'),
      key: 'field',
      render: (_: unknown, i) => (
        <span style={{ whiteSpace: 'nowrap' }} data-testid="feed-issue-field">
          {t(`feedField.${i.field}`, { defaultValue: cellText(i.field) })}
        </span>
      ),
    },
    { title: t('feeds.issueMessage'), key: 'message', render: (_: unknown, i) => <span data-testid="feed-issue-message">{issueMessage(t, i.message)}</span> },
  ];
  return (
    <Flex vertical gap={12} data-testid="feed-rejected">
      <Alert
        type="error"
        showIcon
        data-testid="feed-nothing-applied"
        title={t('feeds.rejectedTitle')}
        description={
          <span>
            {t('feeds.rejectedHint', { count: total })}
            {total > issues.length ? ` ${t('feeds.rejectedMore', { total, shown: issues.length })}` : ''}
          </span>
        }
      />
      <Card size="small" title={t('feeds.issuesTitle')}>
        <Table<Issue>
          data-testid="feed-issues"
          size="small"
          rowKey="key"
          columns={columns}
          dataSource={issues}
          pagination={issues.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          onRow={(i) => ({ 'data-testid': 'feed-issue', 'data-row': i.row ?? '', 'data-field': i.field }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
    </Flex>
  );
}

export function FeedImportPage() {
  const { t } = useTranslation();
  const messageOf = useErrorMessage();
  const me = useMe();
  // A department's feed is kept under its organisation; civil-affairs staff name the department whose file they relay.
  const ownSource = me.organisationId !== null;
  const [form] = Form.useForm<{ source?: string }>();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [reading, setReading] = useState(false);
  const [page, setPage] = useState({ current: 1, pageSize: 10 });
  const send = useImportFeed();

  const rows = useMemo(() => file?.parsed.rows ?? [], [file]);
  const problems = file?.parsed.problems ?? [];
  const rejected = send.error instanceof ApiError && send.error.status === 400 ? send.error : null;
  const badRows = useMemo(() => new Set(rejected ? issuesOf(rejected, rows).map((i) => i.row) : []), [rejected, rows]);
  // The source is checked by the form on submit (its message then shows under the field).
  const canSend = file !== null && problems.length === 0 && rows.length > 0 && !reading;

  const choose = async (f: File): Promise<void> => {
    send.reset();
    setPage((p) => ({ ...p, current: 1 }));
    const format = formatOf(f.name);
    if (format === null) return setFile({ name: f.name, parsed: { format: 'jsonl', rows: [], problems: [{ kind: 'fileType' }] } });
    if (f.size > MAX_FILE_MB * 1_048_576) return setFile({ name: f.name, parsed: { format, rows: [], problems: [{ kind: 'tooLarge' }] } });
    setReading(true);
    try {
      setFile({ name: f.name, parsed: parseFeedText(decodeFeedBytes(await f.arrayBuffer()), format) });
    } catch {
      setFile({ name: f.name, parsed: { format, rows: [], problems: [{ kind: 'unreadable' }] } });
    } finally {
      setReading(false);
    }
  };

  const submit = ({ source }: { source?: string }): void => {
    if (!canSend || !file) return;
    send.mutate({ ...(!ownSource && source !== undefined && { source }), rows: file.parsed.rows.map((r) => r.value) });
  };

  const field = (r: FeedRow, k: string): unknown => (typeof r.value === 'object' && r.value !== null ? (r.value as Record<string, unknown>)[k] : undefined);
  const columns: TableColumnsType<FeedRow> = [
    {
      title: t('feeds.issueRow'),
      key: 'row',
      render: (_: unknown, r) => (
        <Flex gap={4} align="center" style={nowrap}>
          {r.row}
          {badRows.has(r.row) ? (
            <Tag color="red" variant="outlined" style={{ marginInlineEnd: 0 }}>
              {t('feeds.hasIssue')}
            </Tag>
          ) : null}
        </Flex>
      ),
    },
    { title: t('feeds.issueLine'), key: 'line', responsive: ['sm'], render: (_: unknown, r) => <span style={nowrap}>{r.line}</span> },
    { title: t('feedField.recordId'), key: 'recordId', render: (_: unknown, r) => <span style={{ whiteSpace: 'nowrap' }}>{cellText(field(r, 'recordId'))}</span> },
    {
      title: t('feedField.kind'),
      key: 'kind',
      render: (_: unknown, r) => {
        const k = field(r, 'kind');
        return typeof k === 'string' && (FEED_KINDS as readonly string[]).includes(k) ? t(`feedKind.${k}`) : <Typography.Text type="danger">{cellText(k)}</Typography.Text>;
      },
    },
    {
      title: t('feedField.idNumber'),
      key: 'idNumber',
      render: (_: unknown, r) => {
        const id = field(r, 'idNumber');
        return (
          <span style={mono} data-testid="feed-id">
            {typeof id === 'string' ? maskIdNumber(id) : cellText(id)}
          </span>
        );
      },
    },
    { title: t('feedField.occurredOn'), key: 'occurredOn', render: (_: unknown, r) => <span style={nowrap}>{cellText(field(r, 'occurredOn'))}</span> },
    { title: t('feedField.disabilityGrade'), key: 'disabilityGrade', render: (_: unknown, r) => cellText(field(r, 'disabilityGrade')) || '—' },
  ];

  return (
    <Flex vertical gap={16} data-testid="feed-page" style={{ maxWidth: 1100 }}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('feeds.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('feeds.description')}</Typography.Text>
      </div>
      <Card size="small">
        <Form form={form} layout="vertical" requiredMark={false} onValuesChange={() => send.reset()} onFinish={submit} data-testid="feed-form">
          {ownSource ? (
            <Form.Item label={t('feeds.source')}>
              <Typography.Text data-testid="feed-source-own">{t('feeds.sourceOwn', { name: me.organisationName ?? '' })}</Typography.Text>
            </Form.Item>
          ) : (
            <Form.Item
              name="source"
              label={t('feeds.source')}
              extra={t('feeds.sourceOther')}
              rules={[
                { required: true, message: t('feeds.sourceRequired') },
                { pattern: FEED_SOURCE_PATTERN, message: t('feeds.sourceInvalid') },
              ]}
            >
              <SourceSelect />
            </Form.Item>
          )}
          <Form.Item label={t('feeds.file')} style={{ marginBottom: 8 }}>
            <div data-testid="feed-upload">
            <Upload.Dragger
              accept=".jsonl,.ndjson,.csv"
              multiple={false}
              showUploadList={false}
              beforeUpload={(f) => {
                void choose(f);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('feeds.drop')}</p>
              <p className="ant-upload-hint" style={{ paddingInline: 8 }}>
                {t('feeds.dropHint')}
              </p>
            </Upload.Dragger>
            </div>
          </Form.Item>
          <FormatHelp />
          {reading ? <Typography.Text type="secondary">{t('feeds.reading')}</Typography.Text> : null}
          {file && !reading ? (
            <Flex align="center" gap={8} wrap style={{ marginTop: 8 }} data-testid="feed-file">
              <FileTextOutlined />
              <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
                {t('feeds.fileInfo', { name: file.name, count: rows.length })}
              </Typography.Text>
              <Button
                size="small"
                type="text"
                icon={<DeleteOutlined />}
                onClick={() => {
                  setFile(null);
                  send.reset();
                }}
              >
                {t('feeds.clear')}
              </Button>
            </Flex>
          ) : null}
          {problems.length > 0 ? (
            <Alert
              style={{ marginTop: 12 }}
              type="error"
              showIcon
              data-testid="feed-local-errors"
              title={t('feeds.localTitle')}
              description={
                <Flex vertical gap={2}>
                  {problems.map((p, i) => (
                    <span key={i} data-testid="feed-local-error">
                      {localProblemText(t, p)}
                    </span>
                  ))}
                  {problems.length >= MAX_LOCAL_PROBLEMS ? <Typography.Text type="secondary">{t('feeds.moreProblems', { count: MAX_LOCAL_PROBLEMS })}</Typography.Text> : null}
                  <Typography.Text type="secondary">{t('feeds.localHint')}</Typography.Text>
                </Flex>
              }
            />
          ) : null}
          <Flex align="center" gap={12} wrap style={{ marginTop: 16 }}>
            <Button type="primary" htmlType="submit" icon={<CloudUploadOutlined />} disabled={!canSend} loading={send.isPending} data-testid="feed-submit">
              {t('feeds.submit', { count: problems.length === 0 ? rows.length : 0 })}
            </Button>
            <Typography.Text type="secondary">{t('feeds.submitHint')}</Typography.Text>
          </Flex>
        </Form>
      </Card>
      {send.data ? <ResultCard result={send.data} /> : null}
      {rejected ? <RejectedCard error={rejected} rows={rows} /> : null}
      {send.error && !rejected ? (
        send.error instanceof ApiError && !send.error.isNetwork ? (
          <Alert type="error" showIcon data-testid="feed-failed" title={t('feeds.failedTitle')} description={`${messageOf(send.error)} (${send.error.code})`} />
        ) : (
          <ErrorView error={send.error} />
        )
      ) : null}
      {rows.length > 0 && problems.length === 0 ? (
        <Card
          size="small"
          title={
            <Flex gap={8} align="baseline" wrap>
              <span>{t('feeds.previewTitle')}</span>
              <Typography.Text type="secondary" style={{ fontWeight: 400, fontSize: 13 }}>
                {t('feeds.previewCount', { count: rows.length })} · {t('feeds.idMasked')}
              </Typography.Text>
            </Flex>
          }
          data-testid="feed-preview"
        >
          <Table<FeedRow>
            data-testid="feed-preview-table"
            size="small"
            rowKey="row"
            columns={columns}
            dataSource={rows}
            onRow={(r) => ({ 'data-testid': 'feed-row', 'data-row': r.row, style: badRows.has(r.row) ? { background: '#fff1f0' } : undefined }) as React.HTMLAttributes<HTMLElement>}
            pagination={{
              ...page,
              total: rows.length,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50, 100],
              hideOnSinglePage: true,
              onChange: (current, pageSize) => setPage({ current: pageSize !== page.pageSize ? 1 : current, pageSize }),
            }}
            scroll={{ x: 'max-content' }}
          />
        </Card>
      ) : null}
    </Flex>
  );
}

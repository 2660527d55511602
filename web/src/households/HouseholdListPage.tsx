/**
 * Household list: region (city → county) and category filters kept in the URL query, a per-category
 * summary for the region, and a server-paged table. A row opens the household page.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { HouseholdListItem, RegionView } from '../../../src/contracts/index.js';
import { CATEGORIES } from '../../../src/contracts/index.js';
import { CATEGORY_COLORS, CATEGORY_ORDER, CategoryTag, FlagTags, isCategory, type Category } from '../app/categories.js';
import { ErrorView } from '../app/ErrorView.js';
import { useMe } from '../auth/AuthContext.js';
import { formatDate, formatFenOrDash } from '../app/format.js';
import { PROVINCE_CODE, useCategoryStats, useHouseholdList, useRegions } from './queries.js';

export const PAGE_SIZES = [10, 20, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 20;

export interface ListFilters {
  /** The region filter sent to the API: a city (4 digits) or county (6 digits) code. */
  region: string | undefined;
  city: string | undefined;
  county: string | undefined;
  category: Category | undefined;
  page: number;
  pageSize: number;
}

/** Reads the filters from the URL query, ignoring values that are not valid. */
export function readFilters(sp: URLSearchParams): ListFilters {
  const rawRegion = sp.get('region') ?? '';
  const region = /^\d{4,12}$/.test(rawRegion) ? rawRegion : undefined;
  const rawCategory = sp.get('category');
  const page = Number(sp.get('page') ?? '1');
  const pageSize = Number(sp.get('pageSize') ?? String(DEFAULT_PAGE_SIZE));
  return {
    region,
    city: region?.slice(0, 4),
    county: region !== undefined && region.length >= 6 ? region.slice(0, 6) : undefined,
    category: isCategory(rawCategory) ? rawCategory : undefined,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

function useListFilters(): [ListFilters, (patch: Partial<Pick<ListFilters, 'region' | 'category' | 'page' | 'pageSize'>>) => void] {
  const [sp, setSp] = useSearchParams();
  const filters = readFilters(sp);
  const update = (patch: Partial<Pick<ListFilters, 'region' | 'category' | 'page' | 'pageSize'>>): void => {
    const next = { region: filters.region, category: filters.category, page: filters.page, pageSize: filters.pageSize, ...patch };
    // Changing what is shown starts again at page 1.
    if (!('page' in patch)) next.page = 1;
    const out = new URLSearchParams();
    if (next.region) out.set('region', next.region);
    if (next.category) out.set('category', next.category);
    if (next.page !== 1) out.set('page', String(next.page));
    if (next.pageSize !== DEFAULT_PAGE_SIZE) out.set('pageSize', String(next.pageSize));
    setSp(out);
  };
  return [filters, update];
}

function MountainTag() {
  const { t } = useTranslation();
  return (
    <Tag color="green" variant="outlined" style={{ marginInlineStart: 6, marginInlineEnd: 0, fontSize: 11, lineHeight: '16px', paddingInline: 4 }} data-testid="mountain-tag">
      {t('region.mountainCounty')}
    </Tag>
  );
}

interface RegionOption {
  value: string;
  label: string;
  mountain: boolean;
}

/** A filter may shrink below its set width on a narrow screen (the inline form wraps, but one item must still fit). */
const filterItem = { maxWidth: 'calc(100% - 16px)' } as const;

const toOptions = (regions: RegionView[] | undefined): RegionOption[] =>
  (regions ?? []).map((r) => ({ value: r.code, label: r.name, mountain: r.isMountainCounty }));

/**
 * City and county pickers within the user's scope: a city-scoped user cannot leave the city, a
 * county-scoped one neither city nor county (the pickers show them, disabled).
 */
function Filters({ filters, update }: { filters: ListFilters; update: ReturnType<typeof useListFilters>[1] }) {
  const { t } = useTranslation();
  const me = useMe();
  const scope = me.scopeRegion;
  const scopeCity = scope.length >= 4 ? scope.slice(0, 4) : undefined;
  const scopeCounty = scope.length >= 6 ? scope.slice(0, 6) : undefined;
  const city = scopeCity ?? filters.city;
  const county = scopeCounty ?? filters.county;
  const cities = useRegions(PROVINCE_CODE);
  const counties = useRegions(city);
  const cityOptions = useMemo(() => toOptions(cities.data), [cities.data]);
  const countyOptions = useMemo(() => toOptions(counties.data), [counties.data]);
  const renderRegion = (o: RegionOption | undefined, fallback: ReactNode) =>
    o ? (
      <span>
        {o.label}
        {o.mountain ? <MountainTag /> : null}
      </span>
    ) : (
      fallback
    );
  return (
    <Form layout="inline" style={{ rowGap: 12 }} data-testid="filters">
      <Form.Item label={t('list.city')} style={filterItem}>
        <Select<string, RegionOption>
          data-testid="filter-city"
          style={{ width: 160, maxWidth: '100%' }}
          allowClear={!scopeCity}
          disabled={scopeCity !== undefined}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('list.allCities')}
          loading={cities.isLoading}
          value={city}
          options={cityOptions}
          onChange={(v) => update({ region: v })}
        />
      </Form.Item>
      <Form.Item label={t('list.county')} style={filterItem}>
        <Select<string, RegionOption>
          data-testid="filter-county"
          style={{ width: 220, maxWidth: '100%' }}
          allowClear={!scopeCounty}
          showSearch={{ optionFilterProp: 'label' }}
          disabled={city === undefined || scopeCounty !== undefined}
          placeholder={t('list.allCounties')}
          loading={counties.isLoading}
          value={county}
          options={countyOptions}
          optionRender={(o) => renderRegion(o.data, o.label)}
          labelRender={(p) => renderRegion(countyOptions.find((o) => o.value === p.value), p.label)}
          onChange={(v) => update({ region: v ?? city })}
        />
      </Form.Item>
      <Form.Item label={t('list.category')} style={filterItem}>
        <Select<Category>
          data-testid="filter-category"
          style={{ width: 180, maxWidth: '100%' }}
          allowClear
          placeholder={t('list.allCategories')}
          value={filters.category}
          options={CATEGORY_ORDER.filter((c) => (CATEGORIES as readonly string[]).includes(c)).map((c) => ({
            value: c,
            label: t(`category.${c}`),
          }))}
          optionRender={(o) => <CategoryTag category={o.value as Category} />}
          onChange={(v) => update({ category: v })}
        />
      </Form.Item>
      <Form.Item>
        <Button icon={<ReloadOutlined />} onClick={() => update({ region: undefined, category: undefined })} data-testid="filter-reset">
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}

function CategorySummary({ filters, update }: { filters: ListFilters; update: ReturnType<typeof useListFilters>[1] }) {
  const { t } = useTranslation();
  const stats = useCategoryStats(filters.region);
  if (stats.isError) return <ErrorView error={stats.error} onRetry={() => void stats.refetch()} />;
  const counts = stats.data?.byCategory ?? {};
  const block = (key: string, label: string, value: number | undefined, color: string, category?: Category) => {
    const active = category !== undefined && filters.category === category;
    return (
      <div
        key={key}
        data-testid={`summary-${key}`}
        role={category ? 'button' : undefined}
        tabIndex={category ? 0 : undefined}
        aria-pressed={category ? active : undefined}
        onClick={category ? () => update({ category: active ? undefined : category }) : undefined}
        onKeyDown={
          category
            ? (e) => {
                if (e.key === 'Enter' || e.key === ' ') update({ category: active ? undefined : category });
              }
            : undefined
        }
        style={{
          flex: '1 1 120px',
          minWidth: 0,
          padding: '10px 14px',
          borderRadius: 4,
          borderInlineStart: `4px solid ${color}`,
          background: active ? '#e6f4ff' : '#fafafa',
          outline: active ? '1px solid #91caff' : undefined,
          cursor: category ? 'pointer' : 'default',
          transition: 'background 0.2s',
        }}
      >
        <div title={label} style={{ color: 'rgba(0,0,0,0.55)', fontSize: 13, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {label}
        </div>
        <div style={{ fontSize: 22, fontWeight: 600, color, fontVariantNumeric: 'tabular-nums' }} data-testid={`summary-${key}-count`}>
          {value === undefined ? '—' : value.toLocaleString('en-US')}
        </div>
      </div>
    );
  };
  return (
    <Card
      size="small"
      loading={stats.isLoading}
      title={t('list.summaryTitle')}
      extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('list.summaryHint')}</Typography.Text>}
      data-testid="category-summary"
    >
      <Flex gap={12} wrap>
        {block('total', t('list.summaryTotal'), stats.data?.total, '#1f1f1f')}
        {CATEGORY_ORDER.map((c) => block(c, t(`category.${c}`), counts[c] ?? (stats.data ? 0 : undefined), CATEGORY_COLORS[c].solid, c))}
      </Flex>
    </Card>
  );
}

/** The user's data scope, which bounds everything on this page. */
function ScopeNote() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Tag color="blue" variant="outlined" style={{ marginInlineStart: 8 }} data-testid="scope-note">
      {t('list.scope', { scope: me.scopeName })}
    </Tag>
  );
}

export function HouseholdListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filters, update] = useListFilters();
  const list = useHouseholdList({ region: filters.region, category: filters.category, page: filters.page, pageSize: filters.pageSize });

  const columns: TableColumnsType<HouseholdListItem> = [
    {
      title: t('list.village'),
      dataIndex: 'villageName',
      key: 'village',
      render: (_: unknown, r) => <span data-testid="cell-village">{r.villageName}</span>,
    },
    {
      title: t('region.county'),
      dataIndex: 'countyName',
      key: 'county',
      render: (_: unknown, r) => (
        <span data-testid="cell-county" style={{ whiteSpace: 'nowrap' }}>
          {r.countyName}
          {r.isMountainCounty ? <MountainTag /> : null}
        </span>
      ),
    },
    {
      title: t('list.head'),
      dataIndex: 'headName',
      key: 'head',
      render: (_: unknown, r) => (
        <Link to={`/households/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid="cell-head" style={{ whiteSpace: 'nowrap' }}>
          {r.headName ?? t('list.noHead')}
        </Link>
      ),
    },
    { title: t('list.members'), dataIndex: 'memberCount', key: 'members', align: 'right' },
    {
      title: t('list.category'),
      dataIndex: 'category',
      key: 'category',
      render: (_: unknown, r) => <CategoryTag category={r.category} />,
    },
    {
      title: t('list.flags'),
      dataIndex: 'flags',
      key: 'flags',
      render: (_: unknown, r) => <FlagTags flags={r.flags} />,
    },
    {
      title: <span style={{ whiteSpace: 'nowrap' }}>{t('list.payment')}</span>,
      dataIndex: 'paymentFen',
      key: 'payment',
      align: 'right',
      render: (_: unknown, r) => (
        <span style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="cell-payment">
          {r.paymentFen ? formatFenOrDash(r.paymentFen) : <span style={{ color: 'rgba(0,0,0,0.25)' }}>—</span>}
        </span>
      ),
    },
    {
      title: <span style={{ whiteSpace: 'nowrap' }}>{t('list.classifiedAt')}</span>,
      dataIndex: 'classifiedAsOf',
      key: 'classifiedAt',
      render: (_: unknown, r) => formatDate(r.classifiedAsOf),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="household-list-page">
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('list.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('list.description')}</Typography.Text>
        <ScopeNote />
      </div>
      <Card size="small">
        <Filters filters={filters} update={update} />
      </Card>
      <CategorySummary filters={filters} update={update} />
      <Card size="small" styles={{ body: { padding: 0 } }}>
        {list.isError ? (
          <div style={{ padding: 16 }}>
            <ErrorView error={list.error} onRetry={() => void list.refetch()} />
          </div>
        ) : (
          <Table<HouseholdListItem>
            data-testid="household-table"
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.isFetching}
            locale={{ emptyText: list.isLoading ? ' ' : t('list.empty') }}
            scroll={{ x: 'max-content' }}
            onRow={(r) => ({
              onClick: () => void navigate(`/households/${r.id}`),
              style: { cursor: 'pointer' },
            })}
            pagination={{
              current: list.data?.page ?? filters.page,
              pageSize: list.data?.pageSize ?? filters.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: PAGE_SIZES.map(String),
              showTotal: (total) => <span data-testid="list-total">{t('list.total', { total })}</span>,
              onChange: (page, pageSize) =>
                pageSize !== filters.pageSize ? update({ pageSize }) : update({ page }),
              style: { paddingInline: 16 },
            }}
          />
        )}
      </Card>
    </Flex>
  );
}

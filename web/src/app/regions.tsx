/**
 * Region helpers for any feature: the name of a region code, and a cascading picker (province →
 * city → county → township → village, children loaded on demand) with a code input beside it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Cascader, Flex, Input, Tooltip } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegionView } from '../../../src/contracts/index.js';
import { api } from './api.js';

export const PROVINCE = '33';
type Level = RegionView['level'];
const LEVEL_LENGTHS: Readonly<Record<Level, number>> = { province: 2, city: 4, county: 6, township: 9, village: 12 };
const LENGTHS = [2, 4, 6, 9, 12] as const;

/** The codes from the province down to `code`: 330326 → [33, 3303, 330326]. */
export function regionPath(code: string): string[] {
  return LENGTHS.filter((n) => n <= code.length).map((n) => code.slice(0, n));
}

export function parentOf(code: string): string | undefined {
  const path = regionPath(code);
  return path.length >= 2 ? path[path.length - 2] : undefined;
}

const regionsQuery = (parent: string) => ({
  queryKey: ['regions', parent] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => api.regions(parent, signal),
  staleTime: Infinity,
});

/** The name of a region code ("平阳县"), with the code in a tooltip; the code itself until known. */
export function RegionName({ code }: { code: string }) {
  const { t } = useTranslation();
  const parent = parentOf(code);
  const siblings = useQuery({ ...regionsQuery(parent ?? PROVINCE), enabled: parent !== undefined && /^\d+$/.test(code) });
  const name = code === PROVINCE ? t('region.zhejiang') : siblings.data?.items.find((r) => r.code === code)?.name;
  return (
    <Tooltip title={code}>
      <span data-testid="region-name" data-code={code} style={{ whiteSpace: 'nowrap' }}>
        {name ?? code}
      </span>
    </Tooltip>
  );
}

interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: Option[];
}

/**
 * Picks a region at any level down to `deepest`. The value is a region code; the cascader and the
 * code input stay in step.
 */
export function RegionPicker({
  value,
  onChange,
  deepest = 'village',
  testId = 'region-picker',
}: {
  value?: string | undefined;
  onChange?: (code: string | undefined) => void;
  deepest?: Level;
  testId?: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [children, setChildren] = useState<ReadonlyMap<string, RegionView[]>>(new Map());
  const [typed, setTyped] = useState(value ?? '');
  const maxLength = LEVEL_LENGTHS[deepest];

  const load = async (parent: string): Promise<void> => {
    if (children.has(parent)) return;
    const r = await queryClient.query(regionsQuery(parent));
    setChildren((m) => new Map(m).set(parent, r.items));
  };

  // Load the path to the current value so the cascader can show its names.
  useEffect(() => {
    setTyped(value ?? '');
    const parents = value ? regionPath(value).slice(0, -1) : [];
    for (const p of parents.length > 0 ? parents : [PROVINCE]) void load(p).catch(() => undefined);
  }, [value]);

  const options = useMemo((): Option[] => {
    const node = (code: string, label: string): Option => {
      const kids = children.get(code);
      const isLeaf = code.length >= maxLength;
      return { value: code, label, isLeaf, ...(kids && !isLeaf ? { children: kids.map((k) => node(k.code, k.name)) } : {}) };
    };
    return [node(PROVINCE, t('region.zhejiang'))];
  }, [children, maxLength, t]);

  return (
    <Flex gap={8} wrap data-testid={testId}>
      <Cascader<Option>
        style={{ flex: '1 1 260px', minWidth: 220 }}
        options={options}
        value={value ? regionPath(value) : []}
        changeOnSelect
        allowClear={false}
        placeholder={t('regionPicker.placeholder')}
        loadData={(selected) => {
          const last = selected[selected.length - 1];
          if (last) void load(last.value).catch(() => undefined);
        }}
        displayRender={(labels) => labels.join(' / ')}
        onChange={(path) => onChange?.(path.length > 0 ? path[path.length - 1] : undefined)}
        data-testid={`${testId}-cascader`}
      />
      <Input
        style={{ width: 150 }}
        value={typed}
        maxLength={maxLength}
        placeholder={t('regionPicker.code')}
        inputMode="numeric"
        onChange={(e) => {
          const v = e.target.value.replace(/\D/g, '');
          setTyped(v);
          if (LENGTHS.some((n) => n === v.length) && v.length <= maxLength && v.startsWith(PROVINCE)) onChange?.(v);
        }}
        data-testid={`${testId}-code`}
      />
    </Flex>
  );
}

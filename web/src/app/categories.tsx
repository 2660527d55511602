/** Colours and tags for assistance categories and temporary-assistance flags, shared by features. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { CATEGORIES, TEMPORARY_FLAGS } from '../../../src/contracts/index.js';

export type Category = (typeof CATEGORIES)[number];
export type TemporaryFlag = (typeof TEMPORARY_FLAGS)[number];

/** Display order: most to least severe, then none. */
export const CATEGORY_ORDER: readonly Category[] = ['extreme_poverty', 'dibao', 'marginal', 'rigid_expenditure', 'income_uplift', 'none'];

/** antd preset tag colour and the matching solid colour (for figures) per category. */
export const CATEGORY_COLORS: Readonly<Record<Category, { tag: string; solid: string }>> = {
  extreme_poverty: { tag: 'red', solid: '#cf1322' },
  dibao: { tag: 'volcano', solid: '#d4380d' },
  marginal: { tag: 'gold', solid: '#d48806' },
  rigid_expenditure: { tag: 'purple', solid: '#531dab' },
  income_uplift: { tag: 'blue', solid: '#0958d9' },
  none: { tag: 'default', solid: '#595959' },
};

export function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}

export function CategoryTag({ category }: { category: Category | null | undefined }) {
  const { t } = useTranslation();
  if (category === null || category === undefined) {
    return <Tag data-testid="category-tag" data-category="unclassified">{t('common.notClassified')}</Tag>;
  }
  return (
    <Tag color={CATEGORY_COLORS[category].tag} data-testid="category-tag" data-category={category} style={{ marginInlineEnd: 0 }}>
      {t(`category.${category}`)}
    </Tag>
  );
}

export function FlagTags({ flags }: { flags: readonly TemporaryFlag[] }) {
  const { t } = useTranslation();
  if (flags.length === 0) return <span style={{ color: 'rgba(0,0,0,0.25)' }}>—</span>;
  return (
    <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
      {flags.map((f) => (
        <Tag key={f} color={f === 'emergency' ? 'error' : 'warning'} variant="outlined" data-testid="flag-tag" style={{ marginInlineEnd: 0 }}>
          {t(`flag.${f}`)}
        </Tag>
      ))}
    </span>
  );
}

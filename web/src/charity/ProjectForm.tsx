/** The charity's project form: create a draft, or edit one (only a draft can be edited), eligibility included. */
import dayjs, { type Dayjs } from 'dayjs';
import { App, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { NEED_CATEGORIES } from '../../../src/contracts/index.js';
import { useErrorMessage } from '../app/ErrorView.js';
import { applyServerErrors } from '../app/forms.js';
import { HOUSEHOLD_CATEGORY_ORDER, RISK_LEVELS } from './labels.js';
import { useCreateProject, useUpdateProject, type Eligibility, type Project, type ProjectCreate } from './queries.js';

const ANY_RISK = 'any';

interface ProjectFormValues {
  title: string;
  brand?: string;
  description?: string;
  categories: ProjectCreate['categories'];
  regionCode: string;
  householdCategories?: Eligibility['householdCategories'];
  minRiskLevel?: NonNullable<Eligibility['minRiskLevel']> | typeof ANY_RISK;
  minAge?: number | null;
  maxAge?: number | null;
  disability?: boolean;
  illness?: boolean;
  capacity: number;
  budgetYuan: number;
  costYuan: number;
  period: [Dayjs, Dayjs];
}

function valuesOf(p: Project): ProjectFormValues {
  const e = p.eligibility;
  return {
    title: p.title, brand: p.brand ?? '', description: p.description, categories: p.categories as ProjectCreate['categories'], regionCode: e.regionCode,
    householdCategories: e.householdCategories, minRiskLevel: e.minRiskLevel ?? ANY_RISK, minAge: e.minAge, maxAge: e.maxAge, disability: e.disability, illness: e.illness,
    capacity: p.capacity, budgetYuan: p.budgetFen / 100, costYuan: p.costPerBeneficiaryFen / 100, period: [dayjs(p.startsOn), dayjs(p.endsOn)],
  };
}

function bodyOf(v: ProjectFormValues): ProjectCreate {
  return {
    title: v.title, description: v.description ?? '', brand: v.brand ? v.brand : null, categories: v.categories,
    eligibility: {
      regionCode: v.regionCode, minAge: v.minAge ?? null, maxAge: v.maxAge ?? null, disability: !!v.disability, illness: !!v.illness,
      householdCategories: v.householdCategories ?? [], minRiskLevel: !v.minRiskLevel || v.minRiskLevel === ANY_RISK ? null : v.minRiskLevel,
    },
    capacity: v.capacity, budgetFen: Math.round(v.budgetYuan * 100), costPerBeneficiaryFen: Math.round(v.costYuan * 100),
    startsOn: v.period[0].format('YYYY-MM-DD'), endsOn: v.period[1].format('YYYY-MM-DD'),
  };
}

/**
 * `editing`: the draft to edit; null to create a new one. Mount it only while open (and keyed by the
 * project), so that every opening starts from a fresh form store.
 */
export function ProjectForm({ editing, onClose }: { editing: Project | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const create = useCreateProject();
  const update = useUpdateProject();
  const [form] = Form.useForm<ProjectFormValues>();
  const submit = async (): Promise<void> => {
    // A failed validation shows on the fields; it is not an error to report.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      if (editing) {
        await update.mutateAsync({ id: editing.id, body: bodyOf(v) });
        message.success(t('charity.projectSaved'));
      } else {
        await create.mutateAsync(bodyOf(v));
        message.success(t('charity.created'));
      }
      onClose();
    } catch (e) {
      applyServerErrors(form, e, ['title', 'description', 'categories', 'capacity']);
      message.error(err(e));
    }
  };
  return (
    <Modal open title={editing ? t('charity.editProjectTitle') : t('charity.newProject')} onCancel={onClose} onOk={() => void submit()} okText={t('charity.save')}
      confirmLoading={create.isPending || update.isPending}>
      <Form form={form} layout="vertical" data-testid="project-form" 
        initialValues={editing ? valuesOf(editing) : { minRiskLevel: ANY_RISK, householdCategories: [] }}>
        <Form.Item name="title" label={t('charity.title')} rules={[{ required: true }]}><Input data-testid="project-title" /></Form.Item>
        <Form.Item name="brand" label={t('charity.brand')}><Input /></Form.Item>
        <Form.Item name="description" label={t('charity.description')}><Input.TextArea rows={2} /></Form.Item>
        <Form.Item name="categories" label={t('charity.categories')} rules={[{ required: true }]}>
          <Select mode="multiple" data-testid="project-categories" options={NEED_CATEGORIES.map((c) => ({ value: c, label: t(`needCategory.${c}`) }))} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('charity.region')} rules={[{ required: true }]}><Input data-testid="project-region" placeholder="330106" /></Form.Item>
        <Form.Item name="householdCategories" label={t('charity.householdCategories')} extra={t('charity.householdCategoriesHint')}>
          <Select mode="multiple" allowClear data-testid="project-household-categories"
            options={HOUSEHOLD_CATEGORY_ORDER.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
        </Form.Item>
        <Form.Item name="minRiskLevel" label={t('charity.minRiskLevel')} extra={t('charity.minRiskLevelHint')}>
          <Select data-testid="project-min-risk"
            options={[{ value: ANY_RISK, label: t('charity.anyRiskLevel') }, ...RISK_LEVELS.map((l) => ({ value: l, label: t(`riskLevel.${l}`) }))]} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="minAge" label={t('charity.minAge')}><InputNumber min={0} max={120} /></Form.Item>
          <Form.Item name="maxAge" label={t('charity.maxAge')}><InputNumber min={0} max={120} /></Form.Item>
          <Form.Item name="disability" valuePropName="checked" label=" "><Checkbox>{t('charity.needsDisability')}</Checkbox></Form.Item>
          <Form.Item name="illness" valuePropName="checked" label=" "><Checkbox>{t('charity.needsIllness')}</Checkbox></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="capacity" label={t('charity.capacity')} rules={[{ required: true }]}><InputNumber min={1} data-testid="project-capacity" /></Form.Item>
          <Form.Item name="budgetYuan" label={t('charity.budget')} rules={[{ required: true }]}><InputNumber min={0} data-testid="project-budget" /></Form.Item>
          <Form.Item name="costYuan" label={t('charity.cost')} rules={[{ required: true }]}><InputNumber min={0} data-testid="project-cost" /></Form.Item>
        </Space>
        <Form.Item name="period" label={t('charity.period')} rules={[{ required: true }]}><DatePicker.RangePicker data-testid="project-period" /></Form.Item>
      </Form>
    </Modal>
  );
}

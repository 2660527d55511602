/**
 * A worker's changes to a household's needs: add one (category, severity, finding), change its
 * severity, close or reopen it, each with a reason. Mount a dialog only while it is open, so that
 * every opening starts from an empty form.
 */
import { useState } from 'react';
import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { ApiError } from '../app/api.js';
import { useTranslation } from 'react-i18next';
import { NEED_CATEGORIES } from '../../../src/contracts/index.js';
import { useErrorMessage } from '../app/ErrorView.js';
import { applyServerErrors } from '../app/forms.js';
import { useAddNeed, useUpdateNeed, type Need, type NeedCreate } from './queries.js';

const SEVERITIES = [1, 2, 3] as const;

function SeveritySelect({ testId, ...props }: { testId: string; value?: number; onChange?: (v: number) => void }) {
  const { t } = useTranslation();
  return <Select {...props} data-testid={testId} options={SEVERITIES.map((s) => ({ value: s, label: t(`charity.severityLevel.${s}`) }))} />;
}

export function AddNeedDialog({ householdId, onClose }: { householdId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const add = useAddNeed(householdId);
  const [form] = Form.useForm<NeedCreate>();
  const submit = async (): Promise<void> => {
    // A failed validation shows on the fields; it is not an error to report.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await add.mutateAsync({ category: v.category, severity: v.severity, finding: v.finding });
      message.success(t('charity.needAdded'));
      onClose();
    } catch (e) {
      applyServerErrors(form, e, ['category', 'severity', 'finding']);
      message.error(err(e));
    }
  };
  return (
    <Modal open title={t('charity.addNeedTitle')} onCancel={onClose} onOk={() => void submit()} okText={t('charity.save')} confirmLoading={add.isPending}>
      <Form form={form} layout="vertical" data-testid="need-form">
        <Form.Item name="category" label={t('charity.need')} rules={[{ required: true, message: t('charity.categoryRequired') }]}>
          <Select data-testid="need-category" options={NEED_CATEGORIES.map((c) => ({ value: c, label: t(`needCategory.${c}`) }))} />
        </Form.Item>
        <Form.Item name="severity" label={t('charity.severity')} rules={[{ required: true, message: t('charity.severityRequired') }]}>
          <SeveritySelect testId="need-severity-select" />
        </Form.Item>
        <Form.Item name="finding" label={t('charity.finding')} extra={t('charity.noPersonalData')}
          rules={[{ required: true, whitespace: true, message: t('charity.findingRequired') }, { max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('charity.findingPlaceholder')} data-testid="need-finding" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export type NeedEditMode = 'severity' | 'close' | 'reopen';
interface NeedEditValues {
  severity?: number;
  reason: string;
}

const TITLE: Record<NeedEditMode, string> = { severity: 'charity.changeSeverityTitle', close: 'charity.closeNeedTitle', reopen: 'charity.reopenNeedTitle' };

/** Changes a need's severity, or closes or reopens it; a reason is always required. */
export function EditNeedDialog({ householdId, need, mode, onClose }: { householdId: string; need: Need; mode: NeedEditMode; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const update = useUpdateNeed(householdId);
  // The version the dialog opened on: a refetch while it is open must not make a stale edit look current.
  const [version] = useState(need.version);
  const [form] = Form.useForm<NeedEditValues>();
  const submit = async (): Promise<void> => {
    // A failed validation shows on the fields; it is not an error to report.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body = mode === 'severity' ? { severity: v.severity!, reason: v.reason } : { status: mode === 'close' ? 'closed' as const : 'open' as const, reason: v.reason };
    try {
      await update.mutateAsync({ needId: need.id, version, body });
      message.success(t('charity.needUpdated'));
      onClose();
    } catch (e) {
      applyServerErrors(form, e, ['severity', 'reason']);
      message.error(err(e));
      // Changed by someone else: the portrait reloads; the edit starts again from what it shows.
      if (e instanceof ApiError && e.isStale) onClose();
    }
  };
  return (
    <Modal open title={t(TITLE[mode])} onCancel={onClose} onOk={() => void submit()} okText={t('charity.save')} confirmLoading={update.isPending}
      okButtonProps={{ danger: mode === 'close' }}>
      <Typography.Paragraph>
        {t(`needCategory.${need.category}`)} · {t('charity.severity')} {need.severity} · {t(`charity.needStatus.${need.status}`)}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" data-testid="need-edit-form" initialValues={{ severity: need.severity }}>
        {mode === 'severity' ? (
          <Form.Item name="severity" label={t('charity.newSeverity')} rules={[{ required: true, message: t('charity.severityRequired') }]}>
            <SeveritySelect testId="need-new-severity" />
          </Form.Item>
        ) : null}
        <Form.Item name="reason" label={t('charity.reason')} extra={t('charity.noPersonalData')}
          rules={[{ required: true, whitespace: true, message: t('charity.reasonRequired') }, { max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="need-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * "Show full": asks for the reason (and an optional short note), then POSTs /reveal. The full
 * names, ID numbers and phones go back to the caller, which keeps them in component state only
 * (never in the query cache or browser storage), so they are gone once the user leaves the page.
 */
import { EyeOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REVEAL_REASONS } from '../../../src/contracts/index.js';
import { api, type RevealedMember, type RevealReason } from '../app/api.js';
import { useErrorMessage } from '../app/ErrorView.js';

export const NOTE_MAX = 100;

interface RevealForm {
  reason: RevealReason;
  note?: string;
}

export function RevealDialog({
  householdId,
  open,
  onClose,
  onRevealed,
}: {
  householdId: string;
  open: boolean;
  onClose: () => void;
  onRevealed: (members: RevealedMember[]) => void;
}) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<RevealForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: RevealForm): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const note = v.note?.trim();
      const r = await api.reveal(householdId, v.reason, note ? note : undefined);
      onRevealed(r.members);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={
        <span>
          <EyeOutlined style={{ marginInlineEnd: 8 }} />
          {t('reveal.title')}
        </span>
      }
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose} disabled={busy}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => form.submit()} data-testid="reveal-confirm">
          {t('reveal.confirm')}
        </Button>,
      ]}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (!visible) {
          setError(null);
          form.resetFields();
        }
      }}
    >
      <Alert type="info" showIcon title={t('reveal.explain')} style={{ marginBottom: 16 }} />
      <Form<RevealForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="reveal-form" preserve={false}>
        <Form.Item name="reason" label={t('reveal.reason')} rules={[{ required: true, message: t('reveal.reasonRequired') }]}>
          <Select<RevealReason>
            data-testid="reveal-reason"
            placeholder={t('reveal.reasonPlaceholder')}
            options={REVEAL_REASONS.map((r) => ({ value: r, label: t(`revealReason.${r}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('reveal.note')}
          extra={<span style={{ color: '#d46b08' }}>{t('reveal.noteWarning')}</span>}
          rules={[{ max: NOTE_MAX, message: t('reveal.noteTooLong', { max: NOTE_MAX }) }]}
        >
          <Input.TextArea rows={2} maxLength={NOTE_MAX} showCount placeholder={t('reveal.notePlaceholder')} data-testid="reveal-note" />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} data-testid="reveal-error" /> : null}
    </Modal>
  );
}

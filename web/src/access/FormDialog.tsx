/**
 * The access pages' form dialog: the form, the server's error under it (cleared when the dialog has
 * closed), and Cancel and Save in the footer — Save submits the form and spins while it saves.
 */
import { Alert, Button, Modal } from 'antd';
import type { FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function FormDialog({ open, title, onClose, form, saving, saveTestId, saveLabel, error, onClosed, width, children }: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  form: Pick<FormInstance, 'submit'>;
  saving: boolean;
  saveTestId: string;
  /** Defaults to 'Save'. */
  saveLabel?: string;
  error: string | null;
  /** Called once the dialog has closed (clear the error there). */
  onClosed: () => void;
  width?: number;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      destroyOnHidden
      width={width}
      afterOpenChange={(v) => v || onClosed()}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={saving} onClick={() => form.submit()} data-testid={saveTestId}>
          {saveLabel ?? t('common.save')}
        </Button>,
      ]}
    >
      {children}
      {error ? <Alert type="error" showIcon title={error} /> : null}
    </Modal>
  );
}

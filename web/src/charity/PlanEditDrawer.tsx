/**
 * Editing the household plan (一户一策): review date, department tasks (department, task, due date,
 * status) and a change note; every save writes the next version. The owner is shown, not changed:
 * the roles that edit plans cannot list accounts (GET /users is for the administrators), and the
 * server makes the first worker who saves the plan its owner.
 */
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { App, Button, DatePicker, Drawer, Flex, Form, Input, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.js';
import { useErrorMessage } from '../app/ErrorView.js';
import { applyServerErrors } from '../app/forms.js';
import { TASK_STATUSES } from './labels.js';
import { useUpdatePlan, type Plan, type PlanTask } from './queries.js';

interface TaskValues {
  id: string;
  department: string;
  task: string;
  dueOn: Dayjs;
  status: PlanTask['status'];
}
interface PlanValues {
  reviewOn: Dayjs | null;
  tasks: TaskValues[];
  note?: string;
}

/** A task id the server accepts (≤ 40 characters, never a run of digits that looks like an ID or phone number). */
const newTaskId = (): string => `t-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export function PlanEditDrawer({ householdId, plan, ownerText, onClose }: { householdId: string; plan: Plan; ownerText: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const save = useUpdatePlan(householdId);
  // The version the form was filled from (If-Match): a background refetch must not make a stale edit look current.
  const [version] = useState(plan.version);
  const [form] = Form.useForm<PlanValues>();
  const initial: PlanValues = {
    reviewOn: plan.reviewOn ? dayjs(plan.reviewOn) : null,
    tasks: plan.tasks.map((x) => ({ ...x, dueOn: dayjs(x.dueOn) })),
  };
  const submit = async (): Promise<void> => {
    // A failed validation shows on the fields; it is not an error to report.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const note = v.note?.trim();
    try {
      const saved = await save.mutateAsync({
        version,
        body: {
          reviewOn: v.reviewOn ? v.reviewOn.format('YYYY-MM-DD') : null,
          tasks: (v.tasks ?? []).map((x) => ({ id: x.id, department: x.department.trim(), task: x.task.trim(), dueOn: x.dueOn.format('YYYY-MM-DD'), status: x.status })),
          ...(note ? { note } : {}),
        },
      });
      message.success(t('charity.planSaved', { version: saved.version }));
      onClose();
    } catch (e) {
      applyServerErrors(form, e, ['reviewOn', 'note']);
      message.error(err(e));
      // Changed by someone else: the plan reloads; the edit starts again from the latest version.
      if (e instanceof ApiError && e.isStale) onClose();
    }
  };
  const required = { required: true, whitespace: true, message: t('common.required') };
  return (
    <Drawer open title={t('charity.editPlanTitle')} onClose={onClose} size="min(760px, 100vw)" data-testid="plan-drawer"
      footer={(
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="plan-save">{t('charity.save')}</Button>
        </Flex>
      )}>
      <Form form={form} layout="vertical" data-testid="plan-form" initialValues={initial}>
        <Form.Item label={t('charity.owner')} extra={t('charity.ownerKept')}>
          <Typography.Text data-testid="plan-owner">{ownerText}</Typography.Text>
        </Form.Item>
        <Form.Item name="reviewOn" label={t('charity.reviewOn')}>
          <DatePicker allowClear data-testid="plan-review-on" />
        </Form.Item>
        <Typography.Title level={5}>{t('charity.tasks')}</Typography.Title>
        <Form.List name="tasks">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginBottom: 16 }}>
              {fields.length === 0 ? <Typography.Text type="secondary">{t('charity.noTasks')}</Typography.Text> : null}
              {fields.map((f) => (
                <Flex key={f.key} wrap gap={8} align="flex-start" data-testid="plan-task-row"
                  style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 8px 0' }}>
                  <Form.Item name={[f.name, 'id']} hidden><Input /></Form.Item>
                  <Form.Item name={[f.name, 'department']} rules={[required, { max: 50 }]} style={{ flex: '1 1 140px', marginBottom: 8 }}>
                    <Input placeholder={t('charity.departmentPlaceholder')} aria-label={t('charity.department')} maxLength={50} data-testid="task-department" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'task']} rules={[required, { max: 200 }]} style={{ flex: '3 1 220px', marginBottom: 8 }}>
                    <Input placeholder={t('charity.taskPlaceholder')} aria-label={t('charity.task')} maxLength={200} data-testid="task-text" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'dueOn']} rules={[{ required: true, message: t('common.required') }]} style={{ flex: '1 1 130px', marginBottom: 8 }}>
                    <DatePicker placeholder={t('charity.dueOn')} aria-label={t('charity.dueOn')} style={{ width: '100%' }} data-testid="task-due-on" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'status']} rules={[{ required: true, message: t('common.required') }]} style={{ flex: '1 1 100px', marginBottom: 8 }}>
                    <Select aria-label={t('charity.status')} data-testid="task-status" options={TASK_STATUSES.map((s) => ({ value: s, label: t(`charity.taskStatus.${s}`) }))} />
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('charity.removeTask')} title={t('charity.removeTask')} onClick={() => remove(f.name)} data-testid="task-remove" />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ id: newTaskId(), status: 'todo' })} data-testid="add-task">{t('charity.addTask')}</Button>
            </Flex>
          )}
        </Form.List>
        <Form.Item name="note" label={t('charity.note')} extra={t('charity.noPersonalData')} rules={[{ max: 200 }]}>
          <Input maxLength={200} placeholder={t('charity.notePlaceholder')} data-testid="plan-note" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

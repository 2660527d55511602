/** The household portrait (精准画像): needs with severity, evidence and status; a worker adds, edits, closes and reopens needs. */
import { useState } from 'react';
import { App, Button, Card, Empty, Flex, List, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../app/ErrorView.js';
import { needReasonText, STATUS_COLOR, useBilingual } from './labels.js';
import { AddNeedDialog, EditNeedDialog, type NeedEditMode } from './NeedForms.js';
import { useDeriveHousehold, type Need } from './queries.js';

const SEVERITY_COLOR: Record<number, string> = { 1: 'default', 2: 'gold', 3: 'red' };

function NeedItem({ need: n, canWrite, onEdit }: { need: Need; canWrite: boolean; onEdit: (mode: NeedEditMode) => void }) {
  const { t } = useTranslation();
  const text = useBilingual();
  // Planned and met needs follow their referral: the server refuses a worker's change.
  const actions: NeedEditMode[] = !canWrite ? [] : n.status === 'open' ? ['severity', 'close'] : n.status === 'closed' ? ['reopen'] : [];
  const label: Record<NeedEditMode, string> = { severity: t('charity.changeSeverity'), close: t('charity.closeNeed'), reopen: t('charity.reopenNeed') };
  return (
    <List.Item data-testid="need-row" data-category={n.category} data-status={n.status} style={{ display: 'block' }}>
      {/* The actions sit right of the need; on a phone they wrap below it, right-aligned. */}
      <Flex wrap gap={8} align="flex-start">
        <div style={{ flex: '1 1 240px', minWidth: 0 }}>
          <Space wrap size={[6, 4]}>
            <Tag style={{ marginInlineEnd: 0 }}>{t(`needCategory.${n.category}`)}</Tag>
            <Tag color={SEVERITY_COLOR[n.severity]} style={{ marginInlineEnd: 0 }}>{t('charity.severity')} {n.severity}</Tag>
            <Tag color={STATUS_COLOR[n.status]} style={{ marginInlineEnd: 0 }} data-testid="need-status">{t(`charity.needStatus.${n.status}`)}</Tag>
            {n.source === 'worker' ? <Tag variant="outlined" style={{ marginInlineEnd: 0 }}>{t('charity.needSource.worker')}</Tag> : null}
            {n.status === 'open' ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('charity.waitingDays', { days: n.waitingDays })}</Typography.Text> : null}
          </Space>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0', overflowWrap: 'anywhere' }}>
            {n.evidence.map((e) => text(e.text)).join('；')}
          </Typography.Paragraph>
          {n.statusReason ? (
            <Typography.Paragraph style={{ fontSize: 12, margin: '2px 0 0', overflowWrap: 'anywhere' }} data-testid="need-reason-text">
              {needReasonText(t, n.statusReason)}
            </Typography.Paragraph>
          ) : null}
        </div>
        {actions.length > 0 ? (
          <Space size={0} style={{ marginInlineStart: 'auto' }}>
            {actions.map((a) => (
              <Button key={a} type="link" size="small" danger={a === 'close'} data-testid={`need-${a}`} onClick={() => onEdit(a)}>{label[a]}</Button>
            ))}
          </Space>
        ) : null}
      </Flex>
    </List.Item>
  );
}

export function PortraitCard({ householdId, needs, canWrite }: { householdId: string; needs: Need[]; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const err = useErrorMessage();
  const derive = useDeriveHousehold();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<{ need: Need; mode: NeedEditMode } | null>(null);
  return (
    <Card size="small" title={t('charity.portrait')} data-testid="portrait-card">
      {canWrite ? (
        <Space wrap style={{ marginBottom: 8 }}>
          <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="add-need" onClick={() => setAdding(true)}>{t('charity.addNeed')}</Button>
          <Button size="small" loading={derive.isPending} data-testid="derive-household"
            onClick={() => derive.mutate(householdId, { onError: (e) => { void message.error(err(e)); } })}>{t('charity.deriveNeeds')}</Button>
        </Space>
      ) : null}
      {needs.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('charity.noNeeds')} /> : (
        <List size="small" dataSource={needs} rowKey="id" renderItem={(n) => <NeedItem need={n} canWrite={canWrite} onEdit={(mode) => setEditing({ need: n, mode })} />} />
      )}
      {adding ? <AddNeedDialog householdId={householdId} onClose={() => setAdding(false)} /> : null}
      {editing ? <EditNeedDialog key={`${editing.need.id}/${editing.mode}`} householdId={householdId} need={editing.need} mode={editing.mode} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

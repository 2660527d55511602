/**
 * UI strings of the shared households page and the fields an agreement can share — in Simplified
 * Chinese and English (spread into web/src/app/i18n.ts at the top level); English is typed
 * against Chinese, so a missing string fails typecheck.
 */
import type { SHAREABLE_FIELDS } from '../../../src/contracts/index.js';
import type { Labels, Messages } from '../app/messages.js';

export const sharedZh = {
  shared: {
    title: '共享家庭',
    description: '根据数据共享协议并经家庭本人授权，向本组织共享的困难家庭信息（已脱敏）。',
    organisation: '本组织：{{name}}',
    place: '所在地',
    category: '救助类别',
    members: '人数',
    consentPurpose: '家庭授权用途',
    agreementPurpose: '共享协议用途',
    open: '查看',
    empty: '暂无向本组织共享的家庭',
    notShared: '未共享',
    backToList: '返回共享家庭',
    detailTitle: '{{place}}的共享家庭',
    basis: '共享依据',
    footnote: '仅显示协议允许共享的信息；姓名和电话已脱敏。协议或家庭授权失效后将无法再查看。',
    revokedTitle: '授权已失效或已撤回',
    revokedHint: '共享协议已到期或被撤销，或家庭已撤回授权，本组织不能再查看该家庭的信息。',
  },
  shareableField: {
    category: '救助类别',
    members_basic: '成员基本情况（脱敏姓名、性别、年龄）',
    disability: '残疾等级',
    serious_illness: '重病情况',
    region_village: '所在村（社区）',
    phone: '联系电话（脱敏）',
  } satisfies Labels<typeof SHAREABLE_FIELDS>,
};

export const sharedEn: Messages<typeof sharedZh> = {
  shared: {
    title: 'Shared households',
    description: 'Households shared with your organisation under a data-sharing agreement and with their own consent (masked).',
    organisation: 'Organisation: {{name}}',
    place: 'Location',
    category: 'Category',
    members: 'Members',
    consentPurpose: "Household's consent",
    agreementPurpose: 'Agreement',
    open: 'Open',
    empty: 'No household is shared with your organisation',
    notShared: 'Not shared',
    backToList: 'Back to shared households',
    detailTitle: 'Shared household in {{place}}',
    basis: 'Basis for sharing',
    footnote: 'Only what the agreement allows is shown; names and phones are masked. Once the agreement or the consent ends, the household can no longer be seen.',
    revokedTitle: 'The agreement or consent is no longer active',
    revokedHint: 'The data-sharing agreement has ended or was revoked, or the household withdrew its consent: your organisation can no longer see this household.',
  },
  shareableField: {
    category: 'Assistance category',
    members_basic: 'Members (masked name, sex, age)',
    disability: 'Disability grade',
    serious_illness: 'Serious illness',
    region_village: 'Village',
    phone: 'Phone (masked)',
  },
};

/** The benefit ledger's API calls and types (from the zod contracts). */
import type { z } from 'zod';
import type { FindingDetailSchema, FindingListSchema, FindingResolutionSchema, FindingSchema, HouseholdLedgerSchema, LedgerCheckResultSchema, FINDING_KINDS, FINDING_STATUSES } from '../../../src/contracts/index.js';
import { request } from '../app/api.js';

export type HouseholdLedger = z.infer<typeof HouseholdLedgerSchema>;
export type LedgerEntry = HouseholdLedger['entries'][number];
export type FindingList = z.infer<typeof FindingListSchema>;
export type Finding = z.infer<typeof FindingSchema>;
export type FindingDetail = z.infer<typeof FindingDetailSchema>;
export type FindingResolution = z.infer<typeof FindingResolutionSchema>;
export type LedgerCheckResult = z.infer<typeof LedgerCheckResultSchema>;
export interface FindingListParams {
  kind?: (typeof FINDING_KINDS)[number] | undefined;
  status?: (typeof FINDING_STATUSES)[number] | undefined;
  page: number;
  pageSize: number;
}

const enc = encodeURIComponent;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export const ledgerApi = {
  householdLedger: (id: string, signal?: AbortSignal) => request<HouseholdLedger>('GET', `/households/${enc(id)}/ledger`, withSignal(signal)),
  findings: (q: FindingListParams, signal?: AbortSignal) =>
    request<FindingList>('GET', '/ledger/findings', { query: { kind: q.kind, status: q.status, page: q.page, pageSize: q.pageSize }, ...withSignal(signal) }),
  finding: (id: string, signal?: AbortSignal) => request<FindingDetail>('GET', `/ledger/findings/${enc(id)}`, withSignal(signal)),
  resolve: (id: string, body: FindingResolution) => request<Finding>('POST', `/ledger/findings/${enc(id)}/resolution`, { body }),
  check: () => request<LedgerCheckResult>('POST', '/ledger/check', { body: {} }),
};

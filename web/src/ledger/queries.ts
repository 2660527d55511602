/** react-query hooks of the benefit ledger: a household's ledger, the findings list, one finding, resolution and the check. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ledgerApi, type FindingListParams, type FindingResolution } from './api.js';

export const ledgerKeys = {
  household: (id: string) => ['ledger', 'household', id] as const,
  findings: (q: FindingListParams) => ['ledger', 'findings', q] as const,
  finding: (id: string) => ['ledger', 'finding', id] as const,
};

export function useHouseholdLedger(id: string) {
  return useQuery({ queryKey: ledgerKeys.household(id), queryFn: ({ signal }) => ledgerApi.householdLedger(id, signal) });
}
export function useFindings(q: FindingListParams) {
  return useQuery({ queryKey: ledgerKeys.findings(q), queryFn: ({ signal }) => ledgerApi.findings(q, signal), placeholderData: keepPreviousData });
}
export function useFinding(id: string) {
  return useQuery({ queryKey: ledgerKeys.finding(id), queryFn: ({ signal }) => ledgerApi.finding(id, signal) });
}
export function useResolveFinding(id: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: FindingResolution) => ledgerApi.resolve(id, body), onSuccess: () => qc.invalidateQueries({ queryKey: ['ledger'] }) });
}
export function useLedgerCheck() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: () => ledgerApi.check(), onSuccess: () => qc.invalidateQueries({ queryKey: ['ledger'] }) });
}

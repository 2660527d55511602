/** react-query hooks for the household feature. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ConsentCreate, type HouseholdListParams } from '../app/api.js';

export const PROVINCE_CODE = '33';

export const householdKeys = {
  all: ['households'] as const,
  list: (q: HouseholdListParams) => ['households', 'list', q] as const,
  detail: (id: string) => ['households', 'detail', id] as const,
  history: (id: string) => ['households', 'history', id] as const,
  stats: (region: string | undefined) => ['stats', 'categories', region ?? 'scope'] as const,
  consents: (id: string) => ['households', 'consents', id] as const,
};

export function useRegions(parent: string | undefined) {
  return useQuery({
    queryKey: ['regions', parent],
    queryFn: ({ signal }) => api.regions(parent!, signal),
    enabled: parent !== undefined,
    staleTime: Infinity,
    select: (r) => r.items,
  });
}

export function useHouseholdList(q: HouseholdListParams) {
  return useQuery({
    queryKey: householdKeys.list(q),
    queryFn: ({ signal }) => api.households(q, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCategoryStats(region: string | undefined) {
  return useQuery({
    queryKey: householdKeys.stats(region),
    // No region: the server counts the user's whole scope.
    queryFn: ({ signal }) => api.categoryStats(region, signal),
    placeholderData: keepPreviousData,
  });
}

export function useHousehold(id: string) {
  return useQuery({ queryKey: householdKeys.detail(id), queryFn: ({ signal }) => api.household(id, signal) });
}

export function useClassificationHistory(id: string, enabled = true) {
  return useQuery({
    queryKey: householdKeys.history(id),
    queryFn: ({ signal }) => api.classifications(id, signal),
    select: (r) => r.items,
    enabled,
  });
}

/** POST classify, then refresh the household, its history, the list and the statistics. */
export function useReclassify(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.classify(id),
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: householdKeys.detail(id) }),
        qc.invalidateQueries({ queryKey: householdKeys.history(id) }),
        qc.invalidateQueries({ queryKey: ['households', 'list'] }),
        qc.invalidateQueries({ queryKey: ['stats'] }),
      ]);
    },
  });
}

export function useConsents(householdId: string) {
  return useQuery({
    queryKey: householdKeys.consents(householdId),
    queryFn: ({ signal }) => api.consents(householdId, signal),
    select: (r) => r.items,
  });
}

export function useRecordConsent(householdId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ConsentCreate) => api.recordConsent(householdId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: householdKeys.consents(householdId) }),
  });
}

export function useWithdrawConsent(householdId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { consentId: string; withdrawnOn: string }) => api.withdrawConsent(householdId, v.consentId, v.withdrawnOn),
    onSuccess: () => qc.invalidateQueries({ queryKey: householdKeys.consents(householdId) }),
  });
}

/** react-query hooks for dynamic monitoring: alerts, a household's monitoring record, actions, visits, the overview. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type AlertAction, type AlertListParams, type VisitCreate } from '../app/api.js';

export const monitoringKeys = {
  alerts: (q: AlertListParams) => ['alerts', 'list', q] as const,
  household: (id: string) => ['monitoring', 'household', id] as const,
  overview: (region: string | undefined) => ['monitoring', 'overview', region ?? 'scope'] as const,
};

export function useAlerts(q: AlertListParams) {
  return useQuery({ queryKey: monitoringKeys.alerts(q), queryFn: ({ signal }) => api.alerts(q, signal), placeholderData: keepPreviousData });
}

export function useHouseholdMonitoring(id: string) {
  return useQuery({ queryKey: monitoringKeys.household(id), queryFn: ({ signal }) => api.householdMonitoring(id, signal) });
}

export function useOverview(region?: string) {
  return useQuery({ queryKey: monitoringKeys.overview(region), queryFn: ({ signal }) => api.monitoringOverview(region, signal) });
}

/** After any change: the household's record, the alert lists and the overview are stale. */
function useInvalidate(householdId: string) {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: monitoringKeys.household(householdId) }),
      qc.invalidateQueries({ queryKey: ['alerts'] }),
      qc.invalidateQueries({ queryKey: ['monitoring', 'overview'] }),
    ]);
}

export function useAlertAction(householdId: string, alertId: string) {
  const invalidate = useInvalidate(householdId);
  return useMutation({ mutationFn: (body: AlertAction) => api.alertAction(householdId, alertId, body), onSuccess: invalidate });
}

export function useRecordVisit(householdId: string) {
  const invalidate = useInvalidate(householdId);
  return useMutation({ mutationFn: (body: VisitCreate) => api.recordVisit(householdId, body), onSuccess: invalidate });
}

/** react-query hooks for department event feeds. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type FeedRequest } from '../app/api.js';

/**
 * Sends a feed. The rows hold ID numbers: they stay in this mutation's memory only (never logged,
 * never stored). An applied feed changes members and households, so their cached views are stale.
 */
export function useImportFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: FeedRequest) => api.importFeed(body),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['households'] }), qc.invalidateQueries({ queryKey: ['monitoring', 'household'] })]),
  });
}

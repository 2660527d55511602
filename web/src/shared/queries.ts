/** react-query hooks for households shared with the user's organisation. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api.js';

export const sharedKeys = {
  list: ['shared', 'list'] as const,
  detail: (id: string) => ['shared', 'detail', id] as const,
};

export function useSharedHouseholds() {
  return useQuery({ queryKey: sharedKeys.list, queryFn: ({ signal }) => api.sharedHouseholds(signal), select: (r) => r.items });
}

export function useSharedHousehold(id: string) {
  // Always ask again: a consent or agreement may have ended since the last answer.
  return useQuery({ queryKey: sharedKeys.detail(id), queryFn: ({ signal }) => api.sharedHousehold(id, signal), staleTime: 0 });
}

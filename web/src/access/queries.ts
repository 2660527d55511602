/** react-query hooks for accounts, organisations and agreements. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type AgreementCreate, type OrganisationCreate, type RoleAssign } from '../app/api.js';

export const accessKeys = {
  users: ['access', 'users'] as const,
  organisations: ['access', 'organisations'] as const,
  agreements: ['access', 'agreements'] as const,
};

export function useUsers() {
  return useQuery({ queryKey: accessKeys.users, queryFn: ({ signal }) => api.users(signal), select: (r) => r.items });
}

export function useOrganisations(enabled = true) {
  return useQuery({ queryKey: accessKeys.organisations, queryFn: ({ signal }) => api.organisations(signal), select: (r) => r.items, enabled });
}

export function useAgreements() {
  return useQuery({ queryKey: accessKeys.agreements, queryFn: ({ signal }) => api.agreements(signal), select: (r) => r.items });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { username: string; displayName: string }) => api.createUser(v.username, v.displayName),
    onSuccess: () => qc.invalidateQueries({ queryKey: accessKeys.users }),
    // The initial password is in the answer: do not keep it in the mutation cache any longer than needed.
    gcTime: 0,
  });
}

export function useSetUserDisabled() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; disabled: boolean }) => api.setUserDisabled(v.id, v.disabled),
    onSuccess: () => qc.invalidateQueries({ queryKey: accessKeys.users }),
  });
}

export function useAssignRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; body: RoleAssign }) => api.assignRole(v.id, v.body),
    onSuccess: () => qc.invalidateQueries({ queryKey: accessKeys.users }),
  });
}

export function useCreateOrganisation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: OrganisationCreate) => api.createOrganisation(v),
    onSuccess: () => qc.invalidateQueries({ queryKey: accessKeys.organisations }),
  });
}

export function useCreateAgreement() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: AgreementCreate) => api.createAgreement(v),
    onSuccess: () => qc.invalidateQueries({ queryKey: accessKeys.agreements }),
  });
}

export function useRevokeAgreement() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.revokeAgreement(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: accessKeys.agreements }),
  });
}

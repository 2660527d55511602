/** react-query hooks for the charity portal, the consortium view and the household's portrait and plan. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CandidateSchema, CharityProfileSchema, DeriveResultSchema, MatchingRunDetailSchema, MatchingRunSchema, NeedCreateSchema, NeedSchema, NeedUpdateSchema, PlanSchema, PlanUpdateSchema,
  ProjectCreateSchema, ProjectSchema, ProjectUpdateSchema, ReferralSchema,
} from '../../../src/contracts/index.js';
import { request } from '../app/api.js';

export type Project = z.infer<typeof ProjectSchema>;
export type ProjectCreate = z.input<typeof ProjectCreateSchema>;
export type ProjectUpdate = z.input<typeof ProjectUpdateSchema>;
export type Eligibility = Project['eligibility'];
export type Referral = z.infer<typeof ReferralSchema>;
export type Need = z.infer<typeof NeedSchema>;
export type MatchingRun = z.infer<typeof MatchingRunSchema>;
export type MatchingRunDetail = z.infer<typeof MatchingRunDetailSchema>;
export type Candidate = z.infer<typeof CandidateSchema>;
export type Plan = z.infer<typeof PlanSchema>;
export type PlanTask = Plan['tasks'][number];
export type PlanUpdate = z.infer<typeof PlanUpdateSchema>;
export type NeedCreate = z.infer<typeof NeedCreateSchema>;
export type NeedUpdate = z.infer<typeof NeedUpdateSchema>;
export type CharityProfile = z.infer<typeof CharityProfileSchema>;

const k = {
  profile: ['charity', 'profile'] as const,
  projects: ['charity', 'projects'] as const,
  referrals: ['charity', 'referrals'] as const,
  needs: ['charity', 'needs'] as const,
  runs: ['charity', 'runs'] as const,
  run: (id: string) => ['charity', 'runs', id] as const,
  candidates: (id: string) => ['charity', 'candidates', id] as const,
  plan: (hid: string) => ['charity', 'plan', hid] as const,
};

export const useCharityProfile = () => useQuery({ queryKey: k.profile, queryFn: ({ signal }) => request<CharityProfile>('GET', '/charity/profile', { signal }) });
export const useProjects = () => useQuery({ queryKey: k.projects, queryFn: ({ signal }) => request<{ items: Project[] }>('GET', '/charity/projects', { signal }), select: (r) => r.items });
export const useReferrals = () => useQuery({ queryKey: k.referrals, queryFn: ({ signal }) => request<{ items: Referral[] }>('GET', '/charity/referrals', { signal }), select: (r) => r.items });
export const useNeedsBoard = () => useQuery({ queryKey: k.needs, queryFn: ({ signal }) => request<{ items: Need[]; counts: Record<string, number> }>('GET', '/charity/needs', { signal }) });
export const useRuns = () => useQuery({ queryKey: k.runs, queryFn: ({ signal }) => request<{ items: MatchingRun[] }>('GET', '/charity/matching-runs', { signal }), select: (r) => r.items });
export const useRun = (id: string | null) => useQuery({ queryKey: k.run(id ?? ''), queryFn: ({ signal }) => request<MatchingRunDetail>('GET', `/charity/matching-runs/${id}`, { signal }), enabled: !!id });
export const useCandidates = (id: string | null) => useQuery({ queryKey: k.candidates(id ?? ''), queryFn: ({ signal }) => request<{ items: Candidate[] }>('GET', `/charity/projects/${id}/candidates`, { signal }), enabled: !!id, select: (r) => r.items });
export const usePlan = (hid: string) => useQuery({ queryKey: k.plan(hid), queryFn: ({ signal }) => request<Plan>('GET', `/households/${hid}/plan`, { signal }) });

function useInvalidating<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: ['charity'] }) });
}
/** A household's portrait and plan: the plan query holds both, so every write invalidates it (and the consortium's needs board). */
function useHouseholdMutation<V, R>(hid: string, fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    // After an error too: a 412 (changed by someone else) means what is shown is out of date.
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: k.plan(hid) }), qc.invalidateQueries({ queryKey: k.needs })]),
  });
}
export const useUpdateProject = () => useInvalidating((v: { id: string; body: ProjectUpdate }) => request<Project>('PATCH', `/charity/projects/${v.id}`, { body: v.body }));
export const useAddNeed = (hid: string) => useHouseholdMutation(hid, (body: NeedCreate) => request<Need>('POST', `/households/${hid}/needs`, { body }));
/** `version`: the need's version the edit was made on (If-Match; 412 when changed since). */
export const useUpdateNeed = (hid: string) => useHouseholdMutation(hid, (v: { needId: string; version: number; body: NeedUpdate }) => request<Need>('PATCH', `/households/${hid}/needs/${v.needId}`, { body: v.body, ifMatch: v.version }));
/** `version`: the plan version the edit was made on (If-Match, 0 before the first; 412 when changed since). */
export const useUpdatePlan = (hid: string) => useHouseholdMutation(hid, (v: { version: number; body: PlanUpdate }) => request<Plan>('PUT', `/households/${hid}/plan`, { body: v.body, ifMatch: v.version }));
export const useCreateProject = () => useInvalidating((body: ProjectCreate) => request<Project>('POST', '/charity/projects', { body }));
export const useProjectAction = () => useInvalidating((v: { id: string; type: string; reason?: string }) => request<Project>('POST', `/charity/projects/${v.id}/actions`, { body: { type: v.type, ...(v.reason && { reason: v.reason }) } }));
export const useDecide = () => useInvalidating((v: { id: string; decision: 'accept' | 'decline'; reason: string }) => request<Referral>('POST', `/charity/referrals/${v.id}/decision`, { body: { decision: v.decision, reason: v.reason } }));
export const useDeliver = () => useInvalidating((v: { id: string; deliveredOn: string; amountFen: number; items: string; volunteerHours: number }) => request<Referral>('POST', `/charity/referrals/${v.id}/delivery`, { body: { deliveredOn: v.deliveredOn, amountFen: v.amountFen, items: v.items, volunteerHours: v.volunteerHours } }));
export const useDeriveCounty = () => useInvalidating(() => request<z.infer<typeof DeriveResultSchema>>('POST', '/charity/needs/derive', { body: {} }));
export const useRunMatching = () => useInvalidating(() => request<MatchingRunDetail>('POST', '/charity/matching-runs', { body: {} }));
export const useDeriveHousehold = () => useInvalidating((hid: string) => request<{ items: Need[] }>('POST', `/households/${hid}/needs/derive`, { body: {} }));

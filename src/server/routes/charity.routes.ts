/** Charity projects, household needs (portrait), matching runs, referrals and the household plan. */
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ErrorResponseSchema, UuidSchema } from '../../contracts/common.js';
import {
  CandidateSchema, CharityProfileSchema, CharityProfileUpdateSchema, DeliverySchema, DeriveResultSchema, MatchingRunCreateSchema, MatchingRunDetailSchema, MatchingRunSchema,
  NeedBoardQuerySchema, NeedCreateSchema, NeedSchema, NeedUpdateSchema, PlanSchema, PlanUpdateSchema, PROJECT_STATUSES, ProjectActionSchema, ProjectCreateSchema, ProjectSchema,
  ProjectUpdateSchema, REFERRAL_STATUSES, ReferralDecisionSchema, ReferralSchema,
} from '../../contracts/charity.js';
import type { AppContext } from '../../app/context.js';
import { actOnProject, charityProfile, createProject, getProject, listProjects, projectCandidates, updateCharityProfile, updateProject } from '../../app/charity/projects.js';
import { addNeed, deriveCountyNeeds, deriveHouseholdNeeds, listHouseholdNeeds, needsBoard, updateNeed } from '../../app/charity/needs.js';
import { getRun, listRuns, runMatching } from '../../app/charity/matching.js';
import { decideReferral, listReferrals, recordDelivery } from '../../app/charity/referrals.js';
import { getPlan, updatePlan } from '../../app/charity/plan.js';
import { actorOf } from '../auth.js';
import { ifMatchVersion, IfMatchHeadersSchema, withEtag } from '../etag.js';

const IdParams = z.object({ id: UuidSchema });
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema };
const tags = ['charity'];
const C = '/charity';

export function charityRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    // Organisations as charities.
    app.get(`${C}/profile`, {
      config: { auth: 'charity.manage' },
      schema: { tags, summary: 'Your organisation’s charity profile', response: { 200: CharityProfileSchema, ...errors } },
    }, (req) => charityProfile(ctx, actorOf(req)));
    app.put('/organisations/:id/charity', {
      config: { auth: 'access.manage' },
      schema: { tags, summary: 'Record an organisation’s charity kind, recognition and regions served', params: IdParams, body: CharityProfileUpdateSchema, response: { 200: CharityProfileSchema, ...errors } },
    }, (req) => updateCharityProfile(ctx, actorOf(req), req.params.id, req.body));

    // Projects.
    app.get(`${C}/projects`, {
      // Charity staff see their organisation's projects; a consortium coordinator those reaching the county.
      config: { auth: 'session' },
      schema: { tags, summary: 'Charity projects you may see', querystring: z.object({ status: z.enum(PROJECT_STATUSES).optional() }), response: { 200: z.object({ items: z.array(ProjectSchema) }), ...errors } },
    }, async (req) => ({ items: await listProjects(ctx, actorOf(req), req.query.status) }));
    app.post(`${C}/projects`, {
      config: { auth: 'charity.manage' },
      schema: { tags, summary: 'Create a project (draft) for your organisation', body: ProjectCreateSchema, response: { 201: ProjectSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await createProject(ctx, actorOf(req), req.body)));
    app.get(`${C}/projects/:id`, {
      config: { auth: 'session' },
      schema: { tags, summary: 'One project', params: IdParams, response: { 200: ProjectSchema, ...errors } },
    }, (req) => getProject(ctx, actorOf(req), req.params.id));
    app.patch(`${C}/projects/:id`, {
      config: { auth: 'charity.manage' },
      schema: { tags, summary: 'Edit a draft project', params: IdParams, body: ProjectUpdateSchema, response: { 200: ProjectSchema, ...errors } },
    }, (req) => updateProject(ctx, actorOf(req), req.params.id, req.body));
    app.post(`${C}/projects/:id/actions`, {
      config: { auth: 'session' },
      schema: { tags, summary: 'Lifecycle: submit, publish, close (charity); approve, return with a reason (county consortium)', params: IdParams, body: ProjectActionSchema, response: { 200: ProjectSchema, ...errors } },
    }, (req) => actOnProject(ctx, actorOf(req), req.params.id, req.body));
    app.get(`${C}/projects/:id/candidates`, {
      config: { auth: 'charity.coordinate' },
      schema: { tags, summary: 'Push a published project: the county’s open needs it could serve, eligible or not, with reasons', params: IdParams, response: { 200: z.object({ items: z.array(CandidateSchema) }), ...errors } },
    }, async (req) => ({ items: await projectCandidates(ctx, actorOf(req), req.params.id) }));

    // Needs (the household portrait).
    app.get(`${C}/needs`, {
      config: { auth: 'charity.coordinate' },
      schema: { tags, summary: 'The county’s needs board', querystring: NeedBoardQuerySchema, response: { 200: z.object({ items: z.array(NeedSchema), counts: z.record(z.string(), z.number()) }), ...errors } },
    }, (req) => needsBoard(ctx, actorOf(req), req.query));
    app.post(`${C}/needs/derive`, {
      config: { auth: 'charity.coordinate' },
      schema: { tags, summary: 'Re-derive the needs of every household in your county (worker-made needs and statuses kept)', response: { 200: DeriveResultSchema, ...errors } },
    }, (req) => deriveCountyNeeds(ctx, actorOf(req)));
    app.get('/households/:id/needs', {
      config: { auth: 'household.read' },
      schema: { tags, summary: 'A household’s needs (portrait) with severity, evidence and status', params: IdParams, response: { 200: z.object({ items: z.array(NeedSchema) }), ...errors } },
    }, async (req) => ({ items: await listHouseholdNeeds(ctx, actorOf(req), req.params.id) }));
    app.post('/households/:id/needs/derive', {
      config: { auth: 'needs.write' },
      schema: { tags, summary: 'Re-derive a household’s needs from its data', params: IdParams, response: { 200: z.object({ items: z.array(NeedSchema) }), ...errors } },
    }, async (req) => ({ items: await deriveHouseholdNeeds(ctx, actorOf(req), req.params.id) }));
    app.post('/households/:id/needs', {
      config: { auth: 'needs.write' },
      schema: { tags, summary: 'Add a need (a worker’s finding)', params: IdParams, body: NeedCreateSchema, response: { 201: NeedSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await addNeed(ctx, actorOf(req), req.params.id, req.body)));
    app.patch('/households/:id/needs/:needId', {
      config: { auth: 'needs.write' },
      schema: {
        tags, summary: 'Change a need’s severity, or close or reopen it, with a reason (If-Match: the need’s version you read; 412 if it changed since)',
        params: IdParams.extend({ needId: UuidSchema }), headers: IfMatchHeadersSchema, body: NeedUpdateSchema, response: { 200: NeedSchema, ...errors, 412: ErrorResponseSchema },
      },
    }, async (req, reply) => withEtag(reply, await updateNeed(ctx, actorOf(req), req.params.id, req.params.needId, req.body, ifMatchVersion(req.headers['if-match']))));

    // Matching runs.
    app.post(`${C}/matching-runs`, {
      config: { auth: 'charity.coordinate' },
      schema: { tags, summary: 'Run the matching for your county: the exact optimum, first come first served for comparison, an explanation per need', body: MatchingRunCreateSchema, response: { 201: MatchingRunDetailSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await runMatching(ctx, actorOf(req), req.body)));
    app.get(`${C}/matching-runs`, {
      config: { auth: 'charity.coordinate' },
      schema: { tags, summary: 'Matching runs of your county', response: { 200: z.object({ items: z.array(MatchingRunSchema) }), ...errors } },
    }, async (req) => ({ items: await listRuns(ctx, actorOf(req)) }));
    app.get(`${C}/matching-runs/:id`, {
      config: { auth: 'charity.coordinate' },
      schema: { tags, summary: 'One run with every need’s result and explanation', params: IdParams, response: { 200: MatchingRunDetailSchema, ...errors } },
    }, (req) => getRun(ctx, actorOf(req), req.params.id));

    // Referrals.
    app.get(`${C}/referrals`, {
      config: { auth: 'session' },
      schema: { tags, summary: 'Referrals: to your organisation (charity staff, households masked by agreement and consent) or in your county (coordinator)', querystring: z.object({ status: z.enum(REFERRAL_STATUSES).optional() }), response: { 200: z.object({ items: z.array(ReferralSchema) }), ...errors } },
    }, async (req) => ({ items: await listReferrals(ctx, actorOf(req), req.query.status) }));
    app.post(`${C}/referrals/:id/decision`, {
      config: { auth: 'charity.manage' },
      schema: { tags, summary: 'Accept or decline a referral, with a reason', params: IdParams, body: ReferralDecisionSchema, response: { 200: ReferralSchema, ...errors } },
    }, (req) => decideReferral(ctx, actorOf(req), req.params.id, req.body));
    app.post(`${C}/referrals/:id/delivery`, {
      config: { auth: 'charity.manage' },
      schema: { tags, summary: 'Record the delivery (date, amount in fen, items, volunteer hours); the need is met', params: IdParams, body: DeliverySchema, response: { 200: ReferralSchema, ...errors } },
    }, (req) => recordDelivery(ctx, actorOf(req), req.params.id, req.body));

    // One plan per household.
    app.get('/households/:id/plan', {
      config: { auth: 'household.read' },
      schema: { tags, summary: 'The household’s plan (一户一策): entitlements, department tasks, charity referrals, needs, versions; its version is the ETag', params: IdParams, response: { 200: PlanSchema, ...errors } },
    }, async (req, reply) => withEtag(reply, await getPlan(ctx, actorOf(req), req.params.id)));
    app.put('/households/:id/plan', {
      config: { auth: 'needs.write' },
      schema: {
        tags, summary: 'Change the plan’s owner, review date or department tasks (a new version; If-Match: the version you read, "0" before the first; 412 if it changed since)',
        params: IdParams, headers: IfMatchHeadersSchema, body: PlanUpdateSchema, response: { 200: PlanSchema, ...errors, 412: ErrorResponseSchema },
      },
    }, async (req, reply) => withEtag(reply, await updatePlan(ctx, actorOf(req), req.params.id, req.body, ifMatchVersion(req.headers['if-match']))));
    done();
  };
}

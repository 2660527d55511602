/** /api/v1/households: the registry and the means test over HTTP. */
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  AssetInputSchema, ClassificationHistorySchema, ClassificationSchema, ClassifyRequestSchema, EmergencyInputSchema,
  ExpenditureInputSchema, HouseholdCreateSchema, HouseholdListQuerySchema, HouseholdListSchema, HouseholdPatchSchema,
  HouseholdSchema, IncomeInputSchema, MemberInputSchema, MemberPatchSchema, MemberSchema,
} from '../../contracts/households.js';
import { ErrorResponseSchema, UuidSchema } from '../../contracts/common.js';
import { RevealRequestSchema, RevealResponseSchema } from '../../contracts/security.js';
import type { AppContext } from '../../app/context.js';
import {
  addMember, addRecord, createHousehold, getHousehold, listHouseholds, revealHousehold, updateHousehold, updateMember, type RecordInput,
} from '../../app/households/households.js';
import { classificationHistory, classifyHousehold } from '../../app/classification/classify-household.js';
import { actorOf } from '../auth.js';
import { ifMatchVersion, IfMatchHeadersSchema, withEtag } from '../etag.js';

const IdParams = z.object({ id: UuidSchema });
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema };
/** Writes that take If-Match may also answer 412 (changed since read) and 409 (created at the same time). */
const writeErrors = { ...errors, 409: ErrorResponseSchema, 412: ErrorResponseSchema };
const tags = ['households'];

export function householdRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    app.get('/households', {
      config: { auth: 'household.read' },
      schema: { tags, summary: 'List households in your area with their current classification (masked)', querystring: HouseholdListQuerySchema, response: { 200: HouseholdListSchema, ...errors } },
    }, (req) => listHouseholds(ctx, actorOf(req), req.query));

    app.post('/households', {
      config: { auth: 'household.write' },
      schema: { tags, summary: 'Register a household with its members', body: HouseholdCreateSchema, response: { 201: HouseholdSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(withEtag(reply, await createHousehold(ctx, actorOf(req), req.body))));

    app.get('/households/:id', {
      config: { auth: 'household.read' },
      schema: { tags, summary: 'A household with members, records and latest classification (masked); its version is the ETag', params: IdParams, response: { 200: HouseholdSchema, ...errors } },
    }, async (req, reply) => withEtag(reply, await getHousehold(ctx, actorOf(req), req.params.id)));

    app.patch('/households/:id', {
      config: { auth: 'household.write' },
      schema: { tags, summary: 'Update a household (If-Match: the version you read; 412 if it changed since)', params: IdParams, headers: IfMatchHeadersSchema, body: HouseholdPatchSchema, response: { 200: HouseholdSchema, ...writeErrors } },
    }, async (req, reply) => withEtag(reply, await updateHousehold(ctx, actorOf(req), req.params.id, req.body, ifMatchVersion(req.headers['if-match']))));

    app.post('/households/:id/reveal', {
      config: { auth: 'household.unmask' },
      schema: { tags, summary: 'Full names, ID numbers and phones, for a stated reason (audited)', params: IdParams, body: RevealRequestSchema, response: { 200: RevealResponseSchema, ...errors } },
    }, (req) => revealHousehold(ctx, actorOf(req), req.params.id, req.body));

    app.post('/households/:id/members', {
      config: { auth: 'household.write' },
      schema: { tags, summary: 'Add a member (If-Match: the household version you read; 412 if it changed since)', params: IdParams, headers: IfMatchHeadersSchema, body: MemberInputSchema, response: { 201: MemberSchema, ...writeErrors } },
    }, async (req, reply) => reply.status(201).send(await addMember(ctx, actorOf(req), req.params.id, req.body, ifMatchVersion(req.headers['if-match']))));

    app.patch('/households/:id/members/:memberId', {
      config: { auth: 'household.write' },
      schema: { tags, summary: 'Update a member (If-Match: the household version you read; 412 if it changed since)', params: IdParams.extend({ memberId: UuidSchema }), headers: IfMatchHeadersSchema, body: MemberPatchSchema, response: { 200: HouseholdSchema, ...writeErrors } },
    }, async (req, reply) => withEtag(reply, await updateMember(ctx, actorOf(req), req.params.id, req.params.memberId, req.body, ifMatchVersion(req.headers['if-match']))));

    const recordRoute = (path: string, kind: RecordInput['kind'], body: z.ZodType, summary: string): void => {
      app.post(`/households/:id/${path}`, {
        // Department liaisons add records (record.write); officers and workers too (household.write).
        config: { auth: 'session' },
        schema: { tags, summary, params: IdParams, body, response: { 201: z.object({ id: UuidSchema }), ...errors } },
      }, async (req, reply) => {
        const id = await addRecord(ctx, actorOf(req), req.params.id, { kind, data: req.body } as RecordInput);
        return reply.status(201).send({ id });
      });
    };
    recordRoute('incomes', 'income', IncomeInputSchema, 'Add an income record (with source department and period)');
    recordRoute('assets', 'asset', AssetInputSchema, 'Add an asset record');
    recordRoute('expenditures', 'expenditure', ExpenditureInputSchema, 'Add an expenditure record');
    recordRoute('emergencies', 'emergency', EmergencyInputSchema, 'Record an emergency (fire, accident, sudden illness …)');

    app.post('/households/:id/classify', {
      config: { auth: 'household.classify' },
      schema: { tags, summary: 'Classify the household now (or on asOf) and keep the result', params: IdParams, body: ClassifyRequestSchema.optional(), response: { 201: ClassificationSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await classifyHousehold(ctx, actorOf(req), req.params.id, req.body?.asOf)));

    app.get('/households/:id/classifications', {
      config: { auth: 'household.read' },
      schema: { tags, summary: 'Classification history, newest first, each with its trace', params: IdParams, response: { 200: ClassificationHistorySchema, ...errors } },
    }, async (req) => ({ items: await classificationHistory(ctx, actorOf(req), req.params.id) }));
    done();
  };
}

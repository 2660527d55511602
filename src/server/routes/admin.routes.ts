/** Accounts (system administrator), roles, organisations and agreements (security administrator), consent, sharing, audit. */
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ErrorResponseSchema, PageQuerySchema, UuidSchema } from '../../contracts/common.js';
import {
  AgreementCreateSchema, AgreementSchema, AuditListSchema, AuditVerifySchema, ConsentCreateSchema, ConsentSchema, ConsentWithdrawSchema,
  OrganisationCreateSchema, OrganisationSchema, RoleAssignSchema, SharedHouseholdSchema, UserCreatedSchema, UserCreateSchema, UserSchema,
} from '../../contracts/security.js';
import type { AppContext } from '../../app/context.js';
import { assignRole, createUser, listUsers, setUserDisabled } from '../../app/auth/users.js';
import {
  createAgreement, createOrganisation, getSharedHousehold, listAgreements, listConsents, listOrganisations, listSharedHouseholds,
  recordConsent, revokeAgreement, withdrawConsent,
} from '../../app/access/sharing.js';
import { listAudit, verifyAudit } from '../../app/audit/audit.js';
import { appendAuditAlone } from '../../app/audit/audit.js';
import { actorOf } from '../auth.js';

const IdParams = z.object({ id: UuidSchema });
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema };
const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);

export function adminRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    // Accounts.
    app.get('/users', {
      config: { auth: 'session' },
      schema: { tags: ['access'], summary: 'Accounts (system and security administrators)', response: { 200: z.object({ items: z.array(UserSchema) }), ...errors } },
    }, async (req) => ({ items: await listUsers(ctx, actorOf(req)) }));
    app.post('/users', {
      config: { auth: 'user.manage' },
      schema: { tags: ['access'], summary: 'Create an account (no role until the security administrator assigns one)', body: UserCreateSchema, response: { 201: UserCreatedSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await createUser(ctx, actorOf(req), req.body)));
    app.post('/users/:id/disable', {
      config: { auth: 'user.manage' },
      schema: { tags: ['access'], summary: 'Disable an account (its sessions end at once)', params: IdParams, response: { 200: UserSchema, ...errors } },
    }, (req) => setUserDisabled(ctx, actorOf(req), req.params.id, true));
    app.post('/users/:id/enable', {
      config: { auth: 'user.manage' },
      schema: { tags: ['access'], summary: 'Enable an account', params: IdParams, response: { 200: UserSchema, ...errors } },
    }, (req) => setUserDisabled(ctx, actorOf(req), req.params.id, false));
    app.put('/users/:id/role', {
      config: { auth: 'access.manage' },
      schema: { tags: ['access'], summary: 'Assign a role, scope and organisation', params: IdParams, body: RoleAssignSchema, response: { 200: UserSchema, ...errors } },
    }, (req) => assignRole(ctx, actorOf(req), req.params.id, req.body));

    // Organisations and data-sharing agreements.
    app.get('/organisations', {
      config: { auth: 'session' },
      schema: { tags: ['access'], summary: 'Organisations (charities, departments)', response: { 200: z.object({ items: z.array(OrganisationSchema) }), ...errors } },
    }, async () => ({ items: await listOrganisations(ctx) }));
    app.post('/organisations', {
      config: { auth: 'access.manage' },
      schema: { tags: ['access'], summary: 'Register an organisation (credit code validated)', body: OrganisationCreateSchema, response: { 201: OrganisationSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await createOrganisation(ctx, actorOf(req), req.body)));
    app.get('/agreements', {
      config: { auth: 'access.manage' },
      schema: { tags: ['access'], summary: 'Data-sharing agreements', response: { 200: z.object({ items: z.array(AgreementSchema) }), ...errors } },
    }, async (req) => ({ items: await listAgreements(ctx, actorOf(req)) }));
    app.post('/agreements', {
      config: { auth: 'access.manage' },
      schema: { tags: ['access'], summary: 'Create a data-sharing agreement', body: AgreementCreateSchema, response: { 201: AgreementSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await createAgreement(ctx, actorOf(req), req.body)));
    app.post('/agreements/:id/revoke', {
      config: { auth: 'access.manage' },
      schema: { tags: ['access'], summary: 'Revoke an agreement (effective on the next request)', params: IdParams, response: { 200: AgreementSchema, ...errors } },
    }, (req) => revokeAgreement(ctx, actorOf(req), req.params.id));

    // Consent.
    app.get('/households/:id/consents', {
      config: { auth: 'consent.write' },
      schema: { tags: ['access'], summary: 'Consent records of a household', params: IdParams, response: { 200: z.object({ items: z.array(ConsentSchema) }), ...errors } },
    }, async (req) => ({ items: await listConsents(ctx, actorOf(req), req.params.id) }));
    app.post('/households/:id/consents', {
      config: { auth: 'consent.write' },
      schema: { tags: ['access'], summary: 'Record a household’s consent to share with an organisation', params: IdParams, body: ConsentCreateSchema, response: { 201: ConsentSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await recordConsent(ctx, actorOf(req), req.params.id, req.body)));
    app.post('/households/:id/consents/:consentId/withdraw', {
      config: { auth: 'consent.write' },
      schema: { tags: ['access'], summary: 'Withdraw a consent (effective on the next request)', params: IdParams.extend({ consentId: UuidSchema }), body: ConsentWithdrawSchema, response: { 200: ConsentSchema, ...errors } },
    }, (req) => withdrawConsent(ctx, actorOf(req), req.params.id, req.params.consentId, req.body.withdrawnOn));

    // What receiving organisations see.
    app.get('/shared/households', {
      config: { auth: 'household.read_shared' },
      schema: { tags: ['sharing'], summary: 'Households shared with your organisation (agreement + consent), masked', response: { 200: z.object({ items: z.array(SharedHouseholdSchema) }), ...errors } },
    }, async (req) => ({ items: await listSharedHouseholds(ctx, actorOf(req)) }));
    app.get('/shared/households/:id', {
      config: { auth: 'household.read_shared' },
      schema: { tags: ['sharing'], summary: 'One shared household; 403 once the agreement or consent is no longer active', params: IdParams, response: { 200: SharedHouseholdSchema, ...errors } },
    }, (req) => getSharedHousehold(ctx, actorOf(req), req.params.id));

    // Audit trail.
    app.get('/audit', {
      config: { auth: 'audit.read' },
      schema: {
        tags: ['audit'], summary: 'The audit trail, newest first',
        querystring: PageQuerySchema.extend({ action: z.string().max(64).optional(), actorId: UuidSchema.optional(), objectId: z.string().max(64).optional() }),
        response: { 200: AuditListSchema, ...errors },
      },
    }, async (req) => {
      const actor = actorOf(req);
      const { items, total } = await listAudit(ctx.db, req.query);
      await appendAuditAlone(ctx.db, { actorId: actor.userId, role: actor.role, action: 'audit.read', objectType: 'audit', result: 'ok', requestId: actor.requestId });
      return {
        total,
        items: items.map((r) => ({
          seq: r.seq, at: iso(r.at), actorId: r.actor_id, role: r.role, action: r.action, objectType: r.object_type, objectId: r.object_id,
          purpose: r.purpose, result: r.result, requestId: r.request_id, hash: r.hash,
        })),
      };
    });
    app.post('/audit/verify', {
      config: { auth: 'audit.read' },
      schema: { tags: ['audit'], summary: 'Verify the hash chain of the whole trail', response: { 200: AuditVerifySchema, ...errors } },
    }, () => verifyAudit(ctx.db));
    done();
  };
}

/** The benefit ledger: import from a source system, a household's ledger, duplicate-assistance findings, the check and the auditor's resolution. */
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ErrorResponseSchema, UuidSchema } from '../../contracts/common.js';
import {
  FindingDetailSchema, FindingListQuerySchema, FindingListSchema, FindingResolutionSchema, FindingSchema, HouseholdLedgerSchema, LedgerCheckResultSchema, LedgerImportRequestSchema, LedgerImportResultSchema,
} from '../../contracts/ledger.js';
import type { AppContext } from '../../app/context.js';
import { importLedger, MAX_LEDGER_ROWS } from '../../app/ledger/import.js';
import { runLedgerCheck } from '../../app/ledger/check.js';
import { getFinding, householdLedger, listFindings, resolveFinding } from '../../app/ledger/findings.js';
import { actorOf } from '../auth.js';

const IdParams = z.object({ id: UuidSchema });
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema };
const tags = ['ledger'];

export function ledgerRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    app.post('/ledger/imports', {
      // Department liaisons send ledger files (record.write); officers and workers may too (household.write).
      config: { auth: 'session' },
      bodyLimit: 4 * 1_048_576,
      schema: {
        tags, summary: `Import ledger records (up to ${MAX_LEDGER_ROWS} rows): all rows are checked before any is written; each is linked to a registry member (exact ID number, then record linkage) or kept unlinked`,
        body: LedgerImportRequestSchema, response: { 201: LedgerImportResultSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(await importLedger(ctx, actorOf(req), req.body.source, req.body.rows)));

    app.get('/households/:id/ledger', {
      config: { auth: 'household.read' },
      schema: { tags, summary: 'A household’s benefit ledger (一户一条救助链): every receipt of help, newest first', params: IdParams, response: { 200: HouseholdLedgerSchema, ...errors } },
    }, (req) => householdLedger(ctx, actorOf(req), req.params.id));

    app.get('/ledger/findings', {
      config: { auth: 'finding.read' },
      schema: { tags, summary: 'Duplicate and multi-source assistance findings in your area: open first, then by amount', querystring: FindingListQuerySchema, response: { 200: FindingListSchema, ...errors } },
    }, (req) => listFindings(ctx, actorOf(req), req.query));

    app.get('/ledger/findings/:id', {
      config: { auth: 'finding.read' },
      schema: { tags, summary: 'One finding with its records side by side, masked, with the linkage explanation', params: IdParams, response: { 200: FindingDetailSchema, ...errors } },
    }, (req) => getFinding(ctx, actorOf(req), req.params.id));

    app.post('/ledger/findings/:id/resolution', {
      config: { auth: 'finding.resolve' },
      schema: {
        tags, summary: 'Confirm a finding (a recovery task: amount, responsible department) or judge it a false positive (with a reason that is remembered)',
        params: IdParams, body: FindingResolutionSchema, response: { 200: FindingSchema, ...errors },
      },
    }, (req) => resolveFinding(ctx, actorOf(req), req.params.id, req.body));

    app.post('/ledger/check', {
      config: { auth: 'finding.resolve' },
      schema: { tags, summary: 'Run the duplicate-assistance check over your area now (it also runs in the nightly cycle)', response: { 200: LedgerCheckResultSchema, ...errors } },
    }, (req) => runLedgerCheck(ctx, actorOf(req)));
    done();
  };
}

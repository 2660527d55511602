/** Dynamic monitoring: the alert inbox, alert actions and home visits under their household, risk history, overview. */
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ErrorResponseSchema, UuidSchema } from '../../contracts/common.js';
import {
  AlertActionSchema, AlertListQuerySchema, AlertListSchema, AlertSchema, FeedRequestSchema, FeedResultSchema, HouseholdMonitoringSchema, MonitoringOverviewSchema, VisitCreateSchema, VisitSchema,
} from '../../contracts/monitoring.js';
import type { AppContext } from '../../app/context.js';
import { actOnAlert, householdMonitoring, listAlerts, monitoringOverview, recordVisit } from '../../app/monitoring/alerts.js';
import { importEventFeed, MAX_FEED_ROWS } from '../../app/monitoring/feed.js';
import { actorOf } from '../auth.js';

const IdParams = z.object({ id: UuidSchema });
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema };
const tags = ['monitoring'];

export function monitoringRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    app.get('/alerts', {
      config: { auth: 'household.read' },
      schema: { tags, summary: 'Alerts in your area: overdue first, then by level and due date', querystring: AlertListQuerySchema, response: { 200: AlertListSchema, ...errors } },
    }, (req) => listAlerts(ctx, actorOf(req), req.query));

    app.post('/feeds/events', {
      // Department liaisons send feeds (record.write); officers and workers may too (household.write).
      config: { auth: 'session' },
      // A full feed (10,000 rows) is larger than the default body cap.
      bodyLimit: 4 * 1_048_576,
      schema: {
        tags, summary: `Import a department's event feed (up to ${MAX_FEED_ROWS} rows): all rows are checked before any is applied; a record id already sent is skipped`,
        body: FeedRequestSchema, response: { 201: FeedResultSchema, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(await importEventFeed(ctx, actorOf(req), req.body.source, req.body.rows)));

    app.get('/monitoring/overview', {
      config: { auth: 'household.read' },
      schema: {
        tags, summary: 'Open alerts by level and overdue per area, with the latest run’s indices',
        querystring: z.object({ region: z.string().regex(/^\d{2,12}$/).optional() }), response: { 200: MonitoringOverviewSchema, ...errors },
      },
    }, (req) => monitoringOverview(ctx, actorOf(req), req.query.region));

    app.get('/households/:id/monitoring', {
      config: { auth: 'household.read' },
      schema: { tags, summary: 'A household’s risk history, alerts with their events, and home visits', params: IdParams, response: { 200: HouseholdMonitoringSchema, ...errors } },
    }, (req) => householdMonitoring(ctx, actorOf(req), req.params.id));

    app.post('/households/:id/alerts/:alertId/actions', {
      config: { auth: 'household.write' },
      schema: {
        tags, summary: 'Assign, start a visit, resolve (with an outcome) or dismiss (with a reason) an alert',
        params: IdParams.extend({ alertId: UuidSchema }), body: AlertActionSchema, response: { 200: AlertSchema, ...errors },
      },
    }, (req) => actOnAlert(ctx, actorOf(req), req.params.id, req.params.alertId, req.body));

    app.post('/households/:id/visits', {
      config: { auth: 'household.write' },
      schema: { tags, summary: 'Record a home visit (findings checklist, notes); it feeds the next monitoring run', params: IdParams, body: VisitCreateSchema, response: { 201: VisitSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await recordVisit(ctx, actorOf(req), req.params.id, req.body)));
    done();
  };
}

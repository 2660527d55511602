/** Regions, statistics and policy parameters. */
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { CategoryCountsSchema } from '../../contracts/households.js';
import { ErrorResponseSchema, IsoDateSchema, RegionSchema } from '../../contracts/common.js';
import type { AppContext } from '../../app/context.js';
import { categoryCounts, listRegions } from '../../app/households/households.js';
import { AppError } from '../../app/errors.js';
import { parametersAt } from '../../core/policy/parameters.js';
import { actorOf } from '../auth.js';

const RegionQuery = z.object({ region: z.string().regex(/^\d{2,12}$/, 'must be a region code').optional() });

export function referenceRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    app.get('/regions', {
      config: { auth: 'session' },
      schema: { tags: ['reference'], summary: 'Child regions of a region (33 = Zhejiang)', querystring: z.object({ parent: z.string().regex(/^\d{2,9}$/).default('33') }), response: { 200: z.object({ items: z.array(RegionSchema) }), 400: ErrorResponseSchema } },
    }, (req) => ({ items: listRegions(ctx, req.query.parent) }));

    app.get('/stats/categories', {
      config: { auth: 'household.read' },
      schema: { tags: ['reference'], summary: 'Households by current category under a region', querystring: RegionQuery, response: { 200: CategoryCountsSchema } },
    }, (req) => categoryCounts(ctx, actorOf(req), req.query.region));

    app.get('/policy/parameters', {
      config: { auth: 'session' },
      schema: {
        tags: ['reference'],
        summary: 'The policy parameters in force in a region on a date, with where each value came from',
        querystring: z.object({ region: z.string().regex(/^\d{2,12}$/).default('33'), date: IsoDateSchema.optional() }),
        response: { 200: z.object({ version: z.string(), regionCode: z.string(), date: z.string(), values: z.record(z.string(), z.unknown()), sources: z.record(z.string(), z.object({ regionCode: z.string(), effectiveFrom: z.string() })) }), 400: ErrorResponseSchema },
      },
    }, (req) => {
      const date = req.query.date ?? ctx.today();
      if (!ctx.regions.get(req.query.region)) throw new AppError('VALIDATION_FAILED', 'region: unknown region code', 'region');
      try {
        return parametersAt(ctx.policy, req.query.region, date);
      } catch {
        throw new AppError('POLICY_NOT_IN_FORCE', `date: no policy parameters were in force on ${date}`, 'date');
      }
    });
    done();
  };
}

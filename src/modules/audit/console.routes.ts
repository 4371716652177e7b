import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { parseForm } from '../../core/http/forms.ts';
import type { AppServices } from '../../core/module.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { type AuditFilterInput, auditFilterSchema, FILTER_KEYS } from './schema.ts';
import { exportAudit, searchAudit } from './service.ts';
import { AuditPage } from './views/audit-page.tsx';
import { dayInZone } from '../../core/i18n/time.ts';

function filterQuery(data: AuditFilterInput): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (data[key] !== undefined) params.set(key, data[key]);
  return params.toString();
}

export function registerAuditRoutes(app: FastifyInstance, s: AppServices): void {
  // The filters are a GET form: parsed as one, so a bad date comes back with its message.
  const parse = (request: FastifyRequest) => parseForm(auditFilterSchema, request.query);

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/audit',
    access: 'audit.read',
    handler: async ({ ctx }, request, reply) => {
      const parsed = parse(request);
      if (!parsed.ok) return reply.page(h(AuditPage, { form: parsed, filterQuery: '', paged: false }), 422);
      const result = await searchAudit(ctx, parsed.data);
      const paged = parsed.data.before !== undefined || parsed.data.after !== undefined;
      return reply.page(h(AuditPage, { form: { values: parsed.values, errors: {} }, result, filterQuery: filterQuery(parsed.data), paged }));
    },
  });

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/audit.csv',
    access: 'audit.read',
    handler: async ({ ctx }, request, reply) => {
      const parsed = parse(request);
      if (!parsed.ok) return reply.page(h(AuditPage, { form: parsed, filterQuery: '', paged: false }), 422);
      const lines = await exportAudit(ctx, parsed.data);
      const day = dayInZone(ctx.clock.now(), request.settings.timeZone);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log-${day}.csv"`)
        .send(Readable.from(lines));
    },
  });
}

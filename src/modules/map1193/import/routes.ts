import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../../core/module.ts';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { listCategories } from '../rules/categories.service.ts';
import { importFormSchema } from './forms.ts';
import { MAX_IMPORT_BYTES, receiveImportForm } from './form.service.ts';
import { ImportPage } from './views/import-page.tsx';

/** The console upload for business imports. Registered where multipart parsing is in scope. */
export function registerImportRoutes(app: FastifyInstance, services: AppServices): void {
  const maxMb = MAX_IMPORT_BYTES / 1024 / 1024;

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/import',
    access: 'map.manage',
    handler: async ({ ctx }, _request, reply) => reply.page(h(ImportPage, { form: { values: { format: 'auto' }, errors: {} }, maxMb, categories: await listCategories(ctx) })),
  });

  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/import',
    access: 'map.manage',
    upload: { maxFiles: 1, maxFileBytes: MAX_IMPORT_BYTES },
    body: importFormSchema,
    handler: async ({ form, files, ctx }, _request, reply) => {
      const answer = await receiveImportForm(ctx, { form, files });
      const categories = await listCategories(ctx);
      return reply.page(h(ImportPage, { form: answer.form, maxMb, categories, ...(answer.report ? { report: answer.report } : {}) }), answer.report ? 200 : 422);
    },
  });
}

import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../core/module.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { settingsFormSchema, settingsFormValues, settingsNoticeQuery } from './schema.ts';
import { officeSettings, saveOfficeSettings } from './service.ts';
import { SettingsPage } from './views/settings-page.tsx';

export function registerSettingsRoutes(app: FastifyInstance, s: AppServices): void {
  const available = s.catalogs.locales;

  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/settings',
    access: 'settings.manage',
    query: settingsNoticeQuery,
    handler: async ({ query, ctx }, _request, reply) => {
      const settings = await officeSettings(ctx);
      return reply.page(h(SettingsPage, { form: { values: settingsFormValues(settings), errors: {} }, available, demo: settings.demo, notice: query.notice }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/settings',
    access: 'settings.manage',
    body: settingsFormSchema(available),
    handler: async ({ form, ctx }, _request, reply) => {
      if (!form.ok) {
        const { _csrf: _, ...values } = form.values;
        return reply.page(h(SettingsPage, { form: { values, errors: form.errors }, available, demo: (await officeSettings(ctx)).demo }), 422);
      }
      const changed = await saveOfficeSettings(ctx, form.data);
      return reply.redirect(`/console/settings?notice=${changed.length ? 'saved' : 'unchanged'}`, 303);
    },
  });
}

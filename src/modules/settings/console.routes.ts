import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { parseForm } from '../../core/http/forms.ts';
import type { AppServices } from '../../core/module.ts';
import { consoleRoute } from '../../core/auth/console-route.ts';
import { actorOf } from '../../core/auth/staff.ts';
import { settingsFormSchema, settingsFormValues } from './schema.ts';
import { saveOfficeSettings } from './service.ts';
import { SettingsPage } from './views/settings-page.tsx';

const NOTICES = ['saved', 'unchanged'] as const;

export function registerSettingsRoutes(app: FastifyInstance, s: AppServices): void {
  consoleRoute(app, s, {
    method: 'GET',
    url: '/console/settings',
    access: 'settings.manage',
    handler: async (_input, request, reply) => {
      const settings = await s.settings.get();
      const notice = NOTICES.find((n) => n === (request.query as Record<string, unknown>).notice);
      return reply.page(h(SettingsPage, { form: { values: settingsFormValues(settings), errors: {} }, available: s.catalogs.locales, demo: settings.demo, notice }));
    },
  });

  consoleRoute(app, s, {
    method: 'POST',
    url: '/console/settings',
    access: 'settings.manage',
    handler: async (_input, request, reply) => {
      const parsed = parseForm(settingsFormSchema(s.catalogs.locales), request.body);
      if (!parsed.ok) {
        const { _csrf: _, ...values } = parsed.values;
        return reply.page(h(SettingsPage, { form: { values, errors: parsed.errors }, available: s.catalogs.locales, demo: (await s.settings.get()).demo }), 422);
      }
      const changed = await saveOfficeSettings(s, actorOf(request.staff!.account), parsed.data);
      return reply.redirect(`/console/settings?notice=${changed.length ? 'saved' : 'unchanged'}`, 303);
    },
  });
}

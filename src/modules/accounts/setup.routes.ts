import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../core/module.ts';
import { publicRoute } from '../../core/http/site.ts';
import { AccountInputError } from './accounts.service.ts';
import { setupQuery, setupSchema } from './schema.ts';
import { completeSetup, setupTokenValid } from './setup.service.ts';
import { SetupDonePage, SetupPage } from './views/setup-pages.tsx';

/**
 * First-run setup at /setup?token=…, reachable only through the URL printed to the server log
 * while no administrator exists. Any other request to it is a plain 404.
 */
export function registerSetupRoutes(app: FastifyInstance, s: AppServices): void {
  const offered = s.catalogs.locales;
  // Passwords are never sent back into the form.
  const keep = (values: Record<string, string | string[]>) => ({ ...values, password: '', confirm: '' });

  publicRoute(app, s, {
    method: 'GET',
    url: '/setup',
    formToken: 'setup',
    query: setupQuery,
    handler: async ({ query: { token }, ctx }, request, reply) => {
      if (!(await setupTokenValid(ctx, token))) return reply.callNotFound();
      reply.header('cache-control', 'no-store');
      const settings = request.settings;
      const values = {
        officeName: '',
        county: '',
        state: settings.state,
        localTipPhone: '',
        languages: settings.languages,
        removeDemo: ['yes'],
        mapLat: String(settings.mapCenter.lat),
        mapLng: String(settings.mapCenter.lng),
        mapZoom: String(settings.mapCenter.zoom),
        noticeThirdLanguage: settings.noticeThirdLanguage,
      };
      return reply.page(h(SetupPage, { form: { values, errors: {} }, token, locales: offered }));
    },
  });

  publicRoute(app, s, {
    method: 'POST',
    url: '/setup',
    formToken: 'setup',
    query: setupQuery,
    body: setupSchema(offered),
    handler: async ({ query: { token }, form, ctx }, _request, reply) => {
      if (!(await setupTokenValid(ctx, token))) return reply.callNotFound();
      reply.header('cache-control', 'no-store');
      if (!form.ok) return reply.page(h(SetupPage, { form: { values: keep(form.values), errors: form.errors }, token, locales: offered }), 422);
      try {
        const done = await completeSetup(ctx, token, form.data);
        app.log.warn('first-run setup completed; the setup link no longer works');
        return reply.page(h(SetupDonePage, { recoveryKey: done.recoveryKey, fingerprint: done.fingerprint, officeName: form.data.officeName }));
      } catch (error) {
        if (error instanceof AccountInputError) {
          return reply.page(h(SetupPage, { form: { values: keep(form.values), errors: { [error.field]: { key: error.key } } }, token, locales: offered }), 422);
        }
        throw error;
      }
    },
  });
}

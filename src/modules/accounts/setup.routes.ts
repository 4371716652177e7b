import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AppServices } from '../../core/module.ts';
import { parseForm } from '../../core/http/forms.ts';
import { AccountInputError } from './accounts.service.ts';
import { setupSchema } from './schema.ts';
import { completeSetup, setupTokenValid } from './setup.service.ts';
import { SetupDonePage, SetupPage } from './views/setup-pages.tsx';

/**
 * First-run setup at /setup?token=…, reachable only through the URL printed to the server log
 * while no administrator exists. Any other request to it is a plain 404.
 */
export function registerSetupRoutes(app: FastifyInstance, s: AppServices): void {
  const offered = s.catalogs.locales;

  app.get('/setup', { config: { formToken: 'setup' } }, async (request, reply) => {
    const token = (request.query as Record<string, string>).token ?? '';
    if (!(await setupTokenValid(s, token))) return reply.callNotFound();
    reply.header('cache-control', 'no-store');
    const settings = request.settings;
    const values = { officeName: '', county: '', state: settings.state, localTipPhone: '', languages: settings.languages };
    return reply.page(h(SetupPage, { form: { values, errors: {} }, token, locales: offered }));
  });

  app.post('/setup', { config: { formToken: 'setup' } }, async (request, reply) => {
    const token = (request.query as Record<string, string>).token ?? '';
    if (!(await setupTokenValid(s, token))) return reply.callNotFound();
    reply.header('cache-control', 'no-store');
    const parsed = parseForm(setupSchema(offered), request.body);
    const keep = (values: Record<string, string | string[]>) => ({ ...values, password: '', confirm: '' });
    if (!parsed.ok) return reply.page(h(SetupPage, { form: { values: keep(parsed.values), errors: parsed.errors }, token, locales: offered }), 422);
    try {
      const done = await completeSetup(s, token, parsed.data);
      app.log.warn('first-run setup completed; the setup link no longer works');
      return reply.page(h(SetupDonePage, { recoveryKey: done.recoveryKey, fingerprint: done.fingerprint, officeName: parsed.data.officeName }));
    } catch (error) {
      if (error instanceof AccountInputError) {
        return reply.page(h(SetupPage, { form: { values: keep(parsed.values), errors: { [error.field]: { key: error.key } } }, token, locales: offered }), 422);
      }
      throw error;
    }
  });
}

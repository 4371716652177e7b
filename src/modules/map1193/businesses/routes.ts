import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { hmac } from '../../../core/crypto/server-secret.ts';
import { notFound } from '../../../core/http/errors.ts';
import { parseForm } from '../../../core/http/forms.ts';
import { limitKeyOf } from '../../../core/http/rate-limiter.ts';
import { type CachedPage, compressPageAsync, sendCachedPage } from '../../../core/http/cached-page.ts';
import { localizedRoute, pageContext } from '../../../core/http/site.ts';
import { renderDocument } from '../../../core/views/render.ts';
import { contextFor, PUBLIC } from '../../../core/context.ts';
import type { AppServices } from '../../../core/module.ts';
import { emptyForm, type FormState } from '../../../core/views/forms.tsx';
import { noticeText } from './notice-text.ts';
import { listCategories } from '../rules/categories.service.ts';
import { coverage } from '../rules/rules.ts';
import { checkQuerySchema, idParamsSchema, type ListQuery, listQuerySchema, noticeQuerySchema, reportFormSchema } from '../schema.ts';
import * as service from './service.ts';
import { rulesOn } from '../rules/service.ts';
import { receiveReportForm } from '../reports/report-form.service.ts';
import { BusinessPage, ThanksPage } from './views/business-page.tsx';
import { CheckPage } from './views/check-page.tsx';
import { MapPage } from './views/map-page.tsx';
import { NoticePage } from './views/notice-page.tsx';

export type MapRouteOptions = { services: AppServices; photoKey: Uint8Array };

/** Anonymous reports per client per hour; the key is an HMAC of the address, which is never stored. */
const REPORT_LIMIT = { count: 30, windowMs: 3600_000 };
/** Anonymous reports on one business per day, from everyone together: a few visitors, not a campaign. */
export const BUSINESS_REPORT_LIMIT = { count: 10, windowMs: 24 * 3600_000 };

/** The anonymous report form's name for the core's form tokens. */
const REPORT_FORM = 'map1193.report';

/** The business in the path; anything that could not be one of our ids is a 404, never a query. */
const businessId = (request: FastifyRequest) => {
  const parsed = idParamsSchema.safeParse(request.params);
  if (!parsed.success) throw notFound();
  return parsed.data.id;
};

export function registerMapRoutes(app: FastifyInstance, { services, photoKey }: MapRouteOptions): void {
  const { catalogs, config } = services;
  const ctx = contextFor(services, PUBLIC);

  // The unfiltered first page is the same for every visitor of a locale: kept rendered and
  // compressed, keyed by the businesses' and the settings' versions, so it costs no query.
  const defaultPages = new Map<string, Promise<CachedPage>>();
  const readyPages = new Map<string, CachedPage>();
  const pageKey = (request: FastifyRequest, version: number) => `${request.locale}|${services.settings.version}|${version}`;
  const DEFAULT_QUERY = listQuerySchema.parse({});
  const isDefault = (q: ListQuery) => !q.q && !q.category && !q.city && !q.status && q.page === 1;

  async function renderList(request: FastifyRequest, parsed: ListQuery) {
    const categories = await listCategories(ctx);
    // Each filter is read on its own: a category no one stored is dropped, not an empty list.
    const query = categories.some((c) => c.code === parsed.category) ? parsed : { ...parsed, category: undefined };
    const [result, cities] = await Promise.all([service.listBusinesses(ctx, query, query.page), service.snapshotCities(ctx)]);
    const { lat, lng, zoom } = request.settings.mapCenter;
    const map = { tileUrl: config.tileUrl, attribution: config.tileAttribution, lat, lng, zoom };
    return h(MapPage, { query, result, cities, categories, map });
  }

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193',
    handler: async (request, reply) => {
      // Most visits have no query string: they skip parsing one.
      const query = request.url.includes('?') ? listQuerySchema.parse(request.query ?? {}) : DEFAULT_QUERY;
      if (!isDefault(query)) return reply.page(await renderList(request, query));
      const fresh = service.freshVersion(ctx);
      const ready = fresh === undefined ? undefined : readyPages.get(pageKey(request, fresh));
      if (ready) return sendCachedPage(request, reply, ready);
      const key = pageKey(request, await service.businessesVersion(ctx));
      let page = defaultPages.get(key);
      if (page === undefined) {
        // Older versions are never asked for again.
        if (defaultPages.size >= 20) {
          defaultPages.clear();
          readyPages.clear();
        }
        page = renderList(request, query).then((element) => compressPageAsync(renderDocument(element, pageContext(request, services.site))));
        defaultPages.set(key, page);
        page.then((done) => readyPages.set(key, done), () => defaultPages.delete(key));
      }
      return sendCachedPage(request, reply, await page);
    },
  });

  async function renderBusiness(id: string, form: FormState, reportId: string) {
    const [{ business, history, rule, law, community }, categories] = await Promise.all([service.businessPage(ctx, id), listCategories(ctx)]);
    return h(BusinessPage, { business, history, rule, law, community, categories, form, reportId });
  }

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193/businesses/:id',
    formToken: REPORT_FORM,
    handler: async (request, reply) => reply.page(await renderBusiness(businessId(request), emptyForm, randomUUID())),
  });

  localizedRoute(app, services, {
    method: 'POST',
    path: '/map1193/businesses/:id/report',
    // A note may quote a person: a failure is logged without the values the database refused.
    confidential: true,
    formToken: REPORT_FORM,
    formTokenFailure: 'handle',
    params: idParamsSchema,
    upload: { maxFiles: 1 },
    body: reportFormSchema,
    handler: async ({ params, form, files }, request, reply) => {
      // An IPv6 client is limited by its /64: one device can hold any number of its addresses.
      const limit = { key: hmac(services.secret, 'map1193.report', limitKeyOf(request.ip)), ...REPORT_LIMIT };
      const businessLimit = { key: `map1193.report-business:${params.id}`, ...BUSINESS_REPORT_LIMIT };
      const answer = await receiveReportForm(ctx, { businessId: params.id, form, files, photoKey, limit, businessLimit, stale: !request.formTokenValid, reporter: { channel: 'public' } });
      if (!answer.ok) {
        if (answer.retryAfter) reply.header('retry-after', String(answer.retryAfter));
        return reply.page(await renderBusiness(params.id, answer.form, answer.reportId), answer.status);
      }
      // 200, not a redirect: the outcome code must never travel in a URL, and it is shown only here.
      const { business } = await service.businessPage(ctx, answer.businessId);
      return reply.page(h(ThanksPage, { business, code: answer.code }));
    },
  });

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193/businesses/:id/thanks',
    handler: async (request, reply) => {
      const { business } = await service.businessPage(ctx, businessId(request));
      return reply.page(h(ThanksPage, { business }));
    },
  });

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193/check',
    handler: async (request, reply) => {
      // The questions are a GET form: its answers are read like a posted form's, messages and all.
      const parsed = parseForm(checkQuerySchema, request.query);
      const categories = await listCategories(ctx);
      if (parsed.values.category === undefined) return reply.page(h(CheckPage, { step: 'category', form: emptyForm, categories }));
      const category = parsed.values.category;
      if (typeof category !== 'string' || (!parsed.ok && parsed.errors.category) || !categories.some((c) => c.code === category)) {
        const errors = { ...(parsed.ok ? {} : parsed.errors), category: { key: 'map.check.errors.chooseCategory' } };
        return reply.page(h(CheckPage, { step: 'category', form: { values: parsed.values, errors }, categories }), 422);
      }
      const rules = await rulesOn(ctx, ctx.clock.now());
      if (!parsed.ok) {
        const exception = rules.categories.get(category)?.exception ?? 'certified_practitioners';
        return reply.page(h(CheckPage, { step: 'question', form: parsed, category, exception, categories }), 422);
      }
      const { answer } = parsed.data;
      const exception = rules.categories.get(category)?.exception;
      if (exception && !answer) return reply.page(h(CheckPage, { step: 'question', form: emptyForm, category, exception, categories }));
      // Bars are covered when they hold the license; massage businesses are exempt when every practitioner is certified.
      const exceptionApplies = exception === 'on_sale_general' ? answer === 'no' : answer === 'yes';
      return reply.page(h(CheckPage, { step: 'result', category, result: coverage(rules, category, exceptionApplies), law: rules, categories }));
    },
  });

  localizedRoute(app, catalogs, {
    method: 'GET',
    path: '/map1193/notice',
    handler: async (request, reply) => {
      const { lang, paper } = noticeQuerySchema.parse(request.query ?? {});
      const rules = await rulesOn(ctx, ctx.clock.now());
      if (!rules.notice) throw notFound();
      const since = rules.notice.since;
      const thirdLanguage = request.settings.noticeThirdLanguage || 'Chinese';
      const third = noticeText(thirdLanguage, since);
      const all = [noticeText('English', since)!, noticeText('Spanish', since)!, ...(third ? [third] : [])];
      const sheets = lang === 'all' ? all : lang === 'en' ? [all[0]!] : lang === 'es' ? [all[1]!] : third ? [third] : [];
      return reply.page(h(NoticePage, { rule: rules.notice, lang, paper, sheets, thirdLanguage, thirdAvailable: Boolean(third) }));
    },
  });
}

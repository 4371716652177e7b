import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { FormErrors, FormValues } from '../../../core/http/forms.ts';
import type { FormState } from '../../../core/views/forms.tsx';
import type { AppServices } from '../../../core/module.ts';
import { consoleRoute } from '../../../core/auth/console-route.ts';
import { notFound } from '../../../core/http/errors.ts';
import { categoryRuleFormSchema, newCategoryFormSchema, noticeRuleFormSchema, penaltyRuleFormSchema } from './forms.ts';
import { categoryName } from './categories.ts';
import { addCategory, CategoryExistsError, listCategories } from './categories.service.ts';
import { type Category, lawDay } from './rules.ts';
import { categoryParamsSchema, rulesDoneQuerySchema } from '../schema.ts';
import { allRuleVersions, amendRule, endRule, latestRule, RuleOrderError, rulesOn } from './service.ts';
import type { RuleRow } from '../tables.ts';
import { NewCategoryPage } from './views/new-category-page.tsx';
import { CategoryRulePage, NoticeRulePage, PenaltyRulePage } from './views/rule-form-page.tsx';
import { RulesPage } from './views/rules-page.tsx';

type RuleKind = 'notice' | 'penalty';
const RULE_FORMS = { notice: noticeRuleFormSchema, penalty: penaltyRuleFormSchema } as const;
const RULE_PAGES = { notice: NoticeRulePage, penalty: PenaltyRulePage } as const;

/** A stored version's values as the form's text fields, so an amendment starts from what is in force. */
function valuesOf(row: RuleRow | undefined): FormValues {
  if (!row) return {};
  const values: FormValues = {};
  for (const [key, value] of Object.entries(JSON.parse(row.value) as Record<string, unknown>)) {
    if (Array.isArray(value)) values[key] = value.join(', ');
    else if (value === null) values[key] = key === 'exception' ? 'none' : '';
    else values[key] = String(value);
  }
  return values;
}

/** The new version's value from a parsed form: what `ruleValueSchemas` checks and stores. */
function ruleValue(kind: RuleKind, data: Record<string, unknown>): unknown {
  const { effectiveFrom: _from, bill: _bill, ...value } = data;
  if (kind === 'notice') return { ...value, textLine: value.textLine ?? null };
  return value;
}

/** The administrators' pages for the law as data: every version, and amendments from a given day. */
export function registerRuleRoutes(app: FastifyInstance, services: AppServices): void {
  const orderError = (error: unknown): FormErrors | undefined =>
    error instanceof RuleOrderError ? { effectiveFrom: { key: error.messageKey, params: error.params } } : undefined;

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/rules',
    access: 'map.rules',
    query: rulesDoneQuerySchema,
    handler: async ({ query, ctx }, request, reply) => {
      const [rows, categories] = await Promise.all([allRuleVersions(ctx), listCategories(ctx)]);
      const done = query.done === '1' ? 'amended' : query.done === 'added' ? 'added' : undefined;
      return reply.page(h(RulesPage, { rows, categories, today: lawDay(ctx.clock.now(), request.settings.timeZone), done }));
    },
  });

  const newCategoryForm = newCategoryFormSchema(services.catalogs.locales);
  const newCategoryPage = (form: FormState) => h(NewCategoryPage, { form, locales: services.catalogs.locales });
  const byLocale = (data: Record<string, string | undefined>, prefix: string) =>
    Object.fromEntries(services.catalogs.locales.flatMap((l) => (data[`${prefix}_${l}`] ? [[l, data[`${prefix}_${l}`]!]] : [])));

  // Registered before `categories/:code`, which would otherwise read "new" as a code.
  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/rules/categories/new',
    access: 'map.rules',
    handler: async (_input, request, reply) => reply.page(newCategoryPage({ values: { effectiveFrom: lawDay(services.clock.now(), request.settings.timeZone) }, errors: {} })),
  });

  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/rules/categories/new',
    access: 'map.rules',
    body: newCategoryForm,
    handler: async ({ form: parsed, ctx }, _request, reply) => {
      if (!parsed.ok) return reply.page(newCategoryPage({ values: parsed.values, errors: parsed.errors }), 422);
      const data = parsed.data as Record<string, string | undefined>;
      try {
        await addCategory(ctx, {
          code: parsed.data.code,
          names: byLocale(data, 'name'),
          descriptions: byLocale(data, 'description'),
          bill: parsed.data.bill,
          effectiveFrom: parsed.data.effectiveFrom,
        });
      } catch (error) {
        if (!(error instanceof CategoryExistsError)) throw error;
        return reply.page(newCategoryPage({ values: parsed.values, errors: { code: { key: error.messageKey, params: error.params } } }), 422);
      }
      return reply.redirect('/console/map1193/rules?done=added', 303);
    },
  });

  for (const kind of ['notice', 'penalty'] as const) {
    const url = `/console/map1193/rules/${kind}`;
    const page = (form: FormState, current: RuleRow | undefined) => h(RULE_PAGES[kind], { form, current });

    consoleRoute(app, services, {
      method: 'GET',
      url,
      access: 'map.rules',
      handler: async ({ ctx }, _request, reply) => {
        const current = await latestRule(ctx, kind, kind);
        return reply.page(page({ values: valuesOf(current), errors: {} }, current));
      },
    });

    consoleRoute(app, services, {
      method: 'POST',
      url,
      access: 'map.rules',
      body: RULE_FORMS[kind],
      handler: async ({ form: parsed, ctx }, _request, reply) => {
        const again = async (errors: FormErrors) => reply.page(page({ values: parsed.values, errors }, await latestRule(ctx, kind, kind)), 422);
        if (!parsed.ok) return again(parsed.errors);
        try {
          await amendRule(ctx, { kind, subject: kind, effectiveFrom: parsed.data.effectiveFrom, bill: parsed.data.bill, value: ruleValue(kind, parsed.data) });
        } catch (error) {
          const errors = orderError(error);
          if (!errors) throw error;
          return again(errors);
        }
        return reply.redirect('/console/map1193/rules?done=1', 303);
      },
    });
  }

  /** The category's name in the staff member's language, or a 404 for a code no category has. */
  const nameOf = async (ctx: Parameters<typeof listCategories>[0], code: Category, locale: string) => {
    const categories = await listCategories(ctx);
    if (!categories.some((c) => c.code === code)) throw notFound();
    return categoryName(categories, code, locale);
  };
  const categoryPage = (code: Category, name: string, form: FormState, current: RuleRow | undefined) => h(CategoryRulePage, { code, name, form, current });

  consoleRoute(app, services, {
    method: 'GET',
    url: '/console/map1193/rules/categories/:code',
    access: 'map.rules',
    params: categoryParamsSchema,
    handler: async ({ params: { code }, ctx }, request, reply) => {
      const name = await nameOf(ctx, code, request.locale);
      const current = await latestRule(ctx, 'category', code);
      const covered = (await rulesOn(ctx, ctx.clock.now())).categories.has(code) ? 'yes' : 'no';
      return reply.page(categoryPage(code, name, { values: { ...valuesOf(current), covered }, errors: {} }, current));
    },
  });

  consoleRoute(app, services, {
    method: 'POST',
    url: '/console/map1193/rules/categories/:code',
    access: 'map.rules',
    params: categoryParamsSchema,
    body: categoryRuleFormSchema,
    handler: async ({ params: { code }, form: parsed, ctx }, request, reply) => {
      const name = await nameOf(ctx, code, request.locale);
      const again = async (errors: FormErrors) => reply.page(categoryPage(code, name, { values: parsed.values, errors }, await latestRule(ctx, 'category', code)), 422);
      if (!parsed.ok) return again(parsed.errors);
      const { effectiveFrom, bill, covered, exception } = parsed.data;
      try {
        if (covered === 'yes') {
          await amendRule(ctx, { kind: 'category', subject: code, effectiveFrom, bill, value: { exception: exception === 'none' ? null : exception } });
        } else if (!(await endRule(ctx, { kind: 'category', subject: code, effectiveTo: effectiveFrom, bill }))) {
          return again({ covered: { key: 'map.rules.errors.notInForce' } });
        }
      } catch (error) {
        const errors = orderError(error);
        if (!errors) throw error;
        return again(errors);
      }
      return reply.redirect('/console/map1193/rules?done=1', 303);
    },
  });
}

import fs from 'node:fs';
import path from 'node:path';

export type Messages = ReadonlyMap<string, string>;
export type Params = Record<string, string | number>;
export type Translate = (key: string, params?: Params) => string;

export type Catalogs = {
  locales: readonly string[];
  defaultLocale: string;
  messages: ReadonlyMap<string, Messages>;
};

function flatten(prefix: string, value: unknown, into: Map<string, string>, file: string): void {
  if (typeof value === 'string') {
    into.set(prefix, value);
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, into, file);
    return;
  }
  throw new Error(`${file}: ${prefix} must be a string or an object of strings`);
}

/**
 * Loads `locales/<locale>/<namespace>.json`; keys become `namespace.path.to.key`.
 * A new language is a new folder here plus its content, nothing in code.
 */
export function loadCatalogs(dir: string, defaultLocale = 'en'): Catalogs {
  const messages = new Map<string, Messages>();
  const locales = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(d.name))
    .map((d) => d.name)
    .sort((a, b) => (a === defaultLocale ? -1 : b === defaultLocale ? 1 : a.localeCompare(b)));
  for (const locale of locales) {
    const flat = new Map<string, string>();
    for (const file of fs.readdirSync(path.join(dir, locale)).filter((f) => f.endsWith('.json')).sort()) {
      const full = path.join(dir, locale, file);
      flatten(path.basename(file, '.json'), JSON.parse(fs.readFileSync(full, 'utf8')), flat, full);
    }
    messages.set(locale, flat);
  }
  if (!messages.has(defaultLocale)) throw new Error(`no catalog for the default locale ${defaultLocale} in ${dir}`);
  return { locales, defaultLocale, messages };
}

function interpolate(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * A translator for one locale. A missing key falls back to the default locale, then to the key itself,
 * so a gap shows up on the page instead of breaking it; the catalog test keeps gaps from shipping.
 * `{count}` with a `.one`/`.other` family picks the plural form by the locale's rules.
 */
export function createTranslator(catalogs: Catalogs, locale: string): Translate {
  const own = catalogs.messages.get(locale) ?? new Map<string, string>();
  const fallback = catalogs.messages.get(catalogs.defaultLocale)!;
  const plurals = new Intl.PluralRules(locale);
  const lookup = (key: string) => own.get(key) ?? fallback.get(key);
  return (key, params) => {
    let template = lookup(key);
    if (template === undefined && params && typeof params.count === 'number') {
      template = lookup(`${key}.${plurals.select(params.count)}`) ?? lookup(`${key}.other`);
    }
    return interpolate(template ?? key, params);
  };
}

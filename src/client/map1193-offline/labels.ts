/** Translated strings the server puts in a `data-labels` attribute, with `{name}` placeholders. */
export type Labels = Record<string, string>;

export function readLabels(el: HTMLElement): Labels {
  try {
    return JSON.parse(el.dataset.labels ?? '{}') as Labels;
  } catch {
    return {};
  }
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** `key.one` / `key.other` (and the other CLDR forms the locale uses), chosen for `count`. */
export function plural(labels: Labels, key: string, count: number): string {
  const form = new Intl.PluralRules(document.documentElement.lang || undefined).select(count);
  return fill(labels[`${key}.${form}`] ?? labels[`${key}.other`] ?? '', { count });
}

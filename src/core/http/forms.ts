import { z } from 'zod';
import type { Params } from '../i18n/catalog.ts';

/** A message for one field: a translation key and its parameters, translated by the view. */
export type FieldError = { key: string; params?: Params };
export type FormErrors = Record<string, FieldError>;

/** What the person sent, kept as typed so a re-rendered form loses nothing. */
export type FormValues = Record<string, string | string[]>;

export type FormResult<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; errors: FormErrors; values: FormValues };

const KEY = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)+$/;

function messageFor(issue: z.core.$ZodIssue): FieldError {
  // Schemas name their own translation key as the message when a generic one would not help.
  if (KEY.test(issue.message)) return { key: issue.message };
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? { key: 'common.form.required' } : { key: 'common.form.tooShort', params: { min: Number(issue.minimum) } };
      }
      if (issue.origin === 'array' && Number(issue.minimum) <= 1) return { key: 'common.form.required' };
      return { key: 'common.form.invalid' };
    case 'too_big':
      return issue.origin === 'string' ? { key: 'common.form.tooLong', params: { max: Number(issue.maximum) } } : { key: 'common.form.invalid' };
    case 'invalid_format':
      return issue.format === 'email' ? { key: 'common.form.invalidEmail' } : { key: 'common.form.invalid' };
    case 'invalid_value':
      return { key: 'common.form.invalidChoice' };
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return { key: 'common.form.invalidNumber' };
      if (issue.expected === 'date') return { key: 'common.form.invalidDate' };
      return { key: 'common.form.required' };
    default:
      return { key: 'common.form.invalid' };
  }
}

/**
 * What was wrong with a form body as a whole, beyond any one field: a field named like a
 * property every object has (`__proto__`, `constructor`, `toString`), which no form of ours
 * sends and which would otherwise reach code that reads it as that property; or a body longer
 * than the form takes, read anyway (up to a ceiling) so the person keeps what they typed.
 */
export type FormProblem = 'reservedName' | 'tooLarge';

const PROBLEM = Symbol('formProblem');

const PROBLEM_MESSAGES: Record<FormProblem, string> = {
  reservedName: 'common.form.reservedName',
  tooLarge: 'common.form.tooLarge',
};

/** True for a field name no form may use: it names a property every object already has. */
export function isReservedFieldName(name: string): boolean {
  return name in Object.prototype;
}

/** Marks a body or its values with a problem; the mark does not show up among the fields. */
export function markFormProblem(target: object, problem: FormProblem): void {
  if (formProblem(target) === undefined) Object.defineProperty(target, PROBLEM, { value: problem, enumerable: false });
}

/** The problem a body or its values were marked with, if any. */
export function formProblem(body: unknown): FormProblem | undefined {
  return body && typeof body === 'object' ? ((body as { [PROBLEM]?: FormProblem })[PROBLEM] ?? undefined) : undefined;
}

/** The message for the whole form when its body had a problem, to show above the fields. */
export function formProblemError(body: unknown): FieldError | undefined {
  const problem = formProblem(body);
  return problem ? { key: PROBLEM_MESSAGES[problem] } : undefined;
}

/**
 * Keeps only string and string-array fields: what an HTML form can send. A reserved field name
 * is dropped and the values marked, so the form comes back with a message instead of going on.
 */
export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (body && typeof body === 'object') {
    const problem = formProblem(body);
    if (problem) markFormProblem(values, problem);
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (isReservedFieldName(k)) {
        markFormProblem(values, 'reservedName');
        continue;
      }
      if (typeof v === 'string') values[k] = v;
      else if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
    }
  }
  return values;
}

/**
 * Parses a submitted form with its zod schema. Success gives typed data; failure gives one
 * translatable message per field and the values exactly as sent, for the re-rendered form.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const values = formValues(body);
  const parsed = schema.safeParse(values);
  const problem = formProblemError(values);
  if (parsed.success && !problem) return { ok: true, data: parsed.data, values };
  const errors: FormErrors = problem ? { _form: problem } : {};
  if (parsed.success) return { ok: false, errors, values };
  for (const issue of parsed.error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : '_form';
    if (!errors[field]) errors[field] = messageFor(issue);
  }
  return { ok: false, errors, values };
}

/** Optional text: an empty box means "not given". */
/** An empty or blank form field counts as not given. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).optional());

/** A checkbox group: absent means none ticked, one value arrives as a string. */
export const checkboxes = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item));

/** A single checkbox: present means ticked. */
export const checkbox = () => z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes', z.boolean());

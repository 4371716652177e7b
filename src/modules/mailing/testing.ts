import type { TestApp } from '../../../test/helpers/app.ts';
import { csrfFrom } from '../../../test/helpers/staff.ts';

/** A form body as a browser sends it: URL-encoded, a repeated name for each ticked checkbox. */
export function urlencoded(fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

export type SubscribeFields = { email: string; name?: string; topics?: string[]; language?: string };

/** Loads the subscribe page (its form token and wording) and posts it from `ip`, as a browser would. */
export async function subscribe(t: TestApp, fields: SubscribeFields, options: { ip?: string; prefix?: '' | '/es' } = {}) {
  const prefix = options.prefix ?? '';
  const page = await t.app.inject({ url: `${prefix}/subscribe` });
  const wording = /name="wording" value="([0-9a-f]{64})"/.exec(page.body)![1]!;
  const body = urlencoded({ _csrf: csrfFrom(page.body), wording, name: fields.name ?? '', email: fields.email, topics: fields.topics ?? ['news'], language: fields.language ?? (prefix ? 'es' : 'en') });
  return t.app.inject({ method: 'POST', url: `${prefix}/subscribe`, remoteAddress: options.ip ?? '198.51.100.7', ...body });
}

/** The confirmation link in a message's text. */
export function confirmLink(text: string): string {
  const match = /https?:\/\/[^\s]+\/subscribe\/confirm\/[A-Za-z0-9_.-]+/.exec(text);
  if (!match) throw new Error('no confirmation link in the message');
  return new URL(match[0]).pathname;
}

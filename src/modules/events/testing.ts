import type { TestApp } from '../../../test/helpers/app.ts';
import { csrfFrom } from '../../../test/helpers/staff.ts';

/** A complete, valid request as the public form sends it (without its token). */
export function requestFields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    organization: 'Lincoln High School',
    sector: 'school',
    audienceSize: '40',
    audienceAges: 'Students aged 14 to 17',
    format: 'in_person',
    city: 'Demo City',
    date1: '2027-03-10',
    date2: '',
    date3: '',
    language: 'en',
    topics: ['basics', 'youth'],
    accessibility: 'ASL interpreter',
    contactName: 'Maria Lopez',
    contactEmail: `host-${Math.random().toString(36).slice(2, 8)}@example.org`,
    contactPhone: '(555) 010-0123',
    website: '',
    ...overrides,
  };
}

/** Opens the form (for its token) and posts it, from one client address. */
export async function postRequest(t: TestApp, fields: Record<string, string | string[]>, options: { ip?: string; locale?: string; csrf?: string } = {}) {
  const prefix = options.locale ? `/${options.locale}` : '';
  const ip = options.ip ?? '198.51.100.7';
  const csrf = options.csrf ?? csrfFrom((await t.app.inject({ url: `${prefix}/trainings/request`, remoteAddress: ip })).body);
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...fields, _csrf: csrf })) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return t.app.inject({ method: 'POST', url: `${prefix}/trainings/request`, remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
}

/** The reference a successful post redirected to. */
export const referenceFrom = (location: unknown) => /ref=(TR-[0-9A-Z]{8})/.exec(String(location))?.[1];

/** Makes a request through the public form and answers its row id. */
export async function makeRequest(t: TestApp, overrides: Record<string, string | string[]> = {}, ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`): Promise<{ id: string; reference: string; email: string }> {
  const fields = requestFields(overrides);
  const res = await postRequest(t, fields, { ip });
  const reference = referenceFrom(res.headers.location);
  if (res.statusCode !== 303 || !reference) throw new Error(`request form answered ${res.statusCode}`);
  const row = await t.app.services.db.selectFrom('trainingRequests').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
  return { id: row.id, reference, email: String(fields.contactEmail) };
}

import type { TestApp } from '../../../test/helpers/app.ts';
import { csrfFrom } from '../../../test/helpers/staff.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import type { EventRow } from './tables.ts';

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

/** A published event straight in the database, starting in a week unless told otherwise. */
export async function createEvent(t: TestApp, overrides: Partial<EventRow> = {}): Promise<EventRow> {
  const now = t.clock.now();
  const starts = new Date(now.getTime() + 7 * 86_400_000);
  const event: EventRow = {
    id: newId(),
    title: 'Spotting trafficking at work',
    description: 'A one-hour training.\nBring a colleague.',
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 3600_000).toISOString(),
    location: 'Demo City Library, 12 Main St',
    online: 0,
    meetingUrl: '',
    language: 'en',
    capacity: 10,
    listed: 1,
    status: 'published',
    sequence: 0,
    lastPosition: 0,
    requestId: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...overrides,
  };
  await t.app.services.db.insertInto('events').values(event).execute();
  return event;
}

/** Opens an event page for its token and registers, from one client address. */
export async function postRegistration(t: TestApp, eventId: string, fields: Record<string, string>, options: { ip?: string; locale?: string; csrf?: string } = {}) {
  const prefix = options.locale ? `/${options.locale}` : '';
  const ip = options.ip ?? '198.51.100.9';
  const csrf = options.csrf ?? csrfFrom((await t.app.inject({ url: `${prefix}/events/${eventId}`, remoteAddress: ip })).body);
  return t.app.inject({ method: 'POST', url: `${prefix}/events/${eventId}/register`, remoteAddress: ip, payload: { website: '', ...fields, _csrf: csrf } });
}

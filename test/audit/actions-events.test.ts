import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../helpers/staff.ts';
import { csrfFrom } from '../helpers/staff.ts';
import { PUBLIC } from '../../src/core/context.ts';
import { createEvent, makeRequest, postRegistration } from '../../src/modules/events/testing.ts';
import { type ActionCase, actorOfStaff, describeAuditedActions } from './testing.ts';

// Trainings and events: every change the outreach team makes to a request or an event.
let t: TestApp;
let coordinatorStaff: TestStaff;
let coordinator: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  coordinatorStaff = await createStaff(t, ['outreach_coordinator']);
  coordinator = await signIn(t, coordinatorStaff);
});
afterAll(async () => t.close());

const onRequest = (id: string, also: string[] = []) => ({ actor: actorOfStaff(coordinatorStaff), targetType: 'training_request', targetId: id, also });
const post = (id: string, action: string, fields: Record<string, string>) => coordinator.post(`/console/trainings/${id}/${action}`, fields, `/console/trainings/${id}`);

/** Registers someone and answers their registration's id and cancel path. */
async function registered(eventId: string) {
  const email = `audit-${Math.random().toString(36).slice(2, 8)}@example.org`;
  await postRegistration(t, eventId, { name: 'Audit Person', email, consent: 'yes' });
  const row = await t.app.services.db.selectFrom('eventRegistrations').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const mail = await t.app.services.db.selectFrom('outbox').select('textBody').where('toAddress', '=', email).executeTakeFirstOrThrow();
  return { id: row.id, email, cancelPath: new URL(/(http:\/\/\S+\/events\/cancel\/[A-Za-z0-9_-]+)/.exec(mail.textBody)![1]!).pathname };
}
const byPublic = (id: string) => ({ actor: PUBLIC, targetType: 'event_registration', targetId: id });

const cases: Record<string, ActionCase[]> = {
  'event_registration.create': [
    {
      name: 'a visitor registers for an event',
      async run(act) {
        const event = await createEvent(t);
        const email = 'audit-create@example.org';
        await act(() => postRegistration(t, event.id, { name: 'Audit Person', email, consent: 'yes' }));
        const row = await t.app.services.db.selectFrom('eventRegistrations').select('id').where('email', '=', email).executeTakeFirstOrThrow();
        return byPublic(row.id);
      },
    },
  ],
  'event_registration.status': [
    {
      name: 'a registrant cancels from the link in the e-mail',
      async run(act) {
        const event = await createEvent(t);
        const { id, cancelPath } = await registered(event.id);
        const csrf = csrfFrom((await t.app.inject({ url: cancelPath })).body);
        await act(() => t.app.inject({ method: 'POST', url: cancelPath, payload: { _csrf: csrf } }));
        return byPublic(id);
      },
    },
  ],
  'training_request.status': [
    {
      name: 'a coordinator triages a request',
      async run(act) {
        const { id } = await makeRequest(t);
        await act(() => post(id, 'status', { to: 'triaged' }));
        return onRequest(id);
      },
    },
  ],
  'training_request.assign': [
    {
      name: 'a coordinator assigns a trainer',
      async run(act) {
        const { id } = await makeRequest(t);
        await act(() => post(id, 'assign', { trainerId: coordinatorStaff.account.id }));
        return onRequest(id);
      },
    },
  ],
  'training_request.note': [
    {
      name: 'a coordinator adds a note',
      async run(act) {
        const { id } = await makeRequest(t);
        await act(() => post(id, 'notes', { body: 'Called back.' }));
        return onRequest(id);
      },
    },
  ],
  'training_request.convert': [
    {
      name: 'a coordinator converts a request to an event',
      async run(act) {
        const { id } = await makeRequest(t);
        await act(() => post(id, 'convert', {}));
        return onRequest(id);
      },
    },
  ],
};

describeAuditedActions('events', () => t.app.services.db, cases);

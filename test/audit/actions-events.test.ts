import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../helpers/staff.ts';
import { makeRequest } from '../../src/modules/events/testing.ts';
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

const cases: Record<string, ActionCase[]> = {
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

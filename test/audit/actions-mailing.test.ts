import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createStaff, signIn, type SignedIn, type TestStaff } from '../helpers/staff.ts';
import { type ActionCase, actorOfStaff, describeAuditedActions } from './testing.ts';

// The mailing list's staff actions: its topics.
let t: TestApp;
let coordinatorStaff: TestStaff;
let coordinator: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  coordinatorStaff = await createStaff(t, ['outreach_coordinator']);
  coordinator = await signIn(t, coordinatorStaff);
});
afterAll(async () => t.close());

const byCoordinator = (targetId: string) => ({ actor: actorOfStaff(coordinatorStaff), targetType: 'mailing_topic', targetId });
const newKey = () => `audit-${randomBytes(3).toString('hex')}`;

async function addTopic(key: string) {
  const res = await coordinator.post('/console/mailing/topics', { key, labelEn: `Topic ${key}`, labelEs: '' }, '/console/mailing/topics');
  expect(res.headers.location).toBe('/console/mailing/topics?notice=created');
}

const cases: Record<string, ActionCase[]> = {
  'mailing.topic_create': [
    {
      name: 'a coordinator adds a topic',
      async run(act) {
        const key = newKey();
        await act(() => addTopic(key));
        return byCoordinator(key);
      },
    },
  ],
  'mailing.topic_update': [
    {
      name: 'a coordinator renames a topic and stops offering it',
      async run(act) {
        const key = newKey();
        await addTopic(key);
        const res = await act(() => coordinator.post(`/console/mailing/topics/${key}`, { labelEn: 'Renamed', labelEs: 'Renombrado' }, `/console/mailing/topics/${key}`));
        expect(res.headers.location).toBe('/console/mailing/topics?notice=updated');
        return byCoordinator(key);
      },
    },
  ],
};

describeAuditedActions('mailing', () => t.app.services.db, cases);

import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createStaff, type SignedIn, type TestStaff } from '../helpers/staff.ts';
import { basicTip, createOfficeKey, postTip, type TipFile } from '../../src/modules/tips/testing.ts';
import { type ActionCase, actorOfStaff, describeAuditedActions, sessionsOf } from './testing.ts';

// The tip line's console: every reading and change of a tip, sharing access, and retention.
let t: TestApp;
let reviewer: TestStaff;
let adminStaff: TestStaff;
let session: ReturnType<typeof sessionsOf>;

const db = () => t.app.services.db;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  // Made before any tip, so every tip is sealed to this reviewer at submission.
  reviewer = await createStaff(t, ['tip_reviewer']);
  adminStaff = await createStaff(t, ['administrator']);
  session = sessionsOf(t);
});
afterAll(async () => t.close());

let clients = 0;
const PDF: TipFile = { filename: 'notes.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') };

/** Submits a tip from a client of its own; answers its id. */
async function newTip(files: TipFile[] = [], fields: Record<string, string> = {}): Promise<string> {
  const known = (await db().selectFrom('tips').select('id').execute()).map((r: { id: string }) => r.id);
  clients++;
  const res = await postTip(t, basicTip({ whatHappened: `Tip number ${clients} for the audit test.`, ...fields }), files, { ip: `203.0.${Math.floor(clients / 250)}.${(clients % 250) + 1}` });
  expect(res.statusCode).toBe(200);
  return (await db().selectFrom('tips').select('id').where('id', 'not in', known.length ? known : ['-']).executeTakeFirstOrThrow()).id;
}

/** A reviewer's post on a tip, the CSRF token taken from a page that is not itself audited. */
const onTip = (who: SignedIn, id: string, path: string, fields: Record<string, string>) => who.post(`/console/tips/${id}/${path}`, fields);

async function moveTo(id: string, fields: Record<string, string>) {
  expect((await onTip(await session(reviewer), id, 'status', fields)).headers.location).toBe(`/console/tips/${id}?done=status`);
}

/** A reviewer's post on a fresh tip, answered by a redirect naming what was done. */
function reviewerPost(name: string, path: string, fields: (id: string) => Promise<Record<string, string>> | Record<string, string>, done: string): ActionCase[] {
  return [
    {
      name,
      async run(act) {
        const id = await newTip();
        const body = await fields(id);
        // Signed in before act(): a sign-in renewed after another case's wait is not this action.
        const who = await session(reviewer);
        const res = await act(() => onTip(who, id, path, body));
        expect(res.headers.location).toBe(`/console/tips/${id}?done=${done}`);
        return { actor: actorOfStaff(reviewer), targetType: 'tip', targetId: id };
      },
    },
  ];
}

describeAuditedActions('tips', db, {
  'tip.open': [
    {
      name: 'a reviewer opens a tip',
      async run(act) {
        const id = await newTip();
        const reader = await session(reviewer);
        expect((await act(() => reader.get(`/console/tips/${id}`))).statusCode).toBe(200);
        return { actor: actorOfStaff(reviewer), targetType: 'tip', targetId: id };
      },
    },
  ],
  'tip.handoff': [
    {
      name: 'a reviewer prints the handoff of a referred tip',
      async run(act) {
        const id = await newTip();
        await moveTo(id, { to: 'in_review' });
        await moveTo(id, { to: 'referred', referredTo: 'police' });
        const reader = await session(reviewer);
        expect((await act(() => reader.get(`/console/tips/${id}/handoff`))).statusCode).toBe(200);
        return { actor: actorOfStaff(reviewer), targetType: 'tip', targetId: id };
      },
    },
  ],
  'tip.status': reviewerPost('a reviewer moves a tip into review', 'status', () => ({ to: 'in_review' }), 'status'),
  'tip.assign': reviewerPost('a reviewer assigns a tip', 'assign', () => ({ assigneeId: reviewer.account.id }), 'assigned'),
  'tip.tags': reviewerPost('a reviewer tags a tip', 'tags', () => ({ tags: 'restaurant, labour' }), 'tags'),
  'tip.note': reviewerPost('a reviewer writes a note', 'notes', () => ({ note: 'Called the labour office.' }), 'note'),
  'tip.reply': reviewerPost('a reviewer replies to the tipster', 'reply', () => ({ reply: 'Thank you, we are looking into it.' }), 'reply'),
  'tip.duplicate': reviewerPost('a reviewer marks a tip as repeating another', 'duplicate', async () => ({ duplicateOf: `T-${(await newTip()).slice(0, 8)}` }), 'duplicate'),
  'tip.grant': reviewerPost(
    'a reviewer shares a tip with an investigator who joined after it came in',
    'grant',
    async () => ({ accountId: (await createStaff(t, ['investigator'])).account.id }),
    'granted',
  ),
  'tip.file_open': [
    {
      name: 'a reviewer opens a file sent with a tip',
      async run(act) {
        const id = await newTip([PDF]);
        const file = await db().selectFrom('tipAttachments').select('id').where('tipId', '=', id).executeTakeFirstOrThrow();
        const reader = await session(reviewer);
        expect((await act(() => reader.get(`/console/tips/${id}/files/${file.id}`))).statusCode).toBe(200);
        return { actor: actorOfStaff(reviewer), targetType: 'tip', targetId: id };
      },
    },
  ],
  'tip.recovery_key_refused': [
    {
      name: 'an administrator types a wrong office recovery key',
      async run(act) {
        const admin = await session(adminStaff);
        const res = await act(() => admin.post('/console/tips/access', { source: 'recovery', recoveryKey: `HWRK-${'0000-'.repeat(15)}0000`, accountId: reviewer.account.id }));
        expect(res.statusCode).toBe(422);
        return { actor: actorOfStaff(adminStaff), targetType: null, targetId: null };
      },
    },
  ],
  'tip.spam_flagged': reviewerPost('a reviewer flags a tip as spam', 'spam', () => ({}), 'spamFlagged'),
  'tip.spam_deleted': [
    {
      name: 'an administrator deletes a tip as spam, with a reason',
      async run(act) {
        const id = await newTip();
        const admin = await session(adminStaff);
        const res = await act(() => admin.post('/console/tips/spam', { reference: `T-${id.slice(0, 8)}`, reason: 'advertising' }));
        expect(res.headers.location).toBe('/console/tips/spam?deleted=1');
        return { actor: actorOfStaff(adminStaff), targetType: 'tip', targetId: id };
      },
    },
  ],
  'tip.contact_open': [
    {
      name: 'a reviewer opens the contact details a tipster gave, with a reason',
      async run(act) {
        const id = await newTip([], { contactMode: 'details', contactDetails: 'Call after six.' });
        const reader = await session(reviewer);
        const res = await act(() => onTip(reader, id, 'contact', { reason: 'arranging a call' }));
        expect(res.statusCode).toBe(200);
        return { actor: actorOfStaff(reviewer), targetType: 'tip', targetId: id, also: ['tip.open'] };
      },
    },
  ],
  'tip.grants_revoked': [
    {
      name: 'an administrator deactivates an investigator who holds tip keys',
      async run(act) {
        const investigator = await createStaff(t, ['investigator']);
        await newTip();
        const admin = await session(adminStaff);
        const res = await act(() => admin.post(`/console/accounts/${investigator.account.id}/status`, { active: 'no' }));
        expect(res.statusCode).toBe(303);
        return { actor: actorOfStaff(adminStaff), targetType: 'account', targetId: investigator.account.id, also: ['account.deactivated'] };
      },
    },
  ],
  'settings.tip_retention': [
    {
      name: 'an administrator sets how long closed tips are kept',
      async run(act) {
        const admin = await session(adminStaff);
        expect((await act(() => admin.post('/console/tips/retention', { days: '400' }))).headers.location).toBe('/console/tips/stats?saved=1');
        return { actor: actorOfStaff(adminStaff), targetType: null, targetId: null };
      },
    },
  ],
  'tip.deleted': [
    {
      name: 'the retention job deletes a tip closed longer than the retention period',
      async run(act) {
        const id = await newTip();
        await moveTo(id, { to: 'in_review' });
        await moveTo(id, { to: 'closed', disposition: 'not_trafficking' });
        t.clock.advance(((await t.app.services.settings.get()).tipRetentionDays + 1) * DAY);
        await act(() => t.app.services.jobs.runDue());
        expect(await db().selectFrom('tips').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
        return { actor: { id: null, label: 'system' }, targetType: 'tip', targetId: id };
      },
    },
  ],
});

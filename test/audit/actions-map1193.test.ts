import { randomUUID } from 'node:crypto';
import { contextFor, SYSTEM } from '../../src/core/context.ts';
import sharp from 'sharp';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { multipart, type Part } from '../helpers/multipart.ts';
import { createStaff, csrfFrom, type SignedIn, type TestStaff } from '../helpers/staff.ts';
import { CASE_ACTIONS, type CaseAction } from '../../src/modules/map1193/enforcement/enforcement.ts';
import { issueSetupToken } from '../../src/modules/accounts/setup.service.ts';
import { businessRow, insertBusinesses } from '../../src/modules/map1193/testing.ts';
import { type ActionCase, actorOfStaff, describeAuditedActions, sessionsOf } from './testing.ts';

// MAP1193: imports and rules (administrators), days of action (coordinators), and the
// inspectors' case files, steps and photos.
let t: TestApp;
let adminStaff: TestStaff;
let inspector: TestStaff;
let coordinator: TestStaff;
let session: ReturnType<typeof sessionsOf>;

const db = () => t.app.services.db;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-04T17:00:00Z');
  adminStaff = await createStaff(t, ['administrator']);
  inspector = await createStaff(t, ['compliance_inspector']);
  coordinator = await createStaff(t, ['outreach_coordinator']);
  session = sessionsOf(t);
});
afterAll(async () => t.close());

let made = 0;
async function newBusiness(city = 'Audit City') {
  const [row] = await insertBusinesses(db(), [businessRow({ name: `Audit Motel ${++made}`, city, status: 'reported_missing' })]);
  return row!;
}

const jpeg = () => sharp({ create: { width: 200, height: 150, channels: 3, background: '#806040' } }).jpeg().toBuffer();

async function postMultipart(who: SignedIn, url: string, tokenPage: string, parts: Part[]) {
  const body = multipart([['_csrf', csrfFrom((await who.get(tokenPage)).body)], ...parts]);
  return t.app.inject({ method: 'POST', url, headers: { ...body.headers, cookie: who.cookie }, payload: body.payload });
}

/** One step of a business's case, as the inspector's buttons post it. */
async function step(who: SignedIn, businessId: string, action: CaseAction) {
  const res = await who.post(`/console/map1193/inspections/${businessId}/step`, { action, notes: '' });
  expect(res.headers.location).toBe(`/console/map1193/inspections/${businessId}?done=step`);
  return res;
}

/** The steps a case needs before `action` is allowed, waiting out the cure period where the law says so. */
const BEFORE: Record<CaseAction, CaseAction[]> = {
  visit_compliant: [],
  visit_violation: [],
  send_notice: ['visit_violation'],
  reinspect_cured: ['visit_violation', 'send_notice'],
  reinspect_failed: ['visit_violation', 'send_notice'],
  record_payment: ['visit_violation', 'send_notice', 'reinspect_failed'],
  refer: ['visit_violation', 'send_notice', 'reinspect_failed'],
};

const caseSteps: Record<string, ActionCase[]> = Object.fromEntries(
  CASE_ACTIONS.map((action) => [
    `map1193.case.${action}`,
    [
      {
        name: `an inspector records ${action}`,
        async run(act) {
          const business = await newBusiness();
          for (const earlier of BEFORE[action]) {
            await step(await session(inspector), business.id, earlier);
            if (earlier === 'send_notice' && action !== 'reinspect_cured') t.clock.advance(31 * DAY);
          }
          // Signed in (again, after a wait) before the step, so only the step is inside act().
          const reader = await session(inspector);
          await act(() => step(reader, business.id, action));
          const kase = await db().selectFrom('mapCases').select('id').where('businessId', '=', business.id).executeTakeFirstOrThrow();
          return { actor: actorOfStaff(inspector), targetType: 'map1193.case', targetId: kase.id };
        },
      },
    ],
  ]),
);

describeAuditedActions('map1193', db, {
  ...caseSteps,
  'map1193.case_file_open': [
    {
      name: 'an inspector opens a case file',
      async run(act) {
        const business = await newBusiness();
        const reader = await session(inspector);
        expect((await act(() => reader.get(`/console/map1193/inspections/${business.id}`))).statusCode).toBe(200);
        return { actor: actorOfStaff(inspector), targetType: 'map1193.business', targetId: business.id };
      },
    },
  ],
  'map1193.case_record_open': [
    {
      name: 'an inspector opens the case record for a hearing',
      async run(act) {
        const business = await newBusiness();
        await step(await session(inspector), business.id, 'visit_violation');
        const reader = await session(inspector);
        expect((await act(() => reader.get(`/console/map1193/inspections/${business.id}/record`))).statusCode).toBe(200);
        return { actor: actorOfStaff(inspector), targetType: 'map1193.business', targetId: business.id };
      },
    },
  ],
  'map1193.photo_open': [
    {
      name: "an inspector opens a visit's photo",
      async run(act) {
        const business = await newBusiness();
        const reader = await session(inspector);
        const parts: Part[] = [['notes', 'Photo of the entrance'], ['photos', { filename: 'door.jpg', type: 'image/jpeg', data: await jpeg() }], ['action', 'visit_violation']];
        const res = await postMultipart(reader, `/console/map1193/inspections/${business.id}/step`, '/console/account', parts);
        expect(res.statusCode).toBe(303);
        const photo = await db().selectFrom('mapCasePhotos as p').innerJoin('mapCases as c', 'c.id', 'p.caseId').select('p.id').where('c.businessId', '=', business.id).executeTakeFirstOrThrow();
        expect((await act(() => reader.get(`/console/map1193/photos/case/${photo.id}`))).statusCode).toBe(200);
        return { actor: actorOfStaff(inspector), targetType: 'map1193.case_photo', targetId: photo.id };
      },
    },
    {
      name: "an inspector opens a public report's photo",
      async run(act) {
        const business = await newBusiness();
        const reportId = randomUUID();
        const page = await t.app.inject({ url: `/map1193/businesses/${business.id}` });
        const body = multipart([['_csrf', csrfFrom(page.body)], ['reportId', reportId], ['observed', 'missing'], ['photo', { filename: 'IMG_1.jpg', type: 'image/jpeg', data: await jpeg() }]]);
        const sent = await t.app.inject({ method: 'POST', url: `/map1193/businesses/${business.id}/report`, remoteAddress: '198.18.7.7', ...body });
        expect(sent.statusCode).toBeLessThan(400);
        const reader = await session(inspector);
        expect((await act(() => reader.get(`/console/map1193/photos/report/${reportId}`))).statusCode).toBe(200);
        return { actor: actorOfStaff(inspector), targetType: 'map1193.report', targetId: reportId };
      },
    },
  ],
  'map1193.demo_removed': [
    {
      name: 'first-run setup with "remove the demo businesses" checked',
      async run(act) {
        // Setup needs an office without an administrator, and the demo map seeded.
        const fresh = await createTestApp({ env: { SEED_DEMO: 'on' } });
        try {
          const token = (await issueSetupToken(contextFor(fresh.app.services, SYSTEM)))!;
          const form = await fresh.app.inject({ url: `/setup?token=${token}` });
          const email = `demo-admin-${randomUUID()}@example.org`;
          const password = 'lantern orchard velvet compass';
          const payload = { officeName: 'Test County DA', county: 'Test County', state: 'California', localTipPhone: '', languages: ['en'], adminName: 'First Admin', adminEmail: email, password, confirm: password, removeDemo: 'yes', _csrf: csrfFrom(form.body) };
          const res = await act(() => fresh.app.inject({ method: 'POST', url: `/setup?token=${token}`, payload }), fresh.app.services.db);
          expect(res.statusCode).toBe(200);
          const id = (await fresh.app.services.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
          return { actor: { id, label: email }, targetType: 'map1193.source', targetId: 'demo', also: ['setup.completed', 'office_key.created'] };
        } finally {
          await fresh.close();
        }
      },
    },
  ],
  'map1193.data_quality_review': [
    {
      name: 'an inspector reviews a listing a report could not check, and takes it off the map',
      async run(act) {
        const business = await newBusiness();
        const page = await t.app.inject({ url: `/map1193/businesses/${business.id}` });
        const body = multipart([['_csrf', csrfFrom(page.body)], ['reportId', randomUUID()], ['observed', 'closed_for_good']]);
        const sent = await t.app.inject({ method: 'POST', url: `/map1193/businesses/${business.id}/report`, remoteAddress: '198.18.7.8', ...body });
        expect(sent.statusCode).toBe(200);
        const reader = await session(inspector);
        const res = await act(() => reader.post(`/console/map1193/data-quality/${business.id}/review`, { outcome: 'removed' }));
        expect(res.statusCode).toBe(303);
        return { actor: actorOfStaff(inspector), targetType: 'map1193.business', targetId: business.id };
      },
    },
  ],
  'map1193.import': [
    {
      name: 'an administrator imports businesses from a file',
      async run(act) {
        const source = `audit-import-${randomUUID().slice(0, 8)}`;
        const csv = 'external_id,name,address,city,category\nA-1,Import Motel,1 Pier St,Harbor,hotel\n';
        const admin = await session(adminStaff);
        const parts: Part[] = [['source', source], ['format', 'csv'], ['file', { filename: 'businesses.csv', type: 'text/csv', data: Buffer.from(csv) }]];
        const res = await act(() => postMultipart(admin, '/console/map1193/import', '/console/map1193/import', parts));
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('Added: 1.');
        return { actor: actorOfStaff(adminStaff), targetType: 'map1193.source', targetId: source };
      },
    },
  ],
  'map1193.rule_amend': [
    {
      name: 'an administrator amends the penalties from a day on',
      async run(act) {
        const admin = await session(adminStaff);
        const fields = { effectiveFrom: '2089-01-01', bill: 'AB 1 (2088)', firstOffenceUsd: '600', laterOffenceUsd: '1200', cureDays: '30' };
        expect((await act(() => admin.post('/console/map1193/rules/penalty', fields))).statusCode).toBe(303);
        return { actor: actorOfStaff(adminStaff), targetType: 'map1193.rule', targetId: 'penalty:penalty:2089-01-01' };
      },
    },
  ],
  'map1193.rule_end': [
    {
      name: 'an administrator ends a category from a day on',
      async run(act) {
        const latest = await db().selectFrom('mapRules').select('id').where('kind', '=', 'category').where('subject', '=', 'truck_stop').orderBy('effectiveFrom', 'desc').executeTakeFirstOrThrow();
        const admin = await session(adminStaff);
        const fields = { effectiveFrom: '2090-01-01', bill: 'SB 2 (2089)', covered: 'no', exception: 'none' };
        expect((await act(() => admin.post('/console/map1193/rules/categories/truck_stop', fields))).statusCode).toBe(303);
        return { actor: actorOfStaff(adminStaff), targetType: 'map1193.rule', targetId: latest.id };
      },
    },
  ],
  'map1193.category_add': [
    {
      name: 'an administrator adds a kind of business the legislature named',
      async run(act) {
        const admin = await session(adminStaff);
        const fields = { code: 'audit_disaster_site', name_en: 'Disaster site', name_es: 'Sitio de desastre', bill: 'AB 2101 (2026)', effectiveFrom: '2091-01-01' };
        expect((await act(() => admin.post('/console/map1193/rules/categories/new', fields))).statusCode).toBe(303);
        return { actor: actorOfStaff(adminStaff), targetType: 'map1193.category', targetId: 'audit_disaster_site' };
      },
    },
  ],
  'map1193.action_day.create': [
    {
      name: 'a coordinator plans a day of action',
      async run(act) {
        const city = `Audit Town ${randomUUID().slice(0, 6)}`;
        await newBusiness(city);
        const volunteer = await createStaff(t, ['volunteer']);
        const day = new Date(t.clock.now().getTime() + DAY).toISOString().slice(0, 10);
        const planner = await session(coordinator);
        const res = await act(() => planner.post('/console/map1193/days', { day, title: 'Audit sweep', cities: [city], teams: `North: ${volunteer.account.email}` }));
        expect(res.statusCode).toBe(303);
        const id = String(res.headers.location).split('/').pop()!;
        return { actor: actorOfStaff(coordinator), targetType: 'map1193.action_day', targetId: id };
      },
    },
  ],
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lawDay } from '../../src/modules/map1193/rules/rules.ts';
import type { Judgement, ReportRow } from '../../src/modules/map1193/tables.ts';
import { businessRow, insertBusinesses } from '../../src/modules/map1193/testing.ts';
import { basicTip, createOfficeKey, postTipForId } from '../../src/modules/tips/testing.ts';
import { browserUnavailable, screenshotFolder, setupBrowserSuite } from '../helpers/browser.ts';
import { createStaff, signIn, type SignedIn } from '../helpers/staff.ts';

// The pictures in the README: the tip page, a day of action, the MAP1193 dashboard and the notice
// letter, each at a phone's width and a desktop's. `scripts/screenshots.sh` sets SCREENSHOTS_DIR
// to docs/screenshots; otherwise they go to a temporary folder and the run checks only that no
// page scrolls sideways at either width.
const OUT = screenshotFolder('SCREENSHOTS_DIR') ? path.resolve(screenshotFolder('SCREENSHOTS_DIR')!) : fs.mkdtempSync(path.join(os.tmpdir(), 'screenshots-'));
const WIDTHS = [360, 1280] as const;

describe.skipIf(browserUnavailable())('screenshots of the main staff pages', () => {
  const s = setupBrowserSuite();
  const pages: Record<string, { path: string; session: SignedIn }> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    const site = s.site;
    const db = site.app.services.db;
    site.clock.set(new Date('2026-05-18T21:20:00Z'));
    await site.app.services.settings.update({ officeName: 'Riverbend County District Attorney', contactAddress: '400 Court Street, Riverbend, CA 95000', officePhone: '(555) 010-0100' });

    // A tip with a little history: opened, moved on, answered. It is sealed to the readers there are when it arrives.
    await createOfficeKey(site);
    const tina = await createStaff(site, ['tip_reviewer', 'investigator'], { name: 'Tina Reviewer' });
    const tipId = await postTipForId(site, basicTip({
      whatHappened: 'Three young women work at the nail salon from 8 in the morning until late at night. They never leave alone, and a man drives them to and from the shop in a white van.',
      whereBusiness: 'Glow Nails',
      whereCity: 'Riverbend',
      when: 'Every day for the last two weeks',
      peopleCount: '3',
      vehicles: 'White van, partial plate 7KX',
    }));
    site.clock.set(new Date('2026-05-19T16:05:00Z'));
    const reviewer = await signIn(site, tina);
    const tipPath = `/console/tips/${tipId}`;
    await reviewer.get(tipPath);
    await reviewer.post(`${tipPath}/status`, { to: 'in_review' }, tipPath);
    site.clock.set(new Date('2026-05-19T16:12:00Z'));
    await reviewer.post(`${tipPath}/assign`, { assigneeId: tina.account.id }, tipPath);
    await reviewer.post(`${tipPath}/reply`, { reply: 'Thank you. Could you tell us which days the van comes?' }, tipPath);
    await reviewer.post(`${tipPath}/notes`, { note: 'Matches the 7KX plate in the April report; checking with the sheriff.' }, tipPath);

    // The dashboard: businesses in two cities and a few weeks of reports.
    site.clock.set(new Date('2026-05-20T16:00:00Z'));
    pages.tip = { path: tipPath, session: await signIn(site, tina) };
    const rows = await insertBusinesses(db, [
      ...[1, 2, 3, 4].map((n) => businessRow({ name: `Riverbend Motel ${n}`, address: `${n}00 River Road`, city: 'Riverbend', category: 'hotel', status: n % 2 ? 'verified_compliant' : 'reported_missing' })),
      ...[1, 2, 3].map((n) => businessRow({ name: `Oak Bar ${n}`, address: `${n} Oak Street`, city: 'Oakdale', category: 'bar', status: n === 1 ? 'cured' : 'unknown' })),
    ]);
    const report = (businessId: string, observedAt: string, judgement: Judgement): ReportRow => ({
      id: crypto.randomUUID(), businessId, observed: judgement === 'compliant' ? 'posted' : 'missing', problems: '', note: null, judgement, reasons: '',
      channel: 'public', reporterId: null, actionDayId: null, hasPhoto: 0, observedAt, receivedAt: observedAt, lookupHash: null, reviewedAt: null, reviewOutcome: null,
    });
    const judged: [number, string, Judgement][] = [
      [0, '2026-03-03', 'non_compliant'], [1, '2026-03-11', 'non_compliant'], [2, '2026-03-25', 'compliant'], [3, '2026-04-01', 'non_compliant'],
      [4, '2026-04-08', 'compliant'], [0, '2026-04-15', 'compliant'], [1, '2026-04-22', 'non_compliant'], [2, '2026-04-29', 'compliant'],
      [3, '2026-05-06', 'compliant'], [4, '2026-05-07', 'compliant'], [5, '2026-05-13', 'non_compliant'], [6, '2026-05-18', 'compliant'], [0, '2026-05-19', 'compliant'],
    ];
    await db.insertInto('mapReports').values(judged.map(([i, day, j]) => report(rows[i]!.id, `${day}T18:00:00.000Z`, j))).execute();
    const coordinator = await signIn(site, await createStaff(site, ['outreach_coordinator'], { name: 'Cora Coordinator' }));
    pages.dashboard = { path: '/console/map1193/dashboard', session: coordinator };

    // A day of action in Riverbend with one team.
    await createStaff(site, ['volunteer'], { email: 'vera.volunteer@example.org', name: 'Vera Volunteer' });
    const day = await coordinator.post('/console/map1193/days', { day: lawDay(site.clock.now(), (await site.app.services.settings.get()).timeZone), title: 'Riverbend motels', cities: 'Riverbend', teams: 'North team: vera.volunteer@example.org' }, '/console/map1193/days');
    expect(day.statusCode).toBe(303);
    pages.day = { path: String(day.headers.location), session: coordinator };

    // A notice of violation for one of the motels.
    const inspector = await signIn(site, await createStaff(site, ['compliance_inspector'], { name: 'Ines Inspector' }));
    const motel = rows[1]!;
    await inspector.post(`/console/map1193/inspections/${motel.id}/step`, { action: 'visit_violation', notes: 'No notice in the lobby', deficiencies: ['too_small', 'missing_spanish'] });
    await inspector.post(`/console/map1193/inspections/${motel.id}/step`, { action: 'send_notice' });
    const noticeId = (await db.selectFrom('mapNotices').select('id').where('businessId', '=', motel.id).executeTakeFirstOrThrow()).id;
    pages.notice = { path: `/console/map1193/notices/${noticeId}`, session: inspector };
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  for (const name of ['tip', 'day', 'dashboard', 'notice']) {
    for (const width of WIDTHS) {
      test(`${name} at ${width} px`, async () => {
        const { path: pathname, session } = pages[name]!;
        const [cookie, value] = session.cookie.split('=') as [string, string];
        const context = await s.browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
        contexts.push(context);
        await context.addCookies([{ name: cookie, value, url: s.baseUrl }]);
        const page = await context.newPage();
        const response = await page.goto(s.baseUrl + pathname);
        expect(response?.status(), pathname).toBe(200);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name} at ${width}`).toBeLessThanOrEqual(0);
        const shot = await page.screenshot({ fullPage: true });
        // A palette PNG keeps the README's pictures small; text stays sharp.
        const file = path.join(OUT, `${name}-${width}.png`);
        await sharp(shot).png({ palette: true, quality: 80, compressionLevel: 9 }).toFile(file);
        expect(fs.statSync(file).size).toBeGreaterThan(1000);
      });
    }
  }
});

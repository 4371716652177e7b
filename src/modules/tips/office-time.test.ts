import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip, receiptFrom } from './testing.ts';

/**
 * Times as the office reads them: in its own zone (a setting), with the zone named, on staff
 * pages to the minute and on the tip line only to the hour.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
});
afterAll(async () => t.close());

const zone = (timeZone: string) => t.app.services.settings.update({ timeZone });

describe('office time zone', () => {
  it('shows a staff page instant in the office zone, named, and follows a change of the setting', async () => {
    await zone('America/Los_Angeles');
    // 07:34 UTC on December 2 is still the evening of December 1 in California.
    t.clock.set('2026-12-02T07:34:00.000Z');
    const staff = await createStaff(t, ['tip_reviewer']);
    const session = await signIn(t, staff);
    const before = await session.get('/console/account/sessions');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('Dec 1, 2026, 11:34 PM PST');
    expect(before.body).not.toContain('07:34 UTC');

    await zone('America/New_York');
    const after = await session.get('/console/account/sessions');
    expect(after.body).toContain('Dec 2, 2026, 2:34 AM EST');
    expect(after.body).not.toContain('PST');
    await zone('America/Los_Angeles');
  });

  it('shows the tipster only the hour, in the office zone', async () => {
    await zone('America/Los_Angeles');
    t.clock.set('2026-07-15T19:47:31.000Z');
    const receipt = receiptFrom((await postTip(t, basicTip({ whatHappened: 'Seen on a July evening.' }))).body);
    const ip = '198.51.100.23';
    const form = await t.app.inject({ url: '/tip/follow-up', remoteAddress: ip });
    const page = await t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: ip, payload: { receipt, _csrf: csrfFrom(form.body) } });
    expect(page.statusCode).toBe(200);
    // 19:47 UTC is 12:47 PM in California in summer: the page says 12 PM PDT and nothing finer.
    expect(page.body).toContain('Received: Jul 15, 2026, 12 PM PDT');
    expect(page.body).not.toMatch(/12:47|19:47|:47|:31/);
    expect(page.body).not.toContain('UTC');

    await zone('America/Chicago');
    const form2 = await t.app.inject({ url: '/tip/follow-up', remoteAddress: ip });
    const page2 = await t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: ip, payload: { receipt, _csrf: csrfFrom(form2.body) } });
    expect(page2.body).toContain('Received: Jul 15, 2026, 2 PM CDT');
    await zone('America/Los_Angeles');
  });
});

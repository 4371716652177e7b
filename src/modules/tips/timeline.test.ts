import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTipForId } from './testing.ts';

let t: TestApp;
let reviewer: SignedIn;
let tipId: string;
let otherId: string;

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const timelineOf = (html: string) => {
  const m = /<section aria-labelledby="timeline-title">([\s\S]*?)<\/section>/.exec(html);
  return m ? textOf(m[1]!) : '';
};

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  // Tips are sealed to the readers there are when they arrive.
  reviewer = await signIn(t, await createStaff(t, ['tip_reviewer'], { name: 'Tina Reviewer' }));
  const other = await signIn(t, await createStaff(t, ['tip_reviewer'], { name: 'Oscar Other' }));
  t.clock.set('2026-03-02T17:20:00Z');
  tipId = await postTipForId(t, basicTip({ whatHappened: 'Workers sleep above the shop.', vehicles: '' }));
  otherId = await postTipForId(t, basicTip({ whatHappened: 'Another place entirely.' }));
  // Someone else's work on another tip must never show on this one's page.
  t.clock.set('2026-03-02T18:05:00Z');
  const page = await other.get(`/console/tips/${otherId}`);
  await other.post(`/console/tips/${otherId}/status`, { _csrf: csrfFrom(page.body), to: 'in_review' });
  t.clock.set('2026-03-02T18:42:00Z');
  const first = await reviewer.get(`/console/tips/${tipId}`);
  await reviewer.post(`/console/tips/${tipId}/status`, { _csrf: csrfFrom(first.body), to: 'in_review' });
  t.clock.set('2026-03-02T18:47:00Z');
  await reviewer.post(`/console/tips/${tipId}/reply`, { _csrf: csrfFrom(first.body), reply: 'Thank you, we are looking into it.' });
});
afterAll(async () => t.close());

describe('a tip’s timeline', () => {
  it('tells what happened, oldest first, in the office time to the minute', async () => {
    const page = await reviewer.get(`/console/tips/${tipId}`);
    expect(page.statusCode).toBe(200);
    const timeline = timelineOf(page.body);
    const steps = ['Received through the tip line', 'Opened by Tina Reviewer', 'Tina Reviewer moved it to In review', 'Tina Reviewer replied to the sender'];
    const at = steps.map((s) => timeline.indexOf(s));
    expect(at.every((i) => i >= 0), timeline).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Pacific time, the default office zone: 18:42 UTC is 10:42 AM PST; the tip keeps its coarse hour.
    expect(timeline).toContain('10:42 AM PST');
    expect(timeline).toMatch(/Mar 2, 2026, 9 AM PST Received/);
  });

  it('shows no row about another tip', async () => {
    const timeline = timelineOf((await reviewer.get(`/console/tips/${tipId}`)).body);
    expect(timeline).not.toContain('Oscar Other');
    expect(timeline.match(/moved it to/g)).toHaveLength(1);
  });

  it('is not shown to a reader the tip was not opened for', async () => {
    const outsider = await signIn(t, await createStaff(t, ['tip_reviewer'], { name: 'Nadia New' }));
    const page = await outsider.get(`/console/tips/${tipId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('timeline-title');
  });

  it('lists only the questions the sender answered, beside where the tip stands', async () => {
    const page = await reviewer.get(`/console/tips/${tipId}`);
    expect(page.body).not.toContain('Not given');
    expect(page.body).toContain('Workers sleep above the shop.');
    expect(page.body).not.toContain('Vehicles');
    // The side column (status, assignment, actions) comes before the content in the page.
    expect(page.body.indexOf('class="tip-aside"')).toBeLessThan(page.body.indexOf('id="answers-title"'));
    expect(page.body.indexOf('id="workflow-title"')).toBeLessThan(page.body.indexOf('id="answers-title"'));
  });
});

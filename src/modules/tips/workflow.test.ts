import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { TIP_STATUSES } from './tables.ts';
import { createOfficeKey, postTipForId } from './testing.ts';
import { nextStatuses, publicStatus, transitionProblem } from './workflow.ts';

describe('the workflow rules', () => {
  it('moves new → in review → referred or investigating → closed, and refuses skipped steps', () => {
    expect(transitionProblem('new', { to: 'in_review' })).toBeUndefined();
    expect(transitionProblem('in_review', { to: 'referred', referredTo: 'police' })).toBeUndefined();
    expect(transitionProblem('in_review', { to: 'investigating' })).toBeUndefined();
    expect(transitionProblem('investigating', { to: 'closed', disposition: 'actionable' })).toBeUndefined();
    expect(transitionProblem('referred', { to: 'closed', disposition: 'actionable' })).toBeUndefined();
    expect(transitionProblem('investigating', { to: 'referred', referredTo: 'child_welfare' })).toBeUndefined();
    expect(transitionProblem('closed', { to: 'in_review' })).toBeUndefined();

    expect(transitionProblem('new', { to: 'referred', referredTo: 'police' })).toBe('tips.workflow.errors.skipped');
    expect(transitionProblem('new', { to: 'investigating' })).toBe('tips.workflow.errors.skipped');
    expect(transitionProblem('new', { to: 'closed', disposition: 'spam' })).toBe('tips.workflow.errors.skipped');
    expect(transitionProblem('referred', { to: 'investigating' })).toBe('tips.workflow.errors.skipped');
    expect(transitionProblem('closed', { to: 'referred', referredTo: 'police' })).toBe('tips.workflow.errors.skipped');
    for (const status of TIP_STATUSES) expect(transitionProblem(status, { to: status })).toBe('tips.workflow.errors.skipped');
  });

  it('needs an agency to refer and a disposition to close; only a non-actionable tip closes from review', () => {
    expect(transitionProblem('in_review', { to: 'referred' })).toBe('tips.workflow.errors.agency');
    expect(transitionProblem('investigating', { to: 'closed' })).toBe('tips.workflow.errors.disposition');
    expect(transitionProblem('in_review', { to: 'closed', disposition: 'actionable' })).toBe('tips.workflow.errors.actionableNeedsWork');
    for (const d of ['spam', 'duplicate', 'not_trafficking'] as const) expect(transitionProblem('in_review', { to: 'closed', disposition: d })).toBeUndefined();
  });

  it('tells the tipster only received, in review or closed', () => {
    expect(TIP_STATUSES.map(publicStatus)).toEqual(['received', 'in_review', 'in_review', 'in_review', 'closed']);
    expect(nextStatuses('new')).toEqual(['in_review']);
  });
});

describe('changing status through the console', () => {
  let t: TestApp;
  let reviewer: SignedIn;
  let investigator: SignedIn;
  let id: string;

  beforeAll(async () => {
    t = await createTestApp();
    await createOfficeKey(t);
    reviewer = await signIn(t, await createStaff(t, ['tip_reviewer']));
    investigator = await signIn(t, await createStaff(t, ['investigator']));
  });
  afterAll(async () => t.close());
  // A new tip for each test.
  beforeEach(async () => {
    id = await postTipForId(t);
  });

  const status = async () => t.app.services.db.selectFrom('tips').select(['status', 'referredTo', 'disposition', 'closedAt', 'firstReviewedAt']).where('id', '=', id).executeTakeFirstOrThrow();
  const move = (who: SignedIn, fields: Record<string, string>) => who.post(`/console/tips/${id}/status`, fields, `/console/tips/${id}`);

  it('refuses a skipped step with a message and leaves the tip as it was', async () => {
    const res = await move(reviewer, { to: 'closed', disposition: 'spam' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/tips/${id}?error=skipped`);
    expect((await status()).status).toBe('new');
    const page = await reviewer.get(res.headers.location as string);
    expect(page.body).toContain('That step is not allowed');
  });

  it('walks the tip through review, referral and closing, each step audited', async () => {
    expect((await move(reviewer, { to: 'in_review' })).headers.location).toBe(`/console/tips/${id}?done=status`);
    expect((await status()).firstReviewedAt).not.toBeNull();
    expect((await move(reviewer, { to: 'referred' })).headers.location).toBe(`/console/tips/${id}?error=agency`);
    expect((await move(reviewer, { to: 'referred', referredTo: 'labour_standards' })).headers.location).toBe(`/console/tips/${id}?done=status`);
    expect(await status()).toMatchObject({ status: 'referred', referredTo: 'labour_standards' });
    expect((await move(reviewer, { to: 'closed' })).headers.location).toBe(`/console/tips/${id}?error=disposition`);
    t.clock.advance(1000);
    expect((await move(reviewer, { to: 'closed', disposition: 'actionable' })).headers.location).toBe(`/console/tips/${id}?done=status`);
    const closed = await status();
    expect(closed).toMatchObject({ status: 'closed', disposition: 'actionable' });
    expect(closed.closedAt).toBe(t.clock.now().toISOString());
    const audit = await t.app.services.db.selectFrom('auditLog').select('detail').where('action', '=', 'tip.status').where('targetId', '=', id).orderBy('seq').execute();
    expect(audit.map((a: { detail: string }) => JSON.parse(a.detail).to)).toEqual(['in_review', 'referred', 'closed']);
  });

  it('reopens a closed tip into review, clearing its closing', async () => {
    await move(reviewer, { to: 'in_review' });
    await move(reviewer, { to: 'closed', disposition: 'spam' });
    expect((await status()).status).toBe('closed');
    await move(reviewer, { to: 'in_review' });
    expect(await status()).toMatchObject({ status: 'in_review', disposition: null, closedAt: null });
  });

  it('keeps status changes to those who triage', async () => {
    await move(reviewer, { to: 'in_review' });
    const res = await move(investigator, { to: 'investigating' });
    expect(res.statusCode).toBe(403);
    expect((await status()).status).toBe('in_review');
  });
});

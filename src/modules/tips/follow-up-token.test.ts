import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfFrom } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip, receiptFrom } from './testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
});
afterAll(async () => t.close());

const EXPIRED = 'This page had been open for a long time. Please type your code again.';

describe('the follow-up code form', () => {
  it('opens nothing for a right code posted without the form token or with another form’s, and asks for the code again', async () => {
    const receipt = receiptFrom((await postTip(t, basicTip())).body);
    const tipForm = await t.app.inject({ url: '/tip', remoteAddress: '203.0.113.71' });
    for (const token of [undefined, 'not-a-token', csrfFrom(tipForm.body)]) {
      const payload = token === undefined ? { receipt } : { receipt, _csrf: token };
      const res = await t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: '203.0.113.71', payload });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(EXPIRED);
      expect(res.body).not.toContain('No messages yet.');
      expect(res.body).not.toContain(receipt);
    }
    const page = await t.app.inject({ url: '/tip/follow-up', remoteAddress: '203.0.113.71' });
    const opened = await t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: '203.0.113.71', payload: { receipt, _csrf: csrfFrom(page.body) } });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('No messages yet.');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfFrom } from '../../../test/helpers/staff.ts';
import { FREE_ATTEMPTS } from './follow-up.service.ts';
import { basicTip, createOfficeKey, postTip, receiptFrom } from './testing.ts';

/**
 * Receipt codes sent all at once count as codes sent one by one: each try is counted before its
 * code is checked, so a burst gets no more checks than patience would. With the memory limiter
 * and, when a Redis server is given, the shared one.
 */

const limiters: [string, Record<string, string>][] = [['memory limiter', {}]];
if (process.env.TEST_REDIS_URL) limiters.push(['Redis limiter', { REDIS_URL: process.env.TEST_REDIS_URL }]);

describe.each(limiters)('receipt guesses (%s)', (_name, env) => {
  let t: TestApp;
  let receipt: string;
  beforeAll(async () => {
    t = await createTestApp({ env });
    await createOfficeKey(t);
    receipt = receiptFrom((await postTip(t, basicTip({ whatHappened: 'A tip for the guessing burst.' }))).body);
  });
  afterAll(async () => t.close());

  // A fresh address per test: the Redis counters outlive one app.
  const address = () => `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}::${Math.floor(Math.random() * 0xffff).toString(16)}`;
  const wrongCode = () => `${receipt.slice(0, 15)}${(Number(receipt[15]) + 1) % 10}`;
  async function openWith(code: string, ip: string) {
    const page = await t.app.inject({ url: '/tip/follow-up', remoteAddress: ip });
    return t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: ip, payload: { receipt: code, _csrf: csrfFrom(page.body) } });
  }

  it('checks six of sixty wrong codes sent at once, as it checks six sent one by one, and refuses the rest', async () => {
    const ip = address();
    const answers = await Promise.all(Array.from({ length: 60 }, () => openWith(wrongCode(), ip)));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(FREE_ATTEMPTS + 1).fill(422), ...Array<number>(60 - FREE_ATTEMPTS - 1).fill(429)]);
    // The wait is the sixth wrong code's 5 seconds, not the sixtieth's: the refused ones start none.
    const after = await openWith(receipt, ip);
    expect(after.statusCode).toBe(429);
    expect(Number(after.headers['retry-after'])).toBeLessThanOrEqual(5);
    // And when it is over, the right code from the same address gets in.
    t.clock.advance(Number(after.headers['retry-after']) * 1000);
    expect((await openWith(receipt, ip)).statusCode).toBe(200);
  });

  it('counts the wrong codes of one IPv6 /64 together, whichever of its addresses they come from', async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    for (let i = 0; i <= FREE_ATTEMPTS; i++) expect((await openWith(wrongCode(), `${prefix}::${(i + 1).toString(16)}`)).statusCode).toBe(422);
    expect((await openWith(receipt, `${prefix}:abcd::99`)).statusCode).toBe(429);
    expect((await openWith(receipt, `${prefix.slice(0, -1)}2::1`)).statusCode).toBe(200);
  });

  it('does not count the right code as a guess', async () => {
    const ip = address();
    for (let i = 0; i < FREE_ATTEMPTS - 1; i++) expect((await openWith(wrongCode(), ip)).statusCode).toBe(422);
    for (let i = 0; i < 3; i++) expect((await openWith(receipt, ip)).statusCode).toBe(200);
    const fifth = await openWith(wrongCode(), ip);
    expect(fifth.statusCode).toBe(422);
    expect(fifth.body).not.toContain('Please wait');
  });
});

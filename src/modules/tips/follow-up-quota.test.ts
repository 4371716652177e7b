import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfFrom } from '../../../test/helpers/staff.ts';
import { contextFor, PUBLIC } from '../../core/context.ts';
import { addTipsterMessage, openByReceipt, type OpenedTip } from './follow-up.service.ts';
import { loadReceiptKeys } from './receipt-keys.ts';
import { basicTip, createOfficeKey, multipart, type Part, postTip, receiptFrom } from './testing.ts';

let t: TestApp;
let clients = 0;
const db = () => t.app.services.db;

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
});
afterAll(async () => t.close());

/** A fresh tip from a client of its own; answers its receipt and id. */
async function newTip(): Promise<{ receipt: string; id: string }> {
  clients++;
  const marker = `Quota tip ${clients} with its own words.`;
  const res = await postTip(t, basicTip({ whatHappened: marker }), [], { ip: `198.51.100.${clients}` });
  expect(res.statusCode).toBe(200);
  const receipt = receiptFrom(res.body);
  const opened = await open(receipt);
  return { receipt, id: opened.row.id };
}

async function open(receipt: string): Promise<OpenedTip> {
  const opened = await openByReceipt(contextFor(t.app.services, PUBLIC), await loadReceiptKeys(t.app.services), receipt);
  if (!opened) throw new Error('the receipt opens no tip');
  return opened;
}

const messagesOf = async (id: string) => (await db().selectFrom('tipMessages').select('id').where('tipId', '=', id).execute()).length;

describe('follow-up quotas', () => {
  it('lets thirty parallel messages through one receipt add no more than the daily limit', async () => {
    const { receipt, id } = await newTip();
    const opened = await open(receipt);
    const ctx = contextFor(t.app.services, PUBLIC);
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => addTipsterMessage(ctx, opened, `message ${i}`, [])));
    expect(outcomes.filter((o) => o === 'stored').length).toBe(t.config.followUpQuota.messages);
    expect(outcomes.filter((o) => o === 'over_quota').length).toBe(30 - t.config.followUpQuota.messages);
    expect(await messagesOf(id)).toBe(t.config.followUpQuota.messages);
  });

  it('counts bytes per day, refuses what would pass them, and starts again the next day', async () => {
    const { receipt, id } = await newTip();
    const opened = await open(receipt);
    const base = contextFor(t.app.services, PUBLIC);
    // An office that set a 1,000-byte day (TIP_FOLLOW_UP_*): the quota comes from the config.
    const ctx = { ...base, config: { ...base.config, followUpQuota: { messages: 100, bytes: 1000 } } };
    expect(await addTipsterMessage(ctx, opened, 'a'.repeat(600), [])).toBe('stored');
    expect(await addTipsterMessage(ctx, opened, 'b'.repeat(600), [])).toBe('over_quota');
    expect(await addTipsterMessage(ctx, opened, 'c'.repeat(400), [])).toBe('stored');
    expect(await addTipsterMessage(ctx, opened, 'd', [])).toBe('over_quota');
    // One message larger than a whole day's allowance never fits.
    expect(await addTipsterMessage(ctx, opened, 'e'.repeat(1001), [])).toBe('over_quota');
    t.clock.advance(24 * 3600_000);
    expect(await addTipsterMessage(ctx, opened, 'f'.repeat(600), [])).toBe('stored');
    expect(await messagesOf(id)).toBe(3);
  });

  it('takes its limits from the configuration', async () => {
    const small = await createTestApp({ env: { TIP_FOLLOW_UP_MESSAGES_PER_DAY: '3', TIP_FOLLOW_UP_MB_PER_DAY: '2' } });
    try {
      expect(small.config.followUpQuota).toEqual({ messages: 3, bytes: 2 * 1024 * 1024 });
      await createOfficeKey(small);
      const res = await postTip(small, basicTip({ whatHappened: 'A tip on an office with a small quota.' }), [], { ip: '198.51.100.250' });
      const opened = await openByReceipt(contextFor(small.app.services, PUBLIC), await loadReceiptKeys(small.app.services), receiptFrom(res.body));
      const ctx = contextFor(small.app.services, PUBLIC);
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => addTipsterMessage(ctx, opened!, `message ${i}`, [])));
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(3);
    } finally {
      await small.close();
    }
  });

  it('answers a message over the quota with a translated message, keeping what was typed', async () => {
    const { receipt, id } = await newTip();
    // Today's allowance already used up by this receipt.
    await db().updateTable('tips').set({ quotaDay: t.clock.now().toISOString().slice(0, 10), quotaMessages: t.config.followUpQuota.messages }).where('id', '=', id).execute();
    for (const [locale, text] of [['', 'This receipt has sent as many messages'], ['/es', 'Este recibo ya envió tantos mensajes']] as const) {
      const ip = '192.0.2.77';
      const page = await t.app.inject({ url: `${locale}/tip/follow-up`, remoteAddress: ip });
      const conversation = await t.app.inject({ method: 'POST', url: `${locale}/tip/follow-up`, remoteAddress: ip, payload: { receipt, _csrf: csrfFrom(page.body) } });
      const parts: Part[] = [['_csrf', csrfFrom(conversation.body)], ['receipt', receipt], ['message', 'The van comes back every Friday night.']];
      const res = await t.app.inject({ method: 'POST', url: `${locale}/tip/follow-up/message`, remoteAddress: ip, ...multipart(parts) });
      expect(res.statusCode).toBe(429);
      expect(res.body).toContain(text);
      expect(res.body).toContain('The van comes back every Friday night.');
    }
    expect(await messagesOf(id)).toBe(0);
  });
});

import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { contextFor, PUBLIC } from '../../core/context.ts';
import { formatReceipt } from './crypto.ts';
import { FREE_ATTEMPTS, ReceiptThrottle, waitAfter } from './follow-up.service.ts';
import { basicTip, createOfficeKey, multipart, type Part, postTip, receiptFrom } from './testing.ts';

let t: TestApp;
let reviewer: SignedIn;
let receipt: string;
let tipId: string;

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await signIn(t, await createStaff(t, ['tip_reviewer']));
});
afterAll(async () => t.close());

// A tip of each test's own, with no reply or message yet.
beforeEach(async () => {
  const before = (await t.app.services.db.selectFrom('tips').select('id').execute()).map((r) => r.id);
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).png().toBuffer();
  const res = await postTip(t, basicTip(), [{ filename: 'shift-schedule.png', type: 'image/png', data: png }]);
  receipt = receiptFrom(res.body);
  tipId = (await t.app.services.db.selectFrom('tips').select('id').where('id', 'not in', before.length ? before : ['-']).executeTakeFirstOrThrow()).id;
});

afterEach(() => {
  // Nothing a test does here may log an error.
  expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
});

async function openWith(code: string, ip = '203.0.113.50') {
  const page = await t.app.inject({ url: '/tip/follow-up', remoteAddress: ip });
  return t.app.inject({ method: 'POST', url: '/tip/follow-up', remoteAddress: ip, payload: { receipt: code, _csrf: csrfFrom(page.body) } });
}

async function sendMessage(fields: Record<string, string>, files: { filename: string; type: string; data: Buffer }[] = [], ip = '203.0.113.50') {
  const page = await openWith(receipt, ip);
  const parts: Part[] = [['_csrf', csrfFrom(page.body)], ...Object.entries(fields), ...files.map((f) => ['files', f] as Part)];
  return t.app.inject({ method: 'POST', url: '/tip/follow-up/message', remoteAddress: ip, ...multipart(parts) });
}

describe('following up with a receipt code', () => {
  it('asks for the code on a page that sets no cookie and is never cached', async () => {
    const res = await t.app.inject({ url: '/es/tip/follow-up' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Código de recibo');
    expect(res.body).toMatch(/name="receipt"[^>]*autocomplete="off"/);
  });

  it('opens the status and the conversation with the code, typed with or without spaces', async () => {
    for (const typed of [receipt, formatReceipt(receipt), ` ${receipt.slice(0, 8)}-${receipt.slice(8)} `]) {
      const res = await openWith(typed);
      expect(res.statusCode).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('Received');
      expect(res.body).toContain('shift-schedule.png');
      expect(res.body).toContain('No messages yet.');
    }
  });

  it('shows a staff reply and the new status to the tipster, and never staff notes', async () => {
    const page = await reviewer.get(`/console/tips/${tipId}`);
    expect(page.statusCode).toBe(200);
    expect((await reviewer.post(`/console/tips/${tipId}/reply`, { reply: 'Thank you, can you tell us the street?' }, `/console/tips/${tipId}`)).statusCode).toBe(303);
    expect((await reviewer.post(`/console/tips/${tipId}/notes`, { note: 'internal: call the labour inspector' }, `/console/tips/${tipId}`)).statusCode).toBe(303);
    expect((await reviewer.post(`/console/tips/${tipId}/status`, { to: 'in_review' }, `/console/tips/${tipId}`)).statusCode).toBe(303);
    const res = await openWith(receipt);
    expect(res.body).toContain('Thank you, can you tell us the street?');
    expect(res.body).toContain('From the office');
    expect(res.body).toContain('In review');
    expect(res.body).not.toContain('labour inspector');
  });

  it('lets the tipster add a message and a file, which staff then read', async () => {
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#aa0000' } }).jpeg().toBuffer();
    const res = await sendMessage({ receipt, message: 'It is on Elm Street, behind the laundromat.' }, [{ filename: 'door.jpg', type: 'image/jpeg', data: photo }]);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Your message was sent.');
    expect(res.body).toContain('Elm Street, behind the laundromat');
    expect(res.body).toContain('door.jpg');
    const row = await t.app.services.db.selectFrom('tips').select('tipsterWaiting').where('id', '=', tipId).executeTakeFirstOrThrow();
    expect(row.tipsterWaiting).toBe(1);
    const staffView = await reviewer.get(`/console/tips/${tipId}`);
    expect(staffView.body).toContain('Elm Street, behind the laundromat');
    expect(staffView.body).toContain('door.jpg');
  });

  it('keeps the message when a file is too big, answering with the conversation (413)', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 1);
    const res = await sendMessage({ receipt, message: 'A long video still attached' }, [{ filename: 'still.png', type: 'image/png', data: big }]);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('A long video still attached</textarea>');
    expect(res.body).toContain('is larger than 10 MB');
  });

  it('says a malformed code is malformed without counting it as a guess', async () => {
    const res = await openWith('12345', '203.0.113.77');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('A receipt code has 16 digits.');
  });
});

describe('wrong codes', () => {
  const wrongOf = (code: string) => (code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`);

  it('allows five wrong codes, then makes the client wait seconds, not an hour, even for the right code', async () => {
    const ip = '198.51.100.23';
    const wrong = wrongOf(receipt);
    for (let i = 0; i < FREE_ATTEMPTS; i++) {
      const res = await openWith(wrong, ip);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('That code does not open a tip.');
      expect(res.body).not.toContain(wrong);
    }
    const sixth = await openWith(wrong, ip);
    expect(sixth.statusCode).toBe(422);
    expect(sixth.body).toContain('Please wait 5 seconds, then press');
    expect(sixth.body).not.toContain(wrong);
    const waiting = await openWith(formatReceipt(receipt), ip);
    expect(waiting.statusCode).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBe(5);
    expect(waiting.body).not.toContain('No messages yet');
    // Put off, not judged: the code typed goes back in the box, and nothing says whether it is right.
    expect(waiting.body).toContain(`value="${formatReceipt(receipt)}"`);
    expect(waiting.body).toContain('Your code is still in the box.');
    expect(waiting.body).not.toContain('That code does not open a tip.');
    // Another client is not held up by this one, and this one only for the wait.
    expect((await openWith(receipt, '198.51.100.24')).statusCode).toBe(200);
    t.clock.advance(5_000);
    expect((await openWith(receipt, ip)).statusCode).toBe(200);
  });

  it('grows the wait by five seconds a wrong code, to thirty seconds at most', async () => {
    expect([5, 6, 7, 8, 9, 10, 11, 12, 400].map(waitAfter)).toEqual([0, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 30_000, 30_000]);
    const throttle = new ReceiptThrottle(contextFor(t.app.services, PUBLIC));
    const address = '192.0.2.1';
    // Each try is counted before its code is checked: allowed tries say the wait a wrong code starts.
    for (let i = 0; i < FREE_ATTEMPTS; i++) expect(await throttle.attempt(address)).toMatchObject({ allowed: true, waitSeconds: 0 });
    expect(await throttle.attempt(address)).toMatchObject({ allowed: true, waitSeconds: 5 });
    expect(await throttle.attempt(address)).toEqual({ allowed: false, waitSeconds: 5, reason: 'client' });
    t.clock.advance(5_000);
    expect(await throttle.attempt(address)).toMatchObject({ allowed: true, waitSeconds: 10 });
    t.clock.advance(6_000);
    expect(await throttle.attempt(address)).toEqual({ allowed: false, waitSeconds: 4, reason: 'client' });
    t.clock.advance(4_000);
    expect(await throttle.attempt(address)).toMatchObject({ allowed: true, waitSeconds: 15 });
    expect(await throttle.attempt('192.0.2.2')).toMatchObject({ allowed: true, waitSeconds: 0 });
  });

  it('keeps a tipster behind a busy guesser on the same address out for thirty seconds at most', async () => {
    // Every onion user arrives from the Tor daemon: one address for the guesser and the tipster.
    const tor = '127.0.0.1';
    const wrong = wrongOf(receipt);
    // A guesser who keeps going for a quarter of an hour, each try as soon as it is let in.
    for (let i = 0; i < 40; i++) {
      const res = await openWith(wrong, tor);
      if (res.statusCode === 429) {
        const wait = Number(res.headers['retry-after']);
        expect(wait).toBeLessThanOrEqual(30);
        t.clock.advance(wait * 1000);
      } else expect(res.statusCode).toBe(422);
    }
    const held = await openWith(receipt, tor);
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeLessThanOrEqual(30);
    t.clock.advance(Number(held.headers['retry-after']) * 1000);
    const opened = await openWith(receipt, tor);
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('No messages yet.');
    // An hour after its first wrong code the address starts again with its free tries.
    t.clock.advance(3600_000);
    for (let i = 0; i < FREE_ATTEMPTS; i++) expect((await openWith(wrong, tor)).body).not.toContain('Please wait');
  });
});

describe('wrong codes through the message form', () => {
  let code: string;
  let ownTip: string;

  /** What the conversation page posts: its token, the code in the hidden field, a message. */
  async function postWithCode(typed: string, message: string, ip: string, locale = '') {
    const page = await t.app.inject({ url: `${locale}/tip/follow-up`, remoteAddress: ip });
    const parts: Part[] = [['_csrf', csrfFrom(page.body)], ['receipt', typed], ['message', message]];
    return t.app.inject({ method: 'POST', url: `${locale}/tip/follow-up/message`, remoteAddress: ip, ...multipart(parts) });
  }

  const messagesOf = async (id: string) => (await t.app.services.db.selectFrom('tipMessages').select('bodyBox').where('tipId', '=', id).execute()).length;
  const waitingOf = async (id: string) => (await t.app.services.db.selectFrom('tips').select('tipsterWaiting').where('id', '=', id).executeTakeFirstOrThrow()).tipsterWaiting;
  // The code with one digit changed: the nearest a guess can come without being right.
  const wrongCode = () => `${code.slice(0, 15)}${(Number(code[15]) + 1) % 10}`;

  beforeEach(async () => {
    const before = (await t.app.services.db.selectFrom('tips').select('id').execute()).map((r) => r.id);
    code = receiptFrom((await postTip(t, basicTip({ whatHappened: 'A tip for guessing through the message form.' }))).body);
    ownTip = (await t.app.services.db.selectFrom('tips').select('id').where('id', 'not in', before).executeTakeFirstOrThrow()).id;
  });

  it('stores no message for a wrong code, and says so in the page language', async () => {
    const res = await postWithCode(wrongCode(), 'Sent with a wrong code', '203.0.113.120', '/es');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<html lang="es"');
    expect(res.body).toContain('Ese código no abre ningún aviso.');
    expect(await messagesOf(ownTip)).toBe(0);
    expect(await waitingOf(ownTip)).toBe(0);
    // The same post with the right code is stored: the refusal above was the code's.
    const right = await postWithCode(code, 'Sent with the right code', '203.0.113.121', '/es');
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('Su mensaje se envió.');
    expect(await messagesOf(ownTip)).toBe(1);
  });

  it('counts toward the same limit as the code form, then makes even the right code wait, storing nothing', async () => {
    const ip = '198.51.100.123';
    const before = await messagesOf(ownTip);
    // Wrong codes from both forms, one limit: the free attempts run out across them.
    for (let i = 0; i < FREE_ATTEMPTS - 2; i++) expect((await openWith(wrongCode(), ip)).statusCode).toBe(422);
    for (let i = 0; i < 2; i++) {
      const res = await postWithCode(wrongCode(), `wrong guess ${i}`, ip, '/es');
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('Ese código no abre ningún aviso.');
      expect(res.body).not.toContain('Se probaron demasiados códigos incorrectos');
    }
    const sixth = await postWithCode(wrongCode(), 'the guess past the limit', ip, '/es');
    expect(sixth.statusCode).toBe(422);
    expect(sixth.body).toContain('Se probaron demasiados códigos incorrectos desde esta conexión.');
    // Now both forms make this client wait, whatever code it sends.
    const viaForm = await openWith(code, ip);
    expect(viaForm.statusCode).toBe(429);
    expect(viaForm.body).not.toContain('A tip for guessing');
    const viaMessage = await postWithCode(code, 'right code while waiting', ip, '/es');
    expect(viaMessage.statusCode).toBe(429);
    expect(Number(viaMessage.headers['retry-after'])).toBeGreaterThan(0);
    expect(viaMessage.body).toContain('<html lang="es"');
    expect(viaMessage.body).toContain('Se probaron demasiados códigos incorrectos');
    expect(await messagesOf(ownTip)).toBe(before);
    // The wait is this client's alone.
    expect((await postWithCode(code, 'from another connection', '198.51.100.124')).statusCode).toBe(200);
  });

  it('keeps the message and the code through the wait, posting them where they were going, and takes them after it', async () => {
    const ip = '198.51.100.125';
    for (let i = 0; i <= FREE_ATTEMPTS; i++) expect((await openWith(wrongCode(), ip)).statusCode).toBe(422);
    const page = await t.app.inject({ url: '/es/tip/follow-up', remoteAddress: ip });
    const photo = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#00aa00' } }).png().toBuffer();
    const parts: Part[] = [['_csrf', csrfFrom(page.body)], ['receipt', code], ['message', 'The van comes back on Fridays.'], ['files', { filename: 'van.png', type: 'image/png', data: photo }]];
    const waiting = await t.app.inject({ method: 'POST', url: '/es/tip/follow-up/message', remoteAddress: ip, ...multipart(parts) });
    expect(waiting.statusCode).toBe(429);
    expect(waiting.body).toContain('Espere 5 segundos y vuelva a pulsar');
    expect(waiting.body).toContain('The van comes back on Fridays.</textarea>');
    expect(waiting.body).toContain(`value="${code}"`);
    expect(waiting.body).toContain('adjunte sus archivos otra vez');
    expect(waiting.body).toMatch(/action="\/es\/tip\/follow-up\/message" enctype="multipart\/form-data"/);
    expect(await messagesOf(ownTip)).toBe(0);
    t.clock.advance(Number(waiting.headers['retry-after']) * 1000);
    const sent = await postWithCode(code, 'The van comes back on Fridays.', ip, '/es');
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Su mensaje se envió.');
    expect(await messagesOf(ownTip)).toBe(1);
  });
});

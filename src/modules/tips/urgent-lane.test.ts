import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, postTip } from './testing.ts';

const SLOW = 'slow-mailbox@example.org';

/**
 * A loopback SMTP server that takes every message, but answers none addressed to SLOW: it reads
 * them and stalls, as a mail server does when its disk or its spam filter hangs.
 */
async function startSmtp() {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      stream.resume();
      if (to.includes(SLOW)) return;
      stream.on('end', () => {
        received.push(...to);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;
beforeAll(async () => {
  smtp = await startSmtp();
  // Short socket waits so the stalled sends end within the test; the lanes are what is tested.
  t = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true&socketTimeout=3000` } });
  await createOfficeKey(t);
});
afterAll(async () => {
  await t.app.services.jobs.stop();
  await t.close();
  await smtp.close();
});

it('sends the urgent-tip notice while every ordinary worker is stuck on a hung mail server', async () => {
  const reader = await createStaff(t, ['tip_reviewer'], { email: 'urgent-reader@example.org' });
  const { db, mailer } = t.app.services;
  // More ordinary messages than one process has workers for, each of which the server stalls.
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < 8; i++) await mailer.queue(trx, SLOW, { template: 'test.slow', subject: `slow ${i}`, text: 'slow', html: '<p>slow</p>' });
  });
  await postTip(t, basicTip({ danger: 'yes' }));
  const clockAtTip = t.clock.now().getTime();

  t.app.services.jobs.start(25);
  // Real time only waits for sockets; the manual clock never moves, so the notice goes out in
  // the very minute the tip arrived, not after the ordinary lane clears.
  const urgent = () => db.selectFrom('outbox').select(['state', 'template']).where('toAddress', '=', reader.account.email).execute();
  for (let i = 0; i < 100 && (await urgent())[0]?.state !== 'sent'; i++) await new Promise((r) => setTimeout(r, 25));
  expect(await urgent()).toEqual([{ state: 'sent', template: 'tips.urgent' }]);
  expect(smtp.received).toContain(reader.account.email);
  expect(t.clock.now().getTime() - clockAtTip).toBeLessThan(60_000);

  await t.app.services.jobs.stop();
  // The stalled sends ended on their own timeout and wait for a retry; none was sent twice.
  const slow = await db.selectFrom('outbox').select(['state', 'attempts', 'lastError']).where('toAddress', '=', SLOW).execute();
  expect(slow.some((row) => row.attempts === 1 && row.state === 'queued' && /timeout|timed out/i.test(row.lastError ?? ''))).toBe(true);
  expect(slow.every((row) => row.attempts <= 1 && row.state !== 'sent')).toBe(true);
});

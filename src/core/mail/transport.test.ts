import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_MS } from '../jobs/queue.ts';
import { createMailTransport, SMTP_TIMEOUTS, smtpOptions } from './transport.ts';

/** A loopback SMTP server that greets, takes the envelope and the message, then never answers. */
async function startStallingSmtp() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream) {
      // Read the message and never call back: the client waits for a reply that does not come.
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('SMTP timeouts', () => {
  it('are each well inside the job lease, whatever SMTP_URL asks for', () => {
    const asked = smtpOptions('smtp://mail.example.org:587?connectionTimeout=600000&greetingTimeout=600000&socketTimeout=600000&ignoreTLS=true');
    for (const name of Object.keys(SMTP_TIMEOUTS) as (keyof typeof SMTP_TIMEOUTS)[]) {
      expect(asked[name], name).toBeLessThanOrEqual(LEASE_MS / 4);
      expect(smtpOptions('smtp://mail.example.org:587')[name], name).toBeLessThanOrEqual(LEASE_MS / 4);
    }
    // Other settings in the query still reach nodemailer, and a shorter wait is kept.
    expect(new URL(asked.url).searchParams.get('ignoreTLS')).toBe('true');
    expect(smtpOptions('smtp://mail.example.org?socketTimeout=200').socketTimeout).toBe(200);
  });

  describe('against a server that accepts and then stalls', () => {
    let smtp: Awaited<ReturnType<typeof startStallingSmtp>>;
    beforeAll(async () => {
      smtp = await startStallingSmtp();
    });
    afterAll(async () => smtp.close());

    it('gives up on the send once the socket has been quiet for its timeout', async () => {
      const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true&socketTimeout=300`, dataDir: os.tmpdir() });
      const started = performance.now();
      try {
        await expect(transport.send({ from: 'office@example.org', to: 'reader@example.org', subject: 's', text: 't', html: '<p>t</p>' })).rejects.toThrow(/timeout|timed out/i);
      } finally {
        transport.close();
      }
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  });
});

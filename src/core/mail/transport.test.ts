import net, { type AddressInfo } from 'node:net';
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

/**
 * A loopback server that greets, then answers EHLO with a reply that never ends: one more line
 * every 50 ms, so the socket is never quiet long enough for the socket timeout.
 */
async function startTricklingSmtp() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let timer: NodeJS.Timeout | undefined;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
    socket.write('220 trickle.example ESMTP\r\n');
    socket.once('data', () => {
      timer = setInterval(() => socket.write('250-still thinking\r\n'), 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    openConnections: () => sockets.size,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
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

  describe('against a server that trickles its reply', () => {
    let smtp: Awaited<ReturnType<typeof startTricklingSmtp>>;
    beforeAll(async () => {
      smtp = await startTricklingSmtp();
    });
    afterAll(async () => smtp.close());

    it('gives up at the send deadline although the socket is never quiet, and closes the connection', async () => {
      const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true&socketTimeout=300&sendTimeout=600`, dataDir: os.tmpdir() });
      try {
        await expect(transport.send({ from: 'office@example.org', to: 'reader@example.org', subject: 's', text: 't', html: '<p>t</p>' })).rejects.toThrow(/abort|timeout|timed out/i);
      } finally {
        transport.close();
      }
      await expect.poll(() => smtp.openConnections()).toBe(0);
    });
  });
});

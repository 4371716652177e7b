import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Received = { envelopeTo: string[]; raw: string };

/** A real SMTP server on loopback that keeps what it receives; `refuse` answers RCPT TO with 450. */
export async function startSmtp(options: { refuse?: () => boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (options.refuse?.()) return callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 450 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  // ignoreTLS keeps the loopback session in plain text (nodemailer reads it from the URL's query).
  return { port, url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export type ReadMail = { to: string; from: string; subject: string; contentType: string; text: string; html: string };

const addresses = (value: AddressObject | AddressObject[] | undefined) => (Array.isArray(value) ? value.map((a) => a.text).join(', ') : (value?.text ?? ''));

/** A raw message as a mail client reads it, through mailparser: headers decoded, parts split. */
export async function readMail(raw: string): Promise<ReadMail> {
  const mail = await simpleParser(raw);
  const contentType = mail.headers.get('content-type');
  return {
    to: addresses(mail.to),
    from: addresses(mail.from),
    subject: mail.subject ?? '',
    contentType: typeof contentType === 'object' && contentType && 'value' in contentType ? String(contentType.value) : String(contentType ?? ''),
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
  };
}

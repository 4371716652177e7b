import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export type OutgoingMail = { from: string; to: string; subject: string; text: string; html: string; messageId?: string };

export type MailTransport = {
  /** Where mail goes, for the console: `smtp://host:port` or the outbox folder. */
  readonly description: string;
  /** `smtp`: sent mail leaves this machine; `folder`: the .eml file is the delivery. */
  readonly kind: 'smtp' | 'folder';
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** Deletes what this transport kept of a sent message (the folder's .eml file); SMTP keeps nothing. */
  eraseCopy(messageId: string): void;
  close(): void;
};

/** The part of a folder message's file name that comes from its message id. */
const fileStem = (messageId: string) => messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24);

/**
 * How long SMTP may take, in ms: to connect, for the server's greeting, between two reads on the
 * socket, and for the whole send. Nodemailer's own waits run to ten minutes, past the job lease
 * (five), and a send still waiting then would be taken by a second worker. The socket wait alone
 * does not bound a server that trickles a byte now and then, so the whole send has a deadline
 * too. SMTP_URL's query may set shorter ones.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 45_000, sendTimeout: 60_000 } as const;

type SmtpTimeouts = Record<keyof typeof SMTP_TIMEOUTS, number>;

/** Nodemailer options for SMTP_URL, and the send deadline, with every wait bounded by `SMTP_TIMEOUTS`. */
export function smtpOptions(smtpUrl: string): { url: string } & SmtpTimeouts {
  const url = new URL(smtpUrl);
  const bounded = (name: keyof typeof SMTP_TIMEOUTS) => {
    const asked = Number(url.searchParams.get(name));
    url.searchParams.delete(name);
    return asked > 0 ? Math.min(asked, SMTP_TIMEOUTS[name]) : SMTP_TIMEOUTS[name];
  };
  const timeouts: SmtpTimeouts = {
    connectionTimeout: bounded('connectionTimeout'),
    greetingTimeout: bounded('greetingTimeout'),
    socketTimeout: bounded('socketTimeout'),
    sendTimeout: bounded('sendTimeout'),
  };
  return { url: url.toString(), ...timeouts };
}

/**
 * SMTP when SMTP_URL is set; otherwise each message is written as an .eml file under
 * `<dataDir>/outbox`, which an administrator can read in the console. Mail is never dropped.
 */
export function createMailTransport(options: { smtpUrl: string | undefined; dataDir: string }): MailTransport {
  if (options.smtpUrl) {
    const { sendTimeout, ...transportOptions } = smtpOptions(options.smtpUrl);
    const transporter = nodemailer.createTransport(transportOptions);
    const url = new URL(options.smtpUrl);
    return {
      kind: 'smtp',
      eraseCopy: () => undefined,
      description: `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`,
      async send(mail) {
        // Aborting closes this send's own connection; nodemailer makes one per message.
        const info = await transporter.sendMail({ ...mail, signal: AbortSignal.timeout(sendTimeout) });
        return { messageId: info.messageId };
      },
      close: () => transporter.close(),
    };
  }
  const dir = path.join(options.dataDir, 'outbox');
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'folder',
    description: dir,
    eraseCopy(messageId) {
      const suffix = `-${fileStem(messageId)}.eml`;
      if (!fs.existsSync(dir)) return;
      for (const name of fs.readdirSync(dir)) if (name.endsWith(suffix)) fs.rmSync(path.join(dir, name), { force: true });
    },
    async send(mail) {
      const info = await transporter.sendMail(mail);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${fileStem(info.messageId)}.eml`;
      fs.writeFileSync(path.join(dir, name), info.message as Buffer, { mode: 0o600 });
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

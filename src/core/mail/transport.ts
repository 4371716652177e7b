import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export type OutgoingMail = { from: string; to: string; subject: string; text: string; html: string; messageId?: string };

export type MailTransport = {
  /** Where mail goes, for the console: `smtp://host:port` or the outbox folder. */
  readonly description: string;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
};

/**
 * SMTP when SMTP_URL is set; otherwise each message is written as an .eml file under
 * `<dataDir>/outbox`, which an administrator can read in the console. Mail is never dropped.
 */
export function createMailTransport(options: { smtpUrl: string | undefined; dataDir: string }): MailTransport {
  if (options.smtpUrl) {
    const transporter = nodemailer.createTransport(options.smtpUrl);
    const url = new URL(options.smtpUrl);
    return {
      description: `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`,
      async send(mail) {
        const info = await transporter.sendMail(mail);
        return { messageId: info.messageId };
      },
      close: () => transporter.close(),
    };
  }
  const dir = path.join(options.dataDir, 'outbox');
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: dir,
    async send(mail) {
      const info = await transporter.sendMail(mail);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}.eml`;
      fs.writeFileSync(path.join(dir, name), info.message as Buffer, { mode: 0o600 });
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

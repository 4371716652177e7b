import type { TestApp } from '../../../test/helpers/app.ts';
import { csrfFrom } from '../../../test/helpers/staff.ts';
import { multipart, type Part } from '../../../test/helpers/multipart.ts';
import { newId } from '../../core/crypto/server-secret.ts';
import { generateKeyPair, type KeyPair, toBase64 } from '../../core/crypto/sodium.ts';

/** Test helpers for the tip line: an office key as setup would make it, and forms as a browser sends them. */

export type OfficeKey = { id: string; keyPair: KeyPair; recoveryKey: string };

/**
 * Gives the office a recovery key, as first-run setup does; returns the typed form of the private
 * key. The tip form also waits for a tip reader (see `tipLineState`): unless `waitForReader`, the
 * line is opened as an administrator may open it early, so tests of the form need no reader.
 */
export async function createOfficeKey(t: TestApp, options: { waitForReader?: boolean } = {}): Promise<OfficeKey> {
  if (!options.waitForReader) await t.app.services.settings.update({ tipLineOpenedEarly: true });
  const keyPair = await generateKeyPair();
  const id = newId();
  const db = t.app.services.db;
  const now = t.clock.now().toISOString();
  await db.updateTable('officeKeys').set({ retiredAt: now }).where('retiredAt', 'is', null).execute();
  await db.insertInto('officeKeys').values({ id, publicKey: toBase64(keyPair.publicKey), fingerprint: 'test', createdBy: null, createdAt: now, retiredAt: null }).execute();
  const recoveryKey = `HWRK-${Buffer.from(keyPair.privateKey).toString('hex').toUpperCase().match(/.{4}/g)!.join('-')}`;
  return { id, keyPair, recoveryKey };
}

export { multipart, type Part };

export type ClientOptions = { ip?: string; userAgent?: string; locale?: '' | '/es' };

/** The form token and submission id of a freshly rendered tip form. */
export async function openForm(t: TestApp, path = '/tip', options: ClientOptions = {}): Promise<{ csrf: string; submissionId?: string; html: string }> {
  const res = await t.app.inject({ url: `${options.locale ?? ''}${path}`, remoteAddress: options.ip ?? '203.0.113.10', headers: options.userAgent ? { 'user-agent': options.userAgent } : {} });
  const submissionId = /name="submissionId" value="([^"]+)"/.exec(res.body)?.[1];
  return { csrf: csrfFrom(res.body), submissionId, html: res.body };
}

export type TipFields = Record<string, string | string[]>;
export type TipFile = { filename: string; type: string; data: Buffer };

/** Posts the tip form as a browser would (fields, then files last), with a fresh token. */
export async function postTip(t: TestApp, fields: TipFields, files: TipFile[] = [], options: ClientOptions & { csrf?: string; submissionId?: string } = {}) {
  const form = options.csrf ? { csrf: options.csrf, submissionId: options.submissionId } : await openForm(t, '/tip', options);
  const parts: Part[] = [['_csrf', form.csrf]];
  if (options.submissionId ?? form.submissionId) parts.push(['submissionId', (options.submissionId ?? form.submissionId)!]);
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) parts.push([name, v]);
  }
  for (const file of files) parts.push(['files', file]);
  const body = multipart(parts);
  return t.app.inject({
    method: 'POST',
    url: `${options.locale ?? ''}/tip`,
    remoteAddress: options.ip ?? '203.0.113.10',
    payload: body.payload,
    headers: { ...body.headers, ...(options.userAgent ? { 'user-agent': options.userAgent } : {}) },
  });
}

/** The 16 digits of the receipt code on a receipt page. */
export function receiptFrom(html: string): string {
  const match = /data-receipt[^>]*>([0-9 ]+)</.exec(html);
  if (!match) throw new Error('no receipt code in the page');
  return match[1]!.replace(/ /g, '');
}

/** A minimal valid tip. */
export const basicTip = (extra: TipFields = {}): TipFields => ({ whatHappened: 'Workers sleep in the back of the restaurant.', kind: 'labour', minor: 'no', danger: 'no', ...extra });

/** Posts a tip and answers the id of the one tip the post made (tips carry no time to find it by). */
export async function postTipForId(t: TestApp, fields: TipFields = basicTip()): Promise<string> {
  const tips = () => t.app.services.db.selectFrom('tips').select('id').execute();
  const before = new Set((await tips()).map((r) => r.id));
  const res = await postTip(t, fields);
  if (res.statusCode !== 200) throw new Error(`the tip form answered ${res.statusCode}`);
  const made = (await tips()).filter((r) => !before.has(r.id));
  if (made.length !== 1) throw new Error(`expected one new tip, found ${made.length}`);
  return made[0]!.id;
}

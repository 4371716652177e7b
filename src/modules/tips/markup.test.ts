import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { activeMarkup, attrOf, type ParsedPage, parsePage, textOf } from '../../../test/helpers/html.ts';
import { createStaff, csrfFrom, signIn, type SignedIn } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, multipart, type Part, postTip, receiptFrom } from './testing.ts';

/**
 * Everything a tipster types or names, and everything staff write about a tip, is shown as
 * text: each free-text field, message, note, tag and file name carries its own markup payload,
 * and every page that shows them is parsed as a browser would parse it. A render that let any
 * of them through as HTML would build an element, handler or script that the parse finds.
 */

// One distinct payload per field, each within that field's length limit.
const ANSWERS: Record<string, string> = {
  whatHappened: `whatHappened </dd></dl><form action="https://evil.example"><button formaction="javascript:alert(1)">go</button></form>`,
  whereAddress: 'whereAddress <img src=x onerror=alert(2)>',
  whereCity: 'whereCity <script>alert(3)</script>',
  whereBusiness: 'whereBusiness "><svg onload=alert(4)>',
  whereDetails: `whereDetails '><iframe srcdoc="<script>alert(5)</script>">`,
  when: 'when </textarea><img src=x onerror=alert(6)>',
  peopleCount: 'peopleCount <math><mtext><table><mglyph><style><img src=x onerror=alert(7)>',
  peopleAges: 'peopleAges <a href="javascript:alert(8)">ages</a>',
  signsOther: 'signsOther <!--><img src=x onerror=alert(9)>-->',
  vehicles: 'vehicles <style>@import "https://evil.example/x.css";</style>',
  phones: 'phones <base href="https://evil.example/">',
  online: 'online <meta http-equiv="refresh" content="0;url=https://evil.example">',
};
const CONTACT = 'contactDetails &lt;b&gt; &amp; &#60;img src=x onerror=alert(10)&#62;';
const TYPED: Record<string, string> = { ...ANSWERS, contactDetails: CONTACT };
// File names travel in a multipart header and lose any folder: no quotes or slashes in them.
const FILE_NAMES = { photo: "<svg onload=alert(11)> photo'", pdf: '<img src=x onerror=alert(12)> flyer', later: '<iframe onload=alert(13)> door' };
const MESSAGE = 'message </textarea><script>alert(14)</script><img src=x onerror=alert(15)>';
const REPLY = 'reply <img src=x onerror=alert(16)> "><svg onload=alert(17)>';
const NOTE = 'note <script>alert(18)</script>';
const TAGS = ['"><svg onload=alert(19)>', '<img src=x onerror=alert(20)>'];
const STAFF_NAME = '<img src=x onerror=alert(21)> Reviewer';

let t: TestApp;
let reviewer: SignedIn;
let tipId: string;
let receipt: string;

/** The page parsed, after checking that nothing in it could run or load by itself. */
function inert(html: string): ParsedPage {
  const page = parsePage(html);
  expect(activeMarkup(page)).toEqual([]);
  return page;
}

function expectShownAsText(page: ParsedPage, texts: string[]) {
  for (const text of texts) expect(page.text, text).toContain(text);
}

const byId = (page: ParsedPage, id: string) => page.elements.find((e) => attrOf(e, 'id') === id);

async function openConversation(): Promise<string> {
  const form = await t.app.inject({ url: '/tip/follow-up' });
  const res = await t.app.inject({ method: 'POST', url: '/tip/follow-up', payload: { receipt, _csrf: csrfFrom(form.body) } });
  expect(res.statusCode).toBe(200);
  return res.body;
}

async function postMessage(fields: Part[]) {
  return t.app.inject({ method: 'POST', url: '/tip/follow-up/message', ...multipart([['receipt', receipt], ...fields]) });
}

beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
  reviewer = await signIn(t, await createStaff(t, ['tip_reviewer'], { name: STAFF_NAME }));
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#224466' } }).png().toBuffer();
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
  const res = await postTip(t, basicTip({ ...TYPED, kind: 'sex', minor: 'yes', contactMode: 'details' }), [
    { filename: `${FILE_NAMES.photo}.png`, type: 'image/png', data: png },
    { filename: `${FILE_NAMES.pdf}.pdf`, type: 'application/pdf', data: pdf },
  ]);
  expect(res.statusCode).toBe(200);
  receipt = receiptFrom(res.body);
  tipId = (await t.app.services.db.selectFrom('tips').select('id').executeTakeFirstOrThrow()).id;

  const sent = await postMessage([['_csrf', csrfFrom(await openConversation())], ['message', MESSAGE], ['files', { filename: `${FILE_NAMES.later}.png`, type: 'image/png', data: png }]]);
  expect(sent.statusCode).toBe(200);

  const base = `/console/tips/${tipId}`;
  for (const [path, fields] of [
    ['notes', { note: NOTE }],
    ['tags', { tags: TAGS.join(', ') }],
    ['reply', { reply: REPLY }],
    ['status', { to: 'in_review' }],
    ['status', { to: 'referred', referredTo: 'police' }],
  ] as const) {
    expect((await reviewer.post(`${base}/${path}`, fields, base)).statusCode, path).toBe(303);
  }
});
afterAll(async () => t.close());

describe('markup typed into a tip', () => {
  it('is shown as text on the staff tip page: answers, contact, messages, reply, note, tags, file names', async () => {
    // The page as shown once the contact details are opened (with a reason): everything on it.
    const res = await reviewer.post(`/console/tips/${tipId}/contact`, { reason: 'markup test' }, `/console/tips/${tipId}`);
    expect(res.statusCode).toBe(200);
    const page = inert(res.body);
    expectShownAsText(page, [...Object.values(TYPED), MESSAGE, REPLY, NOTE, ...TAGS, STAFF_NAME]);
    expectShownAsText(page, [`${FILE_NAMES.photo}.png`, `${FILE_NAMES.pdf}.pdf`, `${FILE_NAMES.later}.png`]);
    // Tags come back into their input as the attribute value, quotes and all.
    expect(attrOf(byId(page, 'tags')!, 'value')).toBe(TAGS.join(', '));
    // The answers are each in their own definition, not merged into a neighbour by a stray tag.
    const answers = page.elements.filter((e) => e.tagName === 'dd').map(textOf);
    for (const text of Object.values(ANSWERS)) expect(answers).toContain(text);
  });

  it('is shown as text on the printable handoff', async () => {
    const res = await reviewer.get(`/console/tips/${tipId}/handoff`);
    expect(res.statusCode).toBe(200);
    const page = inert(res.body);
    expectShownAsText(page, [...Object.values(ANSWERS), `${FILE_NAMES.photo}.png`, `${FILE_NAMES.pdf}.pdf`, STAFF_NAME]);
    expect(page.text).not.toContain(CONTACT);
  });

  it('is shown as text to the tipster: their messages, the office reply and their file names', async () => {
    const page = inert(await openConversation());
    expectShownAsText(page, [MESSAGE, REPLY, `${FILE_NAMES.photo}.png`, `${FILE_NAMES.pdf}.pdf`, `${FILE_NAMES.later}.png`]);
    expect(page.text).not.toContain(NOTE);
  });

  it('comes back as text in the tipster message box when the message is refused', async () => {
    const res = await postMessage([['_csrf', 'expired'], ['message', MESSAGE]]);
    expect(res.statusCode).toBe(422);
    const page = inert(res.body);
    expect(textOf(byId(page, 'message')!)).toBe(MESSAGE);
    expect(attrOf(page.elements.find((e) => attrOf(e, 'name') === 'receipt')!, 'value')).toBe(receipt);
  });

  it('comes back as text in every field of a tip form that is refused', async () => {
    const res = await postTip(t, basicTip({ ...TYPED, contactMode: 'details', website: 'robot' }));
    expect(res.statusCode).toBe(422);
    const page = inert(res.body);
    for (const [name, value] of Object.entries(TYPED)) {
      const field = byId(page, name)!;
      expect(field.tagName === 'textarea' ? textOf(field) : attrOf(field, 'value'), name).toBe(value);
    }
  });
});

it('logged no error while doing all of this', () => {
  expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
});

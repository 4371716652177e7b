// The tip line as the benchmarks drive it: an office set up through its real /setup page, and
// tips posted as a browser posts the form. Shared by tips.bench.mjs and burst.bench.mjs.
import { randomInt } from 'node:crypto';

export const BOUNDARY = '----heatwatchbench7d3f';
export const PASSWORD = 'bench office passphrase with enough words 2026';

/** A client address per request: a crowd of tipsters, not one robot. */
export const someAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

export function tipBody(csrf, submissionId, n) {
  const fields = [
    ['_csrf', csrf],
    ['submissionId', submissionId],
    ['whatHappened', `Bench tip ${n}: workers live above the shop and are not paid. They seem afraid to speak.`],
    ['kind', n % 3 === 0 ? 'sex' : 'labour'],
    ['whereCity', 'Bench City'],
    ['whereBusiness', `Bench Business ${n % 50}`],
    ['when', 'every night'],
    ['peopleCount', '4'],
    ['minor', 'unsure'],
    ['danger', n % 20 === 0 ? 'yes' : 'no'],
    ['signs', 'lives_at_work'],
    ['signs', 'unpaid'],
    ['contactMode', 'anonymous'],
  ];
  let body = '';
  for (const [name, value] of fields) body += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  body += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`;
  return `${body}--${BOUNDARY}--\r\n`;
}

export const csrfOf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** The office set up through /setup, exactly as an administrator would: the recovery key is made there. */
export async function setUpOffice(app) {
  let url;
  for (let i = 0; i < 50 && !url; i++) {
    url = /"setupUrl":"([^"]+)"/.exec(app.output())?.[1];
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  if (!url) throw new Error('the app printed no setup URL');
  const target = app.url(new URL(url).pathname + new URL(url).search);
  const form = await fetch(target);
  const body = new URLSearchParams({
    _csrf: csrfOf(await form.text()),
    officeName: 'Bench County District Attorney',
    county: 'Bench County',
    state: 'California',
    localTipPhone: '(555) 010-0100',
    languages: 'en',
    adminName: 'Bench Administrator',
    adminEmail: 'admin@bench.example',
    password: PASSWORD,
    confirm: PASSWORD,
  });
  body.append('languages', 'es');
  const done = await fetch(target, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const html = await done.text();
  if (done.status !== 200 || !html.includes('HWRK-')) throw new Error(`setup answered ${done.status}`);
}


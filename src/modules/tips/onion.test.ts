import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csrfFrom } from '../../../test/helpers/staff.ts';
import { basicTip, createOfficeKey, multipart, type Part, receiptFrom } from './testing.ts';

/**
 * The site published as a Tor onion service beside the public one. Tor hands the request to the
 * local proxy (or the app) over loopback with the onion host name; Tor Browser at its Safest
 * level runs no JavaScript, so the tip line must work as plain form posts.
 */
const ONION = 'http://heatwatchtipsxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'.slice(0, 63) + '.onion';
const onionHost = new URL(ONION).host;

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

let t: TestApp;
let port: number;

/** One request over loopback, as tor's onion service forwards it (a plain TCP connection). */
function request(host: string, path: string, options: { method?: string; body?: Buffer | string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A form post exactly as Tor Browser sends it from a page on the onion address. */
const fromOnion = { origin: `http://${onionHost}`, 'sec-fetch-site': 'same-origin' };

function postParts(path: string, parts: Part[]): Promise<Answer> {
  const body = multipart(parts);
  return request(onionHost, path, { method: 'POST', body: body.payload, headers: { ...fromOnion, ...body.headers } });
}

describe('the onion service (ONION_URL)', () => {
  beforeAll(async () => {
    expect(onionHost).toMatch(/^[a-z2-7]{56}\.onion$/);
    t = await createTestApp({ env: { ONION_URL: `${ONION}/`, BASE_URL: 'https://tips.example.org', TRUST_PROXY: '127.0.0.1' } });
    await createOfficeKey(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  it('announces the onion address on the public site: Onion-Location on pages, and a note on the tip form in each language', async () => {
    const home = await request('tips.example.org', '/');
    expect(home.status).toBe(200);
    expect(home.headers['onion-location']).toBe(`${ONION}/`);
    const en = await request('tips.example.org', '/tip');
    expect(en.headers['onion-location']).toBe(`${ONION}/tip`);
    expect(en.body).toContain('Using Tor Browser?');
    expect(en.body).toContain(`href="${ONION}/tip"`);
    const es = await request('tips.example.org', '/es/tip');
    expect(es.headers['onion-location']).toBe(`${ONION}/es/tip`);
    expect(es.body).toContain('¿Usa el navegador Tor?');
    expect(es.body).toContain(`href="${ONION}/es/tip"`);
  });

  it('takes a tip and its follow-up over the onion address with plain form posts, without sending the browser off the onion', async () => {
    const form = await request(onionHost, '/tip');
    expect(form.status).toBe(200);
    expect(form.headers['onion-location']).toBeUndefined();
    expect(form.body).not.toContain('data-onion-notice');
    // Over the onion there is no https:// to upgrade to; HSTS means nothing over plain HTTP.
    expect(form.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(form.headers['strict-transport-security']).toBeUndefined();
    expect(form.headers['set-cookie']).toBeUndefined();
    expect(form.body).toMatch(/<form method="post" action="\/tip" enctype="multipart\/form-data"/);
    expect(form.body).not.toMatch(/<script(?![^>]*src="\/assets\/)/);

    const submissionId = /name="submissionId" value="([^"]+)"/.exec(form.body)![1]!;
    const parts: Part[] = [['_csrf', csrfFrom(form.body)], ['submissionId', submissionId]];
    for (const [name, value] of Object.entries(basicTip({ whatHappened: 'sent through the onion service' }))) parts.push([name, String(value)]);
    const sent = await postParts('/tip', parts);
    expect(sent.status).toBe(200);
    const receipt = receiptFrom(sent.body);
    expect(await t.app.services.db.selectFrom('tips').select('id').execute()).toHaveLength(1);

    const followUp = await request(onionHost, '/es/tip/follow-up');
    expect(followUp.status).toBe(200);
    const opened = await request(onionHost, '/es/tip/follow-up', {
      method: 'POST',
      body: new URLSearchParams({ receipt, _csrf: csrfFrom(followUp.body) }).toString(),
      headers: { ...fromOnion, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toContain('<h1>Su aviso</h1>');
    expect(opened.body).toContain('action="/es/tip/follow-up/message"');
    const added = await postParts('/es/tip/follow-up/message', [['_csrf', csrfFrom(opened.body)], ['receipt', receipt], ['message', 'one more detail, over Tor']]);
    expect(added.status).toBe(200);
    expect(added.body).toContain('one more detail, over Tor');
  });

  it('still refuses a post whose Origin is another site, over the onion as anywhere', async () => {
    const form = await request(onionHost, '/tip');
    const body = multipart([['_csrf', csrfFrom(form.body)], ['whatHappened', 'forged']]);
    const forged = await request(onionHost, '/tip', { method: 'POST', body: body.payload, headers: { origin: 'http://evil.example', ...body.headers } });
    expect(forged.status).toBe(403);
  });
});

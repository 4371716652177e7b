import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { basicTip, createOfficeKey, multipart, openForm, postTip } from './testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createOfficeKey(t);
});
afterAll(async () => t.close());

const RESERVED = ['__proto__', 'constructor', 'toString'];
const EN = 'This form carried a field it does not know';
const ES = 'Este formulario llevaba un campo que no conoce';
const typed = 'KEEPME the van outside the nail salon';
const tipCount = async () => Number((await t.app.services.db.selectFrom('tips').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function postEncoded(url: string, body: string) {
  return t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: '203.0.113.44' });
}

describe('the tip form with a field named like an object property', () => {
  for (const name of RESERVED) {
    it(`answers 422 with the tip kept, for "${name}" sent as multipart`, async () => {
      const before = await tipCount();
      const res = await postTip(t, basicTip({ whatHappened: typed, [name]: 'x' }), [], { ip: '203.0.113.44' });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(EN);
      expect(res.body).toContain(typed);
      expect(await tipCount()).toBe(before);
    });

    it(`answers 422 with the tip kept, for "${name}" URL-encoded, in Spanish`, async () => {
      const form = await openForm(t, '/tip', { locale: '/es' });
      const res = await postEncoded('/es/tip', `_csrf=${encodeURIComponent(form.csrf)}&whatHappened=${encodeURIComponent(typed)}&kind=labour&minor=no&danger=no&${name}=x`);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(ES);
      expect(res.body).toContain(typed);
    });
  }

  it('answers 422 with the tip kept when a field is repeated', async () => {
    const form = await openForm(t);
    const encoded = await postEncoded('/tip', `_csrf=${encodeURIComponent(form.csrf)}&whatHappened=${encodeURIComponent(typed)}&kind=labour&kind=sex&minor=no&danger=no`);
    expect(encoded.statusCode).toBe(422);
    expect(encoded.body).toContain(typed);
    const repeated = multipart([['_csrf', (await openForm(t)).csrf], ['whatHappened', typed], ['danger', 'no'], ['danger', 'yes'], ['kind', 'labour'], ['minor', 'no']]);
    const res = await t.app.inject({ method: 'POST', url: '/tip', payload: repeated.payload, headers: repeated.headers, remoteAddress: '203.0.113.44' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(typed);
  });
});

describe('an over-long URL-encoded body', () => {
  it('brings the tip form back with what was typed and a translated message', async () => {
    const form = await openForm(t);
    const filler = 'a'.repeat(1024 * 1024 + 10);
    const res = await postEncoded('/tip', `_csrf=${encodeURIComponent(form.csrf)}&whatHappened=${encodeURIComponent(typed)}&kind=labour&minor=no&danger=no&extra=${filler}`);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('What you sent is longer than this form takes');
    expect(res.body).toContain(typed);
  });

  it('past what is read at all, answers a translated 413 page', async () => {
    const res = await postEncoded('/es/tip', `whatHappened=${'a'.repeat(4 * 1024 * 1024 + 10)}`);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('lang="es"');
  });
});

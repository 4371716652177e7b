import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn } from '../../../test/helpers/staff.ts';
import type { Role } from '../../core/auth/permissions.ts';

/**
 * The console home tells administrators when a proxy forwards client addresses the app ignores
 * (TRUST_PROXY off): every per-client limit is then site-wide. Each case starts its own app,
 * because the flag belongs to the process.
 */

const NOTICE = 'data-notice="proxy"';
const PROXY_PEER = '10.0.0.5';
const CLIENT = '198.51.100.77';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function homeFor(roles: Role[], options: { env?: Record<string, string>; forwarded?: Record<string, string>; locale?: string } = {}) {
  t = await createTestApp({ env: options.env });
  const staff = await createStaff(t, roles, { locale: options.locale });
  const session = await signIn(t, staff);
  if (options.forwarded) await t.app.inject({ url: '/', remoteAddress: PROXY_PEER, headers: options.forwarded });
  const home = await session.get('/console');
  expect(home.statusCode).toBe(200);
  return home.body;
}

describe('the proxy notice on the console home', () => {
  it.each([
    ['x-forwarded-for', CLIENT],
    ['forwarded', `for=${CLIENT}`],
    ['x-real-ip', CLIENT],
  ])('shows an administrator that limits are site-wide once a request carried %s with TRUST_PROXY off', async (name, value) => {
    const body = await homeFor(['administrator'], { forwarded: { [name]: value } });
    expect(body).toContain(NOTICE);
    expect(body).toContain('All visitors look like one address');
    expect(body).toContain('TRUST_PROXY');
    expect(body).not.toContain(CLIENT);
  });

  it('is in the administrator’s language', async () => {
    const body = await homeFor(['administrator'], { forwarded: { 'x-forwarded-for': CLIENT }, locale: 'es' });
    expect(body).toContain(NOTICE);
    expect(body).toContain('Todos los visitantes parecen una sola dirección');
  });

  it('is not shown when TRUST_PROXY names the proxy', async () => {
    expect(await homeFor(['administrator'], { env: { TRUST_PROXY: PROXY_PEER }, forwarded: { 'x-forwarded-for': CLIENT } })).not.toContain(NOTICE);
  });

  it('is not shown before any request came through a proxy', async () => {
    expect(await homeFor(['administrator'])).not.toContain(NOTICE);
  });

  it('is not shown to a role that cannot change the server’s setup', async () => {
    expect(await homeFor(['tip_reviewer'], { forwarded: { 'x-forwarded-for': CLIENT } })).not.toContain(NOTICE);
  });
});

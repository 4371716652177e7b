import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { verifyAuditChain } from '../../core/audit/audit.ts';
import { consoleRoutes } from '../../core/auth/console-route.ts';
import { type Permission, ROLES, rolesWith } from '../../core/auth/permissions.ts';
import { EDITABLE_SLUGS, loadContentLibrary } from './content.ts';
import { ContentStore } from './store.ts';
import { formatInZone } from '../../core/i18n/time.ts';

let t: TestApp;
let editor: TestStaff;
let session: SignedIn;

// The pages are a fixed set every test edits: each test has an app of its own, with the
// pages as the files ship them.
beforeEach(async () => {
  t = await createTestApp();
  editor = await createStaff(t, ['content_editor'], { name: 'Ana Editor' });
  session = await signIn(t, editor);
});
afterEach(async () => {
  try {
    // Nothing a test does here may log an error.
    expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  } finally {
    await t.close();
  }
});

const page = (url: string) => t.app.inject({ url }).then((r) => r.body);

/** Opens the editor (for its token and base revision) and sends the form with `fields` changed. */
async function send(url: string, fields: Record<string, string>) {
  const form = await session.get(url);
  expect(form.statusCode).toBe(200);
  const base = /name="base" value="(\d+)"/.exec(form.body)![1]!;
  const current = {
    title: decode(/id="title"[^>]*value="([^"]*)"/.exec(form.body)![1]!),
    summary: decode(/id="summary"[^>]*value="([^"]*)"/.exec(form.body)![1]!),
    body: decode(/<textarea[^>]*id="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.body)![1]!),
  };
  return t.app.inject({ method: 'POST', url, headers: { cookie: session.cookie }, payload: { _csrf: csrfFrom(form.body), base, ...current, ...fields } });
}

const decode = (html: string) =>
  html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

async function revisionRows(locale: string, slug: string) {
  return t.app.services.db
    .selectFrom('pageRevisions')
    .select(['revision', 'body', 'authorId', 'authorLabel', 'restoredFrom'])
    .where('locale', '=', locale)
    .where('slug', '=', slug)
    .orderBy('revision')
    .execute();
}

async function auditActions(prefix: string): Promise<string[]> {
  const rows = await t.app.services.db.selectFrom('auditLog').select(['action']).where('action', 'like', `${prefix}%`).orderBy('seq').execute();
  return rows.map((r: { action: string }) => r.action);
}

describe('the page list', () => {
  it('lists every page in every language, with links to edit and to the history', async () => {
    const res = await session.get('/console/content');
    expect(res.statusCode).toBe(200);
    for (const locale of t.app.services.catalogs.locales) {
      for (const slug of EDITABLE_SLUGS) {
        expect(res.body).toContain(`href="/console/content/${locale}/${slug}"`);
        expect(res.body).toContain(`href="/console/content/${locale}/${slug}/revisions"`);
      }
    }
    expect(res.body).toContain('Contact us');
    expect(res.body).toContain('Contáctenos');
    expect(res.body).toContain('Original text');
  });

  it('answers an unknown page, language or revision with 404', async () => {
    expect((await session.get('/console/content/en/no-such-page')).statusCode).toBe(404);
    expect((await session.get('/console/content/xx/contact')).statusCode).toBe(404);
    expect((await session.get('/console/content/en/contact/revisions/99')).statusCode).toBe(404);
    expect((await session.get('/console/content/en/contact/revisions/abc')).statusCode).toBe(404);
  });
});

describe('editing a page', () => {
  it('publishes a change that visitors see at once, in that language only', async () => {
    // Both pages are rendered (and cached) before the change.
    expect(await page('/how-we-help')).not.toContain('Edited in English');
    const spanishBefore = await page('/es/how-we-help');

    const res = await send('/console/content/en/how-we-help', { action: 'publish', title: 'How we help you', body: '## Edited in English\n\nCall us any day.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/content/en/how-we-help?notice=published');

    const english = await page('/how-we-help');
    expect(english).toContain('<h2>Edited in English</h2>');
    expect(english).toContain('<h1>How we help you</h1>');
    expect(await page('/es/how-we-help')).toBe(spanishBefore);
    // The home page cards carry the new title too.
    expect(await page('/')).toContain('How we help you');

    const spanish = await send('/console/content/es/how-we-help', { action: 'publish', body: 'Texto **nuevo** en español.' });
    expect(spanish.statusCode).toBe(303);
    expect(await page('/es/how-we-help')).toContain('Texto <strong>nuevo</strong> en español.');
    expect(await page('/how-we-help')).toContain('Edited in English');

    const after = await session.get('/console/content/en/how-we-help?notice=published');
    expect(after.body).toContain('Published. Visitors see the new text now.');
    expect(after.body).toContain('Visitors see version 1');
    expect(await auditActions('content.')).toEqual(['content.page_publish', 'content.page_publish']);
  });

  it('edits the home page text', async () => {
    const res = await send('/console/content/en/home', { action: 'publish', body: 'We are the **new** home intro.' });
    expect(res.statusCode).toBe(303);
    expect(await page('/')).toContain('We are the <strong>new</strong> home intro.');
  });

  it('previews without publishing anything', async () => {
    const before = await page('/privacy');
    const actions = await auditActions('');
    const res = await send('/console/content/en/privacy', { action: 'preview', body: '## Draft heading\n\nNot yet *live*.' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Preview (not published yet)');
    expect(res.body).toMatch(/<h2>Draft heading<\/h2>\s*<p>Not yet <em>live<\/em>.<\/p>/);
    // The typed text stays in the form for the next step.
    expect(res.body).toMatch(/<textarea[^>]*>## Draft heading/);
    expect(await page('/privacy')).toBe(before);
    expect(await revisionRows('en', 'privacy')).toEqual([]);
    expect(await auditActions('')).toEqual(actions);
  });

  it('refuses bad input with 422, keeping what was typed', async () => {
    const res = await send('/console/content/en/contact', { action: 'publish', title: '', body: 'Kept body text' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This field is required.');
    expect(res.body).toContain('Kept body text');
    const twoLines = await send('/console/content/en/contact', { action: 'publish', summary: 'one\u0007two' });
    expect(twoLines.statusCode).toBe(422);
    expect(twoLines.body).toContain('Keep this to one line');
    expect(await revisionRows('en', 'contact')).toEqual([]);
  });

  it('makes no revision when nothing changed', async () => {
    const res = await send('/console/content/en/who-it-affects', { action: 'publish' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('notice=unchanged');
    expect(await revisionRows('en', 'who-it-affects')).toEqual([]);
  });

  it('does not let a colleague\'s publish be overwritten unseen', async () => {
    const url = '/console/content/en/why-people-are-trafficked';
    const mine = await session.get(url);
    const colleague = await signIn(t, await createStaff(t, ['administrator'], { name: 'Cole League' }));
    const theirs = await colleague.get(url);
    const common = { title: 'Why', summary: 'Why it happens.', base: '0' };
    const first = await t.app.inject({ method: 'POST', url, headers: { cookie: colleague.cookie }, payload: { ...common, body: 'Their text', action: 'publish', _csrf: csrfFrom(theirs.body) } });
    expect(first.statusCode).toBe(303);
    const second = await t.app.inject({ method: 'POST', url, headers: { cookie: session.cookie }, payload: { ...common, body: 'My text', action: 'publish', _csrf: csrfFrom(mine.body) } });
    expect(second.statusCode).toBe(422);
    expect(second.body).toContain('Someone published this page after you opened it.');
    expect(second.body).toContain('My text');
    expect(second.body).toContain('name="base" value="1"');
    expect(await page('/why-people-are-trafficked')).toContain('Their text');
    // Publishing again from the re-rendered form is a deliberate replacement.
    const third = await t.app.inject({ method: 'POST', url, headers: { cookie: session.cookie }, payload: { ...common, base: '1', body: 'My text', action: 'publish', _csrf: csrfFrom(second.body) } });
    expect(third.statusCode).toBe(303);
    expect(await page('/why-people-are-trafficked')).toContain('My text');
  });

  it('removes script and raw HTML from the public page', async () => {
    const body = [
      'Hello <script>alert("x")</script> there.',
      '<img src="x" onerror="alert(1)">',
      '<iframe src="https://evil.example"></iframe>',
      '[click](javascript:alert(1))',
      '<a href="https://evil.example" onclick="steal()">raw link</a>',
      '# Big heading',
    ].join('\n\n');
    const res = await send('/console/content/en/how-you-can-help', { action: 'publish', body });
    expect(res.statusCode).toBe(303);
    const html = await page('/how-you-can-help');
    const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    expect(main).not.toMatch(/<script|onerror|onclick|<iframe|<img|javascript:/i);
    expect(main).toContain('Hello');
    // The layout owns the one h1; a Markdown h1 becomes h2.
    expect((html.match(/<h1[\s>]/g) ?? []).length).toBe(1);
    expect(main).toContain('<h2>Big heading</h2>');
    // The preview goes through the same sanitiser.
    const preview = await send('/console/content/en/how-you-can-help', { action: 'preview', body });
    const shown = preview.body.slice(preview.body.indexOf('id="preview-heading"'), preview.body.indexOf('<form method="post" action="/console/content/'));
    expect(shown).toContain('Hello');
    expect(shown).not.toMatch(/<script|onerror|onclick|<iframe|<img|javascript:/i);
  });
});

describe('history and restore', () => {
  const url = '/console/content/en/contact';

  /** Versions 1 and 2 of the contact page, a minute apart. */
  async function twoVersions() {
    expect((await send(url, { action: 'publish', body: 'First version.' })).statusCode).toBe(303);
    t.clock.advance(60_000);
    expect((await send(url, { action: 'publish', body: 'Second version.' })).statusCode).toBe(303);
  }

  /** Version 1 restored as version 3, then the original text as version 4. */
  async function restoreBoth() {
    const form = await session.get(`${url}/revisions/1`);
    const res = await t.app.inject({ method: 'POST', url: `${url}/revisions/1/restore`, headers: { cookie: session.cookie }, payload: { _csrf: csrfFrom(form.body) } });
    const original = await session.post(`${url}/revisions/0/restore`, {}, `${url}/revisions/0`);
    return { res, original };
  }

  it('lists every revision with who published it and when', async () => {
    const when = formatInZone(t.clock.now(), 'en', 'America/Los_Angeles', 'minute');
    expect((await send(url, { action: 'publish', body: 'First version.' })).statusCode).toBe(303);
    t.clock.advance(60_000);
    const later = formatInZone(t.clock.now(), 'en', 'America/Los_Angeles', 'minute');
    expect((await send(url, { action: 'publish', body: 'Second version.' })).statusCode).toBe(303);

    const history = await session.get(`${url}/revisions`);
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('Version 2');
    expect(history.body).toContain('Version 1');
    expect(history.body).toContain('Original text');
    expect(history.body).toContain(when);
    expect(history.body).toContain(later);
    expect(history.body.match(/Ana Editor/g)?.length).toBeGreaterThanOrEqual(2);
    const rows = await revisionRows('en', 'contact');
    expect(rows.map((r) => [r.revision, r.authorId, r.authorLabel])).toEqual([
      [1, editor.account.id, 'Ana Editor'],
      [2, editor.account.id, 'Ana Editor'],
    ]);

    const list = await session.get('/console/content');
    expect(list.body).toContain(`${later} by Ana Editor`);
  });

  it('shows an old revision, rendered and as Markdown', async () => {
    await twoVersions();
    const res = await session.get(`${url}/revisions/1`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<p>First version.</p>');
    expect(res.body).toContain('Restore this version');
    const current = await session.get(`${url}/revisions/2`);
    expect(current.body).toContain('This is the text visitors see now.');
    expect(current.body).not.toContain('Restore this version');
    const original = await session.get(`${url}/revisions/0`);
    expect(original.statusCode).toBe(200);
    expect(original.body).toContain('Original text of');
    expect(original.body).toContain('National Human Trafficking Hotline');
  });

  it('restores an old revision as a new one, and the original text too', async () => {
    await twoVersions();
    const form = await session.get(`${url}/revisions/1`);
    const res = await t.app.inject({ method: 'POST', url: `${url}/revisions/1/restore`, headers: { cookie: session.cookie }, payload: { _csrf: csrfFrom(form.body) } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${url}?notice=restored`);
    expect(await page('/contact')).toContain('First version.');
    let rows = await revisionRows('en', 'contact');
    expect(rows.at(-1)).toMatchObject({ revision: 3, body: 'First version.', restoredFrom: 1, authorLabel: 'Ana Editor' });
    expect((await session.get(`${url}/revisions`)).body).toContain('Restored from version 1');

    const original = await session.post(`${url}/revisions/0/restore`, {}, `${url}/revisions/0`);
    expect(original.statusCode).toBe(303);
    expect(await page('/contact')).toContain('National Human Trafficking Hotline');
    rows = await revisionRows('en', 'contact');
    expect(rows.at(-1)).toMatchObject({ revision: 4, restoredFrom: 0 });
    expect((await session.get(`${url}/revisions`)).body).toContain('Restored from the original text');
  });

  it('refuses to restore a revision that does not exist', async () => {
    const res = await session.post(`${url}/revisions/42/restore`, {}, url);
    expect(res.statusCode).toBe(404);
  });

  it('records every publish and restore in the audit chain', async () => {
    await twoVersions();
    const { res, original } = await restoreBoth();
    expect([res.statusCode, original.statusCode]).toEqual([303, 303]);
    const rows = await t.app.services.db
      .selectFrom('auditLog')
      .select(['action', 'actorId', 'targetType', 'targetId', 'detail'])
      .where('targetId', '=', 'en/contact')
      .orderBy('seq')
      .execute();
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['content.page_publish', 'content.page_publish', 'content.page_restore', 'content.page_restore']);
    expect(rows[2]).toMatchObject({ actorId: editor.account.id, targetType: 'page', detail: JSON.stringify({ revision: 3, restoredFrom: 1 }) });
    expect(await verifyAuditChain(t.app.services.db)).toEqual({ ok: true, rows: expect.any(Number) });
  });
});

describe('several processes', () => {
  it('another process sees a publish once its check interval has passed', async () => {
    const s = t.app.services;
    const files = loadContentLibrary(path.join(s.config.rootDir, 'content'), s.catalogs.locales, s.catalogs.defaultLocale);
    const patient = new ContentStore(s.db, files, 'en', { checkEveryMs: 60_000 });
    const eager = new ContentStore(s.db, files, 'en', { checkEveryMs: 0 });
    await Promise.all([patient.sync(), eager.sync()]);
    expect(eager.get('es', 'contact')?.title).toBe('Contáctenos');
    const versions = [patient.version, eager.version];

    expect((await send('/console/content/es/contact', { action: 'publish', title: 'Contacto', body: 'Llámenos.' })).statusCode).toBe(303);
    await Promise.all([patient.sync(), eager.sync()]);
    expect(eager.get('es', 'contact')).toMatchObject({ title: 'Contacto', body: 'Llámenos.' });
    expect(eager.version).toBe(versions[1]! + 1);
    // Within its interval a process keeps serving what it had; it never reads half a change.
    expect(patient.get('es', 'contact')?.title).toBe('Contáctenos');
    expect(patient.version).toBe(versions[0]);
    // A locale without a revision of its own still falls back to its file.
    expect(eager.get('en', 'privacy')?.title).toBe(files.get('en', 'privacy')?.title);
  });
});

describe('access', () => {
  const contentRoutes = () => consoleRoutes.filter((r) => r.url.startsWith('/console/content'));
  const concrete = (url: string) => url.replace(':locale', 'en').replace(':slug', 'privacy').replace(':revision', '0');

  it('covers every content route', () => {
    expect(contentRoutes().map((r) => `${r.method} ${r.url} ${r.access}`).sort()).toEqual(
      [
        'GET /console/content content.edit',
        'GET /console/content/:locale/:slug content.edit',
        'GET /console/content/:locale/:slug/revisions content.edit',
        'GET /console/content/:locale/:slug/revisions/:revision content.edit',
        'POST /console/content/:locale/:slug content.edit',
        'POST /console/content/:locale/:slug/revisions/:revision/restore content.edit',
      ].sort(),
    );
  });

  it('sends anonymous visitors to sign in', async () => {
    for (const route of contentRoutes()) {
      const res = await t.app.inject({ method: route.method as 'GET' | 'POST', url: concrete(route.url), payload: route.method === 'POST' ? {} : undefined });
      expect(res.statusCode, route.url).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/console\/sign-in/);
    }
  });

  it.each(ROLES)('lets %s through exactly the routes content.edit allows', async (role) => {
    const other = role === 'content_editor' ? session : await signIn(t, await createStaff(t, [role]));
    const csrf = csrfFrom((await other.get('/console/account')).body);
    const allowed = (rolesWith('content.edit' as Permission) as readonly string[]).includes(role);
    for (const route of contentRoutes()) {
      const url = concrete(route.url);
      const res =
        route.method === 'GET'
          ? await other.get(url)
          : await t.app.inject({ method: 'POST', url, headers: { cookie: other.cookie }, payload: { _csrf: csrf, action: 'preview', base: '0', title: 'T', summary: 'S', body: 'B' } });
      if (allowed) expect(res.statusCode, `${role} ${route.method} ${url}`).toBeLessThan(400);
      else expect(res.statusCode, `${role} ${route.method} ${url}`).toBe(403);
    }
  });

  it('shows the menu entry only to those who may edit', async () => {
    expect((await session.get('/console')).body).toContain('href="/console/content"');
    const volunteer = await signIn(t, await createStaff(t, ['volunteer']));
    expect((await volunteer.get('/console')).body).not.toContain('href="/console/content"');
  });
});

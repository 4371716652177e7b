import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createStaff, csrfFrom, signIn, type SignedIn, type TestStaff } from '../../../test/helpers/staff.ts';
import { verifyAuditChain } from '../../core/audit/audit.ts';
import { consoleRoutes } from '../../core/auth/console-route.ts';
import { ROLES, rolesWith } from '../../core/auth/permissions.ts';
import { slugify } from './service.ts';
import { xmlProblems, xmlTexts } from './testing.ts';

let t: TestApp;
let editor: TestStaff;
let session: SignedIn;

// The public list, the feed and the console's counts show every post, so each test has an app
// of its own and sees only the posts it wrote.
beforeEach(async () => {
  t = await createTestApp({ env: { BASE_URL: 'https://heat.example' } });
  editor = await createStaff(t, ['content_editor'], { name: 'Nora News', email: 'nora@example.org' });
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

const get = (url: string) => t.app.inject({ url });

type PostFields = { locale?: string; slug?: string; title: string; summary?: string; body?: string; action: 'preview' | 'save' | 'publish' };

/** Sends the "new post" form; answers the response and, after a save, the new post's id. */
async function create(fields: PostFields) {
  const res = await session.post('/console/news/new', { locale: 'en', slug: '', summary: 'A short summary.', body: 'Some **text**.', ...fields }, '/console/news/new');
  const id = res.statusCode === 303 ? /^\/console\/news\/([^?]+)/.exec(String(res.headers.location))![1] : undefined;
  return { res, id };
}

async function edit(id: string, fields: Partial<PostFields>) {
  const post = await t.app.services.db.selectFrom('newsPosts').select(['title', 'slug', 'summary', 'body']).where('id', '=', id).executeTakeFirstOrThrow();
  return session.post(`/console/news/${id}`, { ...post, action: 'save', ...fields }, `/console/news/${id}`);
}

const unpublish = (id: string) => session.post(`/console/news/${id}/unpublish`, {}, `/console/news/${id}`);

describe('public news', () => {
  it('says there is no news yet, in each language, and is in the menu', async () => {
    const en = await get('/news');
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('There is no news yet.');
    expect(en.body).toMatch(/<a href="\/news" aria-current="page">News<\/a>/);
    const es = await get('/es/news');
    expect(es.statusCode).toBe(200);
    expect(es.body).toContain('Todavía no hay noticias.');
    expect(es.body).toMatch(/<html lang="es"/);
    expect((await get('/')).body).toContain('href="/news"');
  });

  it('answers an unknown post or a bad page number with 404', async () => {
    expect((await get('/news/no-such-post')).statusCode).toBe(404);
    expect((await get('/es/news/no-such-post')).statusCode).toBe(404);
    expect((await get('/news/Bad_Slug')).statusCode).toBe(404);
    expect((await get('/news?page=abc')).statusCode).toBe(404);
    expect((await get('/news?page=2')).statusCode).toBe(404);
  });
});

/** The draft the publishing tests follow through its life. */
async function draft(): Promise<string> {
  const made = await create({ title: 'Tip line opens', slug: 'tip-line-opens', body: 'Draft body text.', action: 'save' });
  expect(made.res.statusCode).toBe(303);
  return made.id!;
}

async function published(): Promise<string> {
  const id = await draft();
  expect((await edit(id, { action: 'publish' })).statusCode).toBe(303);
  return id;
}

describe('drafts and publishing', () => {

  it('previews a new post without saving it', async () => {
    const { res } = await create({ title: 'Preview only', body: '## Heading\n\nSee *this*.', action: 'preview' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Preview (not published yet)');
    expect(res.body).toMatch(/<h2>Heading<\/h2>\s*<p>See <em>this<\/em>.<\/p>/);
    expect(res.body).toContain('value="Preview only"');
    const count = await t.app.services.db.selectFrom('newsPosts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('keeps a draft off the public site, the feed and every locale', async () => {
    const made = await create({ title: 'Tip line opens', slug: 'tip-line-opens', body: 'Draft body text.', action: 'save' });
    expect(made.res.statusCode).toBe(303);
    expect(made.res.headers.location).toMatch(/\?notice=created$/);
    expect((await get('/news')).body).not.toContain('Tip line opens');
    expect((await get('/news/tip-line-opens')).statusCode).toBe(404);
    expect((await get('/es/news/tip-line-opens')).statusCode).toBe(404);
    expect((await get('/news/feed.atom')).body).not.toContain('Tip line opens');
    const list = await session.get('/console/news');
    expect(list.body).toContain('Tip line opens');
    expect(list.body).toContain('Draft');
    expect(list.body).toContain('Nora News');
    expect((await session.get('/console')).body).toMatch(/<span class="stat-value">1<\/span><span>news draft not yet published<\/span>/);
  });

  it('publishes a draft: list, post page and feed show it in its language only', async () => {
    const id = await draft();
    const res = await edit(id, { action: 'publish' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/news/${id}?notice=published`);

    const list = await get('/news');
    expect(list.body).toContain('href="/news/tip-line-opens"');
    expect(list.body).toContain('Tip line opens');
    const post = await get('/news/tip-line-opens');
    expect(post.statusCode).toBe(200);
    expect(post.body).toContain('<h1>Tip line opens</h1>');
    expect(post.body).toContain('Draft body text.');
    // Staff names stay in the console.
    expect(post.body).not.toContain('Nora');
    expect(list.body).not.toContain('Nora');
    expect((await get('/news/feed.atom')).body).toContain('Tip line opens');

    expect((await get('/es/news')).body).not.toContain('Tip line opens');
    expect((await get('/es/news/feed.atom')).body).not.toContain('Tip line opens');
    // A visitor following the language switch still reaches the post, marked as English.
    const foreign = await get('/es/news/tip-line-opens');
    expect(foreign.statusCode).toBe(200);
    expect(foreign.body).toContain('Esta noticia aún no está disponible en su idioma. Se muestra en English.');
    expect(foreign.body).toContain('<article class="prose" lang="en">');
  });

  it('changes a published post in place, keeping it published', async () => {
    const id = await published();
    const res = await edit(id, { body: 'Updated body text.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/news/${id}?notice=saved`);
    expect((await get('/news/tip-line-opens')).body).toContain('Updated body text.');
    const page = await session.get(`/console/news/${id}`);
    expect(page.body).toContain('Unpublish');
    expect(page.body).toContain('Save (stays published)');
  });

  it('unpublishes: the post leaves the site and the feed, and stays as a draft', async () => {
    const id = await published();
    const res = await unpublish(id);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/news/${id}?notice=unpublished`);
    expect((await get('/news/tip-line-opens')).statusCode).toBe(404);
    expect((await get('/news')).body).toContain('There is no news yet.');
    expect((await get('/news/feed.atom')).body).not.toContain('Tip line opens');
    expect((await session.get('/console/news')).body).toContain('Tip line opens');
  });

  it('keeps the first publication date when published again', async () => {
    const id = await published();
    expect((await unpublish(id)).statusCode).toBe(303);
    const first = await t.app.services.db.selectFrom('newsPosts').select('publishedAt').where('id', '=', id).executeTakeFirstOrThrow();
    t.clock.advance(60_000);
    expect((await edit(id, { action: 'publish' })).statusCode).toBe(303);
    const again = await t.app.services.db.selectFrom('newsPosts').select(['publishedAt', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(again).toEqual({ publishedAt: first.publishedAt, status: 'published' });
  });

  it('audits every change in the chain', async () => {
    const id = await published();
    expect((await edit(id, { body: 'Updated body text.' })).statusCode).toBe(303);
    expect((await unpublish(id)).statusCode).toBe(303);
    expect((await edit(id, { action: 'publish' })).statusCode).toBe(303);
    const rows = await t.app.services.db.selectFrom('auditLog').select(['action', 'actorId']).where('targetId', '=', id).orderBy('seq').execute();
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['news.create', 'news.update', 'news.publish', 'news.update', 'news.unpublish', 'news.update', 'news.publish']);
    expect(rows.every((r) => r.actorId === editor.account.id)).toBe(true);
    expect((await verifyAuditChain(t.app.services.db)).ok).toBe(true);
  });
});

describe('the post form', () => {
  it('refuses bad input with 422, keeping what was typed', async () => {
    const { res } = await create({ title: '', body: 'Kept text here', action: 'save' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This field is required.');
    expect(res.body).toContain('Kept text here');
    const badSlug = await create({ title: 'Fine', slug: 'Not a slug!', action: 'save' });
    expect(badSlug.res.statusCode).toBe(422);
    expect(badSlug.res.body).toContain('Use only lower-case letters, digits and single hyphens.');
    expect(badSlug.res.body).toContain('value="Not a slug!"');
    const badLocale = await create({ title: 'Fine', locale: 'xx', action: 'save' });
    expect(badLocale.res.statusCode).toBe(422);
  });

  it('makes an address from the title, numbered when taken, and refuses a typed one in use', async () => {
    expect(slugify('¡Nueva línea de denuncias!')).toBe('nueva-linea-de-denuncias');
    expect(slugify('测试')).toBe('');
    const a = await create({ title: '¡Nueva línea!', locale: 'es', action: 'publish' });
    const b = await create({ title: 'Nueva línea', locale: 'es', action: 'publish' });
    expect(a.res.statusCode).toBe(303);
    expect(b.res.statusCode).toBe(303);
    expect((await get('/es/news/nueva-linea')).statusCode).toBe(200);
    expect((await get('/es/news/nueva-linea-2')).statusCode).toBe(200);
    // The same address in another language is another post.
    expect((await create({ title: 'New line', slug: 'nueva-linea', locale: 'en', action: 'save' })).res.statusCode).toBe(303);
    const taken = await create({ title: 'Otra', slug: 'nueva-linea', locale: 'es', action: 'save' });
    expect(taken.res.statusCode).toBe(422);
    expect(taken.res.body).toContain('Another post in this language already uses this web address.');
    const empty = await create({ title: '测试', action: 'save' });
    expect(empty.res.statusCode).toBe(422);
    expect(empty.res.body).toContain('Enter a web address');
    // Moving a post onto a taken address is refused too.
    const moved = await edit(b.id!, { slug: 'nueva-linea' });
    expect(moved.statusCode).toBe(422);
  });

  it('answers an unknown post id with 404', async () => {
    expect((await session.get('/console/news/nope')).statusCode).toBe(404);
    expect((await session.post('/console/news/nope/unpublish', {}, '/console/news')).statusCode).toBe(404);
  });
});

describe('safety of what editors write', () => {
  it('removes script and raw HTML from the post page and the feed', async () => {
    const body = 'Hi <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3))';
    const { res } = await create({ title: 'Safe <b>post</b> & "quotes"', slug: 'safe-post', body, action: 'publish' });
    expect(res.statusCode).toBe(303);
    const page = await get('/news/safe-post');
    const main = page.body.slice(page.body.indexOf('<main'), page.body.indexOf('</main>'));
    expect(main).not.toMatch(/<script|onerror|<img|javascript:/i);
    expect(main).toContain('Safe &lt;b>post&lt;/b> &amp; &quot;quotes&quot;');

    const feed = await get('/news/feed.atom');
    expect(xmlProblems(feed.body)).toEqual([]);
    const entryTitles = xmlTexts(feed.body, 'title');
    expect(entryTitles).toContain('Safe <b>post</b> & "quotes"');
    const content = xmlTexts(feed.body, 'content').join('\n');
    expect(content).not.toMatch(/<script|onerror|<img|javascript:/i);
  });
});

describe('the Atom feed', () => {
  it('is well-formed Atom with absolute links, dates and the right type, per language', async () => {
    for (const post of [
      { title: 'Safe post', slug: 'safe-post', locale: 'en' },
      { title: 'Tip line opens', slug: 'tip-line-opens', locale: 'en' },
      { title: 'Nueva línea', slug: 'nueva-linea', locale: 'es' },
    ]) {
      t.clock.advance(60_000);
      expect((await create({ ...post, action: 'publish' })).res.statusCode).toBe(303);
    }
    const res = await get('/news/feed.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const xml = res.body;
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="en"/);
    expect(xmlTexts(xml, 'id')[0]).toBe('https://heat.example/news/feed.atom');
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="https://heat.example/news/feed.atom"/>');
    expect(xml).toContain('<link rel="alternate" type="text/html" href="https://heat.example/news"/>');
    expect(xmlTexts(xml, 'name')).toEqual(['Demo County Office of the District Attorney']);
    const entries = xml.split('<entry>').slice(1);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry).toMatch(/<id>tag:heat\.example,\d{4}-\d{2}-\d{2}:news:[\w-]+<\/id>/);
      expect(entry).toMatch(/<link rel="alternate" type="text\/html" href="https:\/\/heat\.example\/news\/[a-z0-9-]+"\/>/);
      expect(entry).toMatch(/<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z<\/updated>/);
      expect(entry).toMatch(/<published>[^<]+<\/published>/);
      expect(entry).toMatch(/<title type="text">[^<]+<\/title>/);
    }
    // The feed's own date is its newest entry's.
    const [feedUpdated, ...entryUpdated] = xmlTexts(xml, 'updated');
    expect(feedUpdated).toBe([...entryUpdated].sort().at(-1));

    const es = await get('/es/news/feed.atom');
    expect(xmlProblems(es.body)).toEqual([]);
    expect(es.body).toContain('xml:lang="es"');
    expect(es.body).toContain('href="https://heat.example/es/news/nueva-linea"');
    expect(es.body).toContain('Noticias de HEAT Watch');
    expect(es.body).not.toContain('safe-post');
  });

  it('is valid when there is no news in a language', async () => {
    expect((await create({ title: 'Nueva línea', locale: 'es', action: 'publish' })).res.statusCode).toBe(303);
    expect((await create({ title: 'New line', locale: 'en', action: 'publish' })).res.statusCode).toBe(303);
    await t.app.services.db.deleteFrom('newsPosts').where('locale', '=', 'es').execute();
    const res = await get('/es/news/feed.atom');
    expect(xmlProblems(res.body)).toEqual([]);
    expect(res.body).not.toContain('<entry>');
    expect(xmlTexts(res.body, 'updated')).toHaveLength(1);
  });
});

describe('the news list', () => {
  it('shows ten posts a page, newest first, with links between pages', async () => {
    await t.app.services.db.deleteFrom('newsPosts').execute();
    for (let i = 1; i <= 12; i++) {
      t.clock.advance(60_000);
      expect((await create({ title: `Post number ${i}`, slug: `post-${i}`, action: 'publish' })).res.statusCode).toBe(303);
    }
    const first = (await get('/news')).body;
    const order = [...first.matchAll(/href="\/news\/(post-\d+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['post-12', 'post-11', 'post-10', 'post-9', 'post-8', 'post-7', 'post-6', 'post-5', 'post-4', 'post-3']);
    expect(first).toContain('<a href="/news?page=2" rel="next">Older news</a>');
    expect(first).not.toContain('rel="prev"');
    const second = await get('/news?page=2');
    expect(second.statusCode).toBe(200);
    expect([...second.body.matchAll(/href="\/news\/(post-\d+)"/g)].map((m) => m[1])).toEqual(['post-2', 'post-1']);
    expect(second.body).toContain('<a href="/news" rel="prev">Newer news</a>');
    expect(second.body).toContain('News, page 2');
    expect((await get('/news?page=3')).statusCode).toBe(404);
  });
});

describe('access', () => {
  const newsRoutes = () => consoleRoutes.filter((r) => r.url.startsWith('/console/news'));

  it('declares news.publish on every news route', () => {
    expect(newsRoutes().map((r) => `${r.method} ${r.url} ${r.access}`).sort()).toEqual(
      [
        'GET /console/news news.publish',
        'GET /console/news/new news.publish',
        'GET /console/news/:id news.publish',
        'POST /console/news/new news.publish',
        'POST /console/news/:id news.publish',
        'POST /console/news/:id/unpublish news.publish',
      ].sort(),
    );
  });

  it.each(ROLES)('lets %s through exactly as news.publish allows', async (role) => {
    const { id } = await create({ title: `Matrix ${role}`, slug: `matrix-${role.replace(/_/g, '-')}`, action: 'save' });
    const other = role === 'content_editor' ? session : await signIn(t, await createStaff(t, [role]));
    const csrf = csrfFrom((await other.get('/console/account')).body);
    const allowed = (rolesWith('news.publish') as readonly string[]).includes(role);
    for (const route of newsRoutes()) {
      const url = route.url.replace(':id', id!);
      const res =
        route.method === 'GET'
          ? await other.get(url)
          : await t.app.inject({ method: 'POST', url, headers: { cookie: other.cookie }, payload: { _csrf: csrf, action: 'preview', locale: 'en', title: 'T', summary: 'S', body: 'B' } });
      if (allowed) expect(res.statusCode, `${role} ${route.method} ${url}`).toBeLessThan(400);
      else expect(res.statusCode, `${role} ${route.method} ${url}`).toBe(403);
    }
  });

  it('sends anonymous visitors to sign in', async () => {
    for (const route of newsRoutes()) {
      const res = await t.app.inject({ method: route.method as 'GET' | 'POST', url: route.url.replace(':id', 'x'), payload: route.method === 'POST' ? {} : undefined });
      expect(res.statusCode, route.url).toBe(303);
    }
  });
});

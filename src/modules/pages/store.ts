import type { MarkdownDocument } from '../../core/views/markdown.ts';
import type { Db } from '../../database.ts';
import type { ContentLibrary, PageSlug } from './content.ts';
import * as repo from './repo.ts';

/** How long a process trusts its copy before asking whether another process published. */
const CHECK_EVERY_MS = 2_000;

/**
 * The public pages as visitors see them: the newest published revision of each page, or its
 * Markdown file when it has none. Kept in memory; a publish in this process shows at once
 * (`invalidate`), one in another process within `checkEveryMs`, through the counter row
 * every publish moves in its own transaction.
 */
export class ContentStore {
  readonly #db: Db;
  readonly #files: ContentLibrary;
  readonly #defaultLocale: string;
  readonly #checkEveryMs: number;
  #docs = new Map<string, MarkdownDocument>();
  #seen = -1;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #generation = 0;
  #version = 0;
  #pending: Promise<void> | undefined;

  constructor(db: Db, files: ContentLibrary, defaultLocale: string, options: { checkEveryMs?: number } = {}) {
    this.#db = db;
    this.#files = files;
    this.#defaultLocale = defaultLocale;
    this.#checkEveryMs = options.checkEveryMs ?? CHECK_EVERY_MS;
  }

  /** Moves on whenever the pages this process serves change; render caches key on it. */
  get version(): number {
    return this.#version;
  }

  /** Brings the copy up to date when it is older than the check interval. Call before `get`. */
  async sync(): Promise<void> {
    if (Date.now() - this.#checkedAt < this.#checkEveryMs) return;
    if (!this.#pending) {
      const pending = this.#load().finally(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
      this.#pending = pending;
    }
    return this.#pending;
  }

  /** The page in `locale`; a locale without its own text shows the default locale's. */
  get(locale: string, slug: PageSlug): MarkdownDocument | undefined {
    const fallback = this.#defaultLocale;
    return this.#docs.get(`${locale}/${slug}`) ?? this.#files.own(locale, slug) ?? this.#docs.get(`${fallback}/${slug}`) ?? this.#files.get(fallback, slug);
  }

  /** Forgets the copy after this process published: the next `sync` reads the database. */
  invalidate(): void {
    this.#generation++;
    this.#checkedAt = Number.NEGATIVE_INFINITY;
    this.#pending = undefined;
  }

  async #load(): Promise<void> {
    const generation = this.#generation;
    // The counter first: a publish landing between the two reads is seen again next time.
    const version = await repo.pagesVersion(this.#db);
    const rows = version === this.#seen ? undefined : await repo.latestRevisions(this.#db);
    // A load that started before an invalidation may hold older text; a newer load replaces it.
    if (generation !== this.#generation) return;
    if (rows) {
      this.#docs = new Map(rows.map((r) => [`${r.locale}/${r.slug}`, { title: r.title, summary: r.summary, body: r.body }]));
      this.#seen = version;
      this.#version++;
    }
    this.#checkedAt = Date.now();
  }
}

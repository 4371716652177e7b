import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { Db } from '../../database.ts';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../i18n/time.ts';

const url = z.union([z.url({ protocol: /^https?$/ }), z.literal('')]);

export const settingsSchema = z.object({
  officeName: z.string().trim().min(2).max(120),
  programName: z.string().trim().min(2).max(80),
  county: z.string().trim().min(2).max(80),
  state: z.string().trim().min(2).max(40),
  localTipPhone: z.string().trim().max(40).regex(/^[0-9+()\-.\s]*$/),
  languages: z.array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/)).min(1),
  contactEmail: z.union([z.email(), z.literal('')]),
  contactAddress: z.string().trim().max(300),
  /** The phone number on the office's letters (notices of violation). */
  officePhone: z.string().trim().max(40).regex(/^[0-9+()\-.\s]*$/),
  /**
   * The letterhead's logo, stored as the image itself (re-encoded, no metadata): a letter embeds
   * it, so a stored letter never depends on a file or address that may change or vanish.
   */
  letterheadLogo: z
    .object({ dataUrl: z.string().max(800_000).regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/), width: z.number().int().positive(), height: z.number().int().positive() })
    .nullable(),
  facebookUrl: url,
  twitterUrl: url,
  instagramUrl: url,
  quickExitUrl: z.url({ protocol: /^https?$/ }),
  mapCenter: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), zoom: z.number().int().min(1).max(18) }),
  /** Third notice language for Civil Code 52.6 in this county (after English and Spanish). */
  noticeThirdLanguage: z.string().trim().max(40),
  /** True until an administrator finishes setup: every page then says the content is a demo. */
  demo: z.boolean(),
  /** Days a closed tip is kept before it is deleted for good (rows, files, keys, receipt). */
  tipRetentionDays: z.number().int().min(1).max(3650),
  /** The office's IANA time zone: every instant on a page, e-mail or letter is shown in it. */
  timeZone: z.string().trim().refine(isTimeZone),
  /**
   * An administrator opened the tip form before any tip reader exists, accepting that until one
   * does only the office recovery key opens what arrives (the tips module's `tipLineState`).
   */
  tipLineOpenedEarly: z.boolean(),
});

export type OfficeSettings = z.infer<typeof settingsSchema>;

/**
 * Demo values are deliberately fictitious (555-01xx numbers, "Demo County") so that a
 * forgotten setup can never pass for a real office or send a caller to a stranger.
 */
export const demoSettings: OfficeSettings = {
  officeName: 'Demo County Office of the District Attorney',
  programName: 'HEAT Watch',
  county: 'Demo County',
  state: 'California',
  localTipPhone: '(555) 010-0199',
  languages: ['en', 'es'],
  contactEmail: 'heatwatch@example.org',
  contactAddress: '100 Example Street, Demo City, CA 90000',
  officePhone: '(555) 010-0100',
  letterheadLogo: null,
  facebookUrl: 'https://www.facebook.com/',
  twitterUrl: 'https://x.com/',
  instagramUrl: 'https://www.instagram.com/',
  quickExitUrl: 'https://www.google.com/',
  mapCenter: { lat: 37.8044, lng: -122.2712, zoom: 11 },
  noticeThirdLanguage: 'Chinese',
  demo: true,
  tipRetentionDays: 365,
  timeZone: DEFAULT_TIME_ZONE,
  tipLineOpenedEarly: false,
};

export type SettingsTables = { settings: { key: string; value: string; updatedAt: string } };

const TTL_MS = 5_000;

/**
 * Office settings, read through a short cache: several processes on PostgreSQL
 * see an administrator's change within a few seconds, this one at once.
 */
export class SettingsStore {
  readonly #db: Db;
  readonly #clock: Clock;
  #cached: { value: OfficeSettings; at: number; version: number } | undefined;
  #version = 0;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Bumped on every local write; caches keyed on settings (rendered pages) compare it. */
  get version(): number {
    return this.#version;
  }

  async get(): Promise<OfficeSettings> {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < TTL_MS) return this.#cached.value;
    const rows = await this.#db.selectFrom('settings').select(['key', 'value']).execute();
    const stored: Record<string, unknown> = {};
    for (const row of rows) {
      try {
        stored[row.key] = JSON.parse(row.value);
      } catch {
        // A hand-edited unreadable value falls back to its default rather than taking the site down.
      }
    }
    const merged = { ...demoSettings };
    for (const key of Object.keys(demoSettings) as (keyof OfficeSettings)[]) {
      const field = settingsSchema.shape[key].safeParse(stored[key]);
      if (field.success) (merged as Record<string, unknown>)[key] = field.data;
    }
    if (this.#cached && JSON.stringify(this.#cached.value) !== JSON.stringify(merged)) this.#version++;
    this.#cached = { value: merged, at: now, version: this.#version };
    return merged;
  }

  /** Writes the given keys (validated); with `trx`, call `invalidate()` once it has committed. */
  async update(changes: Partial<OfficeSettings>, trx?: Db): Promise<void> {
    const parsed = settingsSchema.partial().parse(changes);
    const db = trx ?? this.#db;
    const updatedAt = this.#clock.now().toISOString();
    for (const [key, value] of Object.entries(parsed)) {
      if (value === undefined) continue;
      await db
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value), updatedAt })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updatedAt }))
        .execute();
    }
    // Inside a caller's transaction the change is not visible yet: the caller invalidates after commit.
    if (!trx) this.invalidate();
  }

  invalidate(): void {
    this.#cached = undefined;
    this.#version++;
  }
}

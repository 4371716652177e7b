import type { Context } from '../../core/context.ts';
import type { FormErrors } from '../../core/http/forms.ts';
import type { UploadedFile } from '../../core/http/multipart.ts';
import type { OfficeSettings } from '../../core/settings/settings.ts';
import { cleanUploads, type UploadPolicy } from '../../core/uploads/index.ts';

/** What the logo form takes; the bytes are checked on arrival whatever the picker allowed. */
export const LOGO_TYPES = 'image/png,image/jpeg,image/webp';
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

/**
 * A letterhead logo: re-encoded without metadata (PNG stays PNG for sharp edges), at most 600
 * pixels on its longest edge, which prints sharp at the letterhead's size and keeps each stored
 * letter, which embeds it, small.
 */
export const LOGO_POLICY = {
  accept: ['image/png', 'image/jpeg', 'image/webp'],
  encode: 'same',
  maxEdgePx: 600,
  maxInputPixels: 40_000_000,
  quality: 90,
  messages: { tooLarge: 'settings.errors.logoTooLarge', type: 'settings.errors.logoType', unreadable: 'settings.errors.logoUnreadable' },
} as const satisfies UploadPolicy;

type Logo = OfficeSettings['letterheadLogo'];

async function saveLogo(ctx: Context, logo: Logo): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.settings.update({ letterheadLogo: logo }, trx);
    await ctx.audit(trx, { action: 'settings.update', targetType: 'settings', detail: { changed: 'letterheadLogo' } });
  });
  ctx.settings.invalidate();
}

export type LogoAnswer = { ok: true; notice: 'logoSaved' | 'logoRemoved' | 'unchanged' } | { ok: false; errors: FormErrors };

/**
 * The logo form: one image re-encoded and stored as the image itself, or the logo removed.
 * Letters already issued keep the logo they were issued with (it is inside their stored markup).
 */
export async function receiveLogoForm(ctx: Context, input: { remove: boolean; files: UploadedFile[] }): Promise<LogoAnswer> {
  if (input.remove) {
    if ((await ctx.settings.get()).letterheadLogo === null) return { ok: true, notice: 'unchanged' };
    await saveLogo(ctx, null);
    return { ok: true, notice: 'logoRemoved' };
  }
  // A file input left empty still sends an empty part: that is no logo, not a wrong one.
  const { clean, problem } = await cleanUploads(input.files.filter((f) => f.bytes.length > 0 || f.truncated), 'logo', LOGO_POLICY);
  if (problem) return { ok: false, errors: { logo: problem } };
  const image = clean[0];
  if (!image) return { ok: false, errors: { logo: { key: 'settings.errors.logoMissing' } } };
  await saveLogo(ctx, { dataUrl: `data:${image.mime};base64,${image.bytes.toString('base64')}`, width: image.width, height: image.height });
  return { ok: true, notice: 'logoSaved' };
}

import { z } from 'zod';
import { checkboxes, type FormValues } from '../../core/http/forms.ts';
import { type OfficeSettings, settingsSchema } from '../../core/settings/settings.ts';

const shape = settingsSchema.shape;
const trimmed = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), schema);
/** A number typed in a text box: empty is "missing", anything else must read as a number. */
const typedNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim().replace(',', '.'))) : v), schema);

/** Everything an administrator edits on the form; `demo` is not a field (saving clears it), the logo has its own upload. */
export type EditableSettings = Omit<OfficeSettings, 'demo' | 'letterheadLogo' | 'tipLineOpenedEarly'>;

/**
 * The settings form, field by field through the settings schema itself, so the console can
 * never store what `SettingsStore` would refuse to read back. The map centre arrives as three
 * boxes; languages as checkboxes limited to the languages this installation has catalogs for.
 */
export const settingsFormSchema = (locales: readonly string[]) =>
  z
    .object({
      officeName: shape.officeName,
      programName: shape.programName,
      county: shape.county,
      state: shape.state,
      localTipPhone: shape.localTipPhone,
      languages: checkboxes(z.enum(locales as [string, ...string[]])).pipe(shape.languages),
      contactEmail: trimmed(shape.contactEmail),
      contactAddress: shape.contactAddress,
      officePhone: z.preprocess((v) => v ?? '', shape.officePhone),
      facebookUrl: trimmed(shape.facebookUrl),
      twitterUrl: trimmed(shape.twitterUrl),
      instagramUrl: trimmed(shape.instagramUrl),
      quickExitUrl: trimmed(shape.quickExitUrl),
      mapLat: typedNumber(shape.mapCenter.shape.lat),
      mapLng: typedNumber(shape.mapCenter.shape.lng),
      mapZoom: typedNumber(shape.mapCenter.shape.zoom),
      noticeThirdLanguage: shape.noticeThirdLanguage,
      tipRetentionDays: typedNumber(shape.tipRetentionDays),
      timeZone: shape.timeZone,
    })
    .transform(({ mapLat, mapLng, mapZoom, ...rest }): EditableSettings => ({ ...rest, mapCenter: { lat: mapLat, lng: mapLng, zoom: mapZoom } }));

/** The stored settings as the form shows them. */
export function settingsFormValues(settings: OfficeSettings): FormValues {
  const { mapCenter, demo: _demo, letterheadLogo: _logo, tipLineOpenedEarly: _early, languages, tipRetentionDays, ...text } = settings;
  return {
    ...text,
    languages: [...languages],
    mapLat: String(mapCenter.lat),
    mapLng: String(mapCenter.lng),
    mapZoom: String(mapCenter.zoom),
    tipRetentionDays: String(tipRetentionDays),
  };
}

/** `?notice=` after a save; anything else is ignored. */
export const settingsNoticeQuery = z.object({ notice: z.enum(['saved', 'unchanged', 'logoSaved', 'logoRemoved']).optional().catch(undefined) });

/** `?notice=` on the checklist page. */
export const checklistNoticeQuery = z.object({ notice: z.enum(['testEmail', 'tipLineOpened']).optional().catch(undefined) });

/** Opening the tip form before a reader exists: only with the warning's box ticked. */
export const openTipLineSchema = z.object({ understood: z.literal('yes', { message: 'settings.checklist.tipLine.confirmRequired' }) });

/** The logo form: upload one image, or remove the one there is. */
export const logoFormSchema = z.object({ remove: z.preprocess((v) => v === '1', z.boolean()) });

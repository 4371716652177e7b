import type { FieldError } from '../../core/http/forms.ts';
import type { RouteInput } from '../../core/http/route-input.ts';
import type { UploadPolicy } from '../../core/uploads/index.ts';

export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Longest text field a tip form sends (what happened: 20,000 characters, up to 4 bytes each). */
export const MAX_FIELD_BYTES = 100_000;

/** Limits for @fastify/multipart, registered only in the tip line's own scope. */
export const multipartLimits = {
  fileSize: MAX_FILE_BYTES,
  files: MAX_FILES,
  fields: 60,
  fieldSize: MAX_FIELD_BYTES,
  parts: 70,
  headerPairs: 100,
} as const;

/**
 * A tipster may attach photos, screenshots (kept as PNG, so their text stays sharp) and PDFs,
 * which are kept as sent: the form warns that a PDF can carry its author's name.
 */
export const TIP_UPLOADS = {
  accept: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf'],
  encode: 'same',
  maxEdgePx: 3000,
  maxInputPixels: 60_000_000,
  quality: 85,
  messages: { tooLarge: 'tips.errors.fileTooLarge', type: 'tips.errors.fileType', unreadable: 'tips.errors.fileUnreadable' },
} as const satisfies UploadPolicy;

/** The field a tip form's files are chosen in. */
export const FILES_FIELD = 'files';

/** What the platform read of a tip form's body besides its values. */
export type TipUpload = Pick<RouteInput<undefined, undefined, undefined>, 'files' | 'tooManyFiles' | 'tooManyParts' | 'truncatedValues'>;

/**
 * A limit the body ran into, as a message beside the files field and a 413: a file over 10 MB
 * or a sixth file comes back with every other value kept, never as an error page.
 */
export function limitProblem(upload: TipUpload): { error: FieldError; status: 413 } | undefined {
  if (upload.tooManyFiles) return { error: { key: 'tips.errors.tooManyFiles', params: { name: '' } }, status: 413 };
  if (upload.tooManyParts) return { error: { key: 'tips.errors.tooManyParts', params: { name: '' } }, status: 413 };
  const big = upload.files.find((f) => f.field === FILES_FIELD && f.truncated);
  if (big) return { error: { key: TIP_UPLOADS.messages.tooLarge, params: { name: big.name.slice(0, 100) } }, status: 413 };
  return undefined;
}

/** How many files were chosen on a tip form. */
export const chosenFiles = (upload: TipUpload) => upload.files.filter((f) => f.field === FILES_FIELD).length;

import type { FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { AppError } from '../../core/http/errors.ts';
import { type FormValues, formValues, markFormProblem } from '../../core/http/forms.ts';

export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Longest text field a tip form sends (what happened: 20,000 characters, up to 4 bytes each). */
export const MAX_FIELD_BYTES = 100_000;
const MAX_EDGE_PX = 3000;

/** Limits for @fastify/multipart, registered only in the tip line's own scope. */
export const multipartLimits = {
  fileSize: MAX_FILE_BYTES,
  files: MAX_FILES,
  fields: 60,
  fieldSize: MAX_FIELD_BYTES,
  parts: 70,
  headerPairs: 100,
} as const;

export type FileType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'application/pdf';

/** The type from the first bytes; the file name and the browser's claimed type are never trusted. */
export function sniffFile(bytes: Uint8Array): FileType | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 16));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return 'image/gif';
  if (b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return undefined;
}

export type UploadedFile = { name: string; bytes: Buffer };
export type CleanFile = { name: string; mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf'; size: number; bytes: Buffer };

/** A file name safe to show: no folders, no control characters, not too long, with the extension of what is kept. */
function safeName(original: string, extension: string): string {
  const base = (original.split(/[\\/]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .trim()
    .slice(0, 100);
  return `${base || 'file'}.${extension}`;
}

/**
 * Decodes and re-encodes an image: the pixels survive, nothing else does (sharp writes no EXIF,
 * GPS, XMP, IPTC or comments unless asked). The orientation tag is applied to the pixels first.
 * GIFs keep their first frame, as a PNG. PDFs are kept as sent: the form warns that a PDF can
 * carry its author's name and other metadata. Returns a translation key when refused.
 */
export async function cleanFile(file: UploadedFile): Promise<{ clean?: CleanFile; error?: string }> {
  const type = sniffFile(file.bytes);
  if (!type) return { error: 'tips.errors.fileType' };
  if (type === 'application/pdf') {
    return { clean: { name: safeName(file.name, 'pdf'), mime: type, size: file.bytes.length, bytes: file.bytes } };
  }
  try {
    let image = sharp(file.bytes, { limitInputPixels: 60_000_000, failOn: 'error', animated: false })
      .rotate()
      .resize({ width: MAX_EDGE_PX, height: MAX_EDGE_PX, fit: 'inside', withoutEnlargement: true });
    let mime: CleanFile['mime'];
    let extension: string;
    if (type === 'image/jpeg') {
      image = image.jpeg({ quality: 85, mozjpeg: true });
      [mime, extension] = ['image/jpeg', 'jpg'];
    } else if (type === 'image/webp') {
      image = image.webp({ quality: 85 });
      [mime, extension] = ['image/webp', 'webp'];
    } else {
      // PNG screenshots keep their sharp text; a GIF's first frame becomes a PNG.
      image = image.png({ compressionLevel: 9 });
      [mime, extension] = ['image/png', 'png'];
    }
    const bytes = await image.toBuffer();
    return { clean: { name: safeName(file.name, extension), mime, size: bytes.length, bytes } };
  } catch {
    return { error: 'tips.errors.fileUnreadable' };
  }
}

/** Cleans every file; the first refusal is returned with the name of the file it concerns. */
export async function cleanFiles(files: UploadedFile[]): Promise<{ clean: CleanFile[]; error?: { key: string; name: string } }> {
  const clean: CleanFile[] = [];
  for (const file of files) {
    const result = await cleanFile(file);
    if (result.error) return { clean, error: { key: result.error, name: file.name.slice(0, 100) } };
    clean.push(result.clean!);
  }
  return { clean };
}

export type Submission = {
  values: FormValues;
  files: UploadedFile[];
  /** A translation key for the files field, and the status the re-rendered form answers with. */
  fileError?: { key: string; status: 413 | 422; name?: string };
  /** A text field longer than any form of ours sends. */
  truncated: boolean;
};

const LIMIT_CODES: Record<string, string> = {
  FST_FILES_LIMIT: 'tips.errors.tooManyFiles',
  FST_PARTS_LIMIT: 'tips.errors.tooManyParts',
  FST_FIELDS_LIMIT: 'tips.errors.tooManyParts',
};

/**
 * Reads a tip-line form: fields as typed, and the files of `fileField`. Multipart limits are
 * handled here, not thrown: a file over 10 MB or a sixth file comes back as a message beside
 * the files field, with every other value kept, never as an error page. The form puts the file
 * input last, so a limit reached there cannot cut off the fields.
 */
export async function readSubmission(request: FastifyRequest, fileField = 'files'): Promise<Submission> {
  if (!request.isMultipart()) return { values: formValues(request.body), files: [], truncated: false };
  const values: Record<string, string | string[]> = {};
  const submission: Submission = { values, files: [], truncated: false };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname !== fileField || (bytes.length === 0 && !part.filename)) continue;
        if (part.file.truncated) {
          submission.fileError ??= { key: 'tips.errors.fileTooLarge', status: 413, name: part.filename.slice(0, 100) };
        } else if (bytes.length > 0) {
          submission.files.push({ name: part.filename, bytes });
        }
        continue;
      }
      if (typeof part.value !== 'string') continue;
      if (part.valueTruncated) submission.truncated = true;
      const earlier = values[part.fieldname];
      values[part.fieldname] = earlier === undefined ? part.value : [...(Array.isArray(earlier) ? earlier : [earlier]), part.value];
    }
  } catch (error) {
    // A field named like an object property is skipped by the parser, which reads on and says so at the end.
    if ((error as { code?: string }).code === 'FST_PROTO_VIOLATION') {
      markFormProblem(values, 'reservedName');
      return submission;
    }
    const key = LIMIT_CODES[(error as { code?: string }).code ?? ''];
    // Anything else is a body that is not well-formed multipart (or a client that went away).
    if (!key) throw new AppError('bad_request');
    submission.fileError = { key, status: 413 };
  }
  return submission;
}

import sharp from 'sharp';
import { decrypt, encrypt } from '../../core/crypto/sodium.ts';
import type { UploadedFile } from '../../core/http/multipart.ts';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** What a photo input offers to pick; the bytes are checked on arrival whatever the picker allowed. */
export const PHOTO_TYPES = 'image/jpeg,image/png,image/webp';
const MAX_EDGE_PX = 1600;

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The image type from the file's first bytes; the name and the browser's claimed type are never trusted. */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 16));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

export type CleanPhoto = { bytes: Buffer; mime: 'image/jpeg'; width: number; height: number };

/**
 * Decodes and re-encodes the image as a new JPEG: the pixels survive, nothing else does (sharp
 * writes no EXIF, GPS, XMP or ICC metadata unless asked). The orientation tag is applied to
 * the pixels first so a phone photo keeps its right way up. Throws when the bytes are not an image.
 */
export async function reencodePhoto(bytes: Buffer): Promise<CleanPhoto> {
  const { data, info } = await sharp(bytes, { limitInputPixels: 50_000_000, failOn: 'error' })
    .rotate()
    .resize({ width: MAX_EDGE_PX, height: MAX_EDGE_PX, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, mime: 'image/jpeg', width: info.width, height: info.height };
}

/** The type is read from the bytes; anything that is not a JPEG, PNG or WebP sharp can decode is refused. */
export async function cleanPhoto(bytes: Buffer): Promise<{ clean: CleanPhoto; error?: undefined } | { clean?: undefined; error: 'type' | 'unreadable' }> {
  if (!sniffImage(bytes)) return { error: 'type' };
  try {
    return { clean: await reencodePhoto(bytes) };
  } catch {
    return { error: 'unreadable' };
  }
}

export type PhotoProblem = 'tooLarge' | 'type' | 'unreadable';

/** What a report form says about a refused photo (the public form and the volunteer's). */
export const REPORT_PHOTO_ERRORS: Record<PhotoProblem, string> = {
  tooLarge: 'map.report.errors.photoTooLarge',
  type: 'map.report.errors.photoType',
  unreadable: 'map.report.errors.photoUnreadable',
};

/**
 * The photos uploaded under `field`, each cleaned; stops at the first one refused and says why,
 * so the form can ask for the photos again.
 */
export async function cleanUploads(files: readonly UploadedFile[], field: string): Promise<{ photos: CleanPhoto[]; problem?: PhotoProblem }> {
  const photos: CleanPhoto[] = [];
  for (const file of files) {
    if (file.field !== field) continue;
    if (file.truncated) return { photos, problem: 'tooLarge' };
    const cleaned = await cleanPhoto(file.bytes);
    if (cleaned.error !== undefined) return { photos, problem: cleaned.error };
    photos.push(cleaned.clean);
  }
  return { photos };
}

const context = (reportId: string) => `map1193-photo:${reportId}`;

/** Binds a case photo's box to its own id, and keeps it apart from report photos' boxes. */
export const casePhotoContext = (photoId: string) => `case:${photoId}`;

/** Encrypts a cleaned photo for one report; the context binds the box to that report. */
export async function sealPhoto(key: Uint8Array, reportId: string, bytes: Uint8Array): Promise<string> {
  return Buffer.from(await encrypt(key, bytes, context(reportId))).toString('base64');
}

export async function openPhoto(key: Uint8Array, reportId: string, data: string): Promise<Buffer> {
  return Buffer.from(await decrypt(key, new Uint8Array(Buffer.from(data, 'base64')), context(reportId)));
}

import { decrypt, encrypt } from '../../../core/crypto/sodium.ts';
import type { CleanImage, UploadPolicy } from '../../../core/uploads/index.ts';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** What a photo input offers to pick; the bytes are checked on arrival whatever the picker allowed. */
export const PHOTO_TYPES = 'image/jpeg,image/png,image/webp';

/** A photo as stored: always a JPEG, at most 1,600 pixels on its longest edge. */
export type CleanPhoto = CleanImage;

const photos = (messages: UploadPolicy['messages']) =>
  ({ accept: ['image/jpeg', 'image/png', 'image/webp'], encode: 'jpeg', maxEdgePx: 1600, maxInputPixels: 50_000_000, quality: 82, messages }) as const satisfies UploadPolicy;

/** A report's photo (the public form and the volunteer's). */
export const REPORT_PHOTOS = photos({
  tooLarge: 'map.report.errors.photoTooLarge',
  type: 'map.report.errors.photoType',
  unreadable: 'map.report.errors.photoUnreadable',
});

/** The photos of an inspector's step on a case. */
export const STEP_PHOTOS = photos({
  tooLarge: 'map.enforcement.errors.photoTooLarge',
  type: 'map.enforcement.errors.photoType',
  unreadable: 'map.enforcement.errors.photoUnreadable',
});

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

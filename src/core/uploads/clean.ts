import sharp from 'sharp';
import type { UploadedFile } from '../http/multipart.ts';
import { type FileType, sniffFile } from './sniff.ts';

/**
 * What a form takes and how its files are kept. `encode: 'jpeg'` makes every image a JPEG (photos);
 * `'same'` keeps JPEG and WebP, and makes PNG and GIF a PNG, so screenshots keep their sharp text.
 * A PDF, where accepted, is kept as sent: its form warns that a PDF can carry its author's name.
 */
export type UploadPolicy<T extends FileType = FileType> = {
  accept: readonly T[];
  encode: 'jpeg' | 'same';
  /** Longest edge kept; larger images are scaled down. */
  maxEdgePx: number;
  /** Images with more pixels than this are refused before they are decoded (decompression bombs). */
  maxInputPixels: number;
  quality: number;
  /** Translation keys for a file cut off at the size limit, of a type not taken, or not decodable. */
  messages: { tooLarge: string; type: string; unreadable: string };
};

export type CleanImage = { name: string; mime: 'image/jpeg' | 'image/png' | 'image/webp'; size: number; bytes: Buffer; width: number; height: number };
export type CleanPdf = { name: string; mime: 'application/pdf'; size: number; bytes: Buffer };
export type CleanFile = CleanImage | CleanPdf;
/** What a policy's files come out as: images only, unless it takes PDFs. */
export type CleanOf<T extends FileType> = 'application/pdf' extends T ? CleanFile : CleanImage;

/** A refused file: a translation key for its field, with the name it was chosen under. */
export type UploadProblem = { key: string; params: { name: string } };

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

const FORMATS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/**
 * Decodes and re-encodes an image: the pixels survive, nothing else does (sharp writes no EXIF,
 * GPS, XMP, IPTC, ICC or comments unless asked). The orientation tag is applied to the pixels
 * first, so a phone photo keeps its right way up; a GIF keeps its first frame. Throws when the
 * bytes are not an image sharp can decode within the policy's pixel limit.
 */
export async function reencodeImage(bytes: Buffer, type: Exclude<FileType, 'application/pdf'>, policy: UploadPolicy, name = ''): Promise<CleanImage> {
  const mime = policy.encode === 'jpeg' || type === 'image/jpeg' ? 'image/jpeg' : type === 'image/webp' ? 'image/webp' : 'image/png';
  const image = sharp(bytes, { limitInputPixels: policy.maxInputPixels, failOn: 'error', animated: false })
    .rotate()
    .resize({ width: policy.maxEdgePx, height: policy.maxEdgePx, fit: 'inside', withoutEnlargement: true });
  if (mime === 'image/jpeg') image.jpeg({ quality: policy.quality, mozjpeg: true });
  else if (mime === 'image/webp') image.webp({ quality: policy.quality });
  else image.png({ compressionLevel: 9 });
  const { data, info } = await image.toBuffer({ resolveWithObject: true });
  return { name: safeName(name, FORMATS[mime]), mime, size: data.length, bytes: data, width: info.width, height: info.height };
}

/** One uploaded file checked by its bytes and cleaned, or the reason it is refused. */
export async function cleanUpload<T extends FileType>(file: UploadedFile, policy: UploadPolicy<T>): Promise<{ clean: CleanOf<T> } | { problem: UploadProblem }> {
  const refuse = (key: string) => ({ problem: { key, params: { name: file.name.slice(0, 100) } } });
  if (file.truncated) return refuse(policy.messages.tooLarge);
  const type = sniffFile(file.bytes);
  if (!type || !(policy.accept as readonly FileType[]).includes(type)) return refuse(policy.messages.type);
  if (type === 'application/pdf') {
    return { clean: { name: safeName(file.name, 'pdf'), mime: type, size: file.bytes.length, bytes: file.bytes } as CleanOf<T> };
  }
  try {
    return { clean: (await reencodeImage(file.bytes, type, policy, file.name)) as CleanOf<T> };
  } catch {
    return refuse(policy.messages.unreadable);
  }
}

/**
 * The files chosen under `field`, each cleaned; stops at the first one refused and says why, so
 * the form can ask for the files again. Files of other fields are left to their own policies.
 */
export async function cleanUploads<T extends FileType>(files: readonly UploadedFile[], field: string, policy: UploadPolicy<T>): Promise<{ clean: CleanOf<T>[]; problem?: UploadProblem }> {
  const clean: CleanOf<T>[] = [];
  for (const file of files) {
    if (file.field !== field) continue;
    const result = await cleanUpload(file, policy);
    if ('problem' in result) return { clean, problem: result.problem };
    clean.push(result.clean);
  }
  return { clean };
}

/** Whether any file chosen under `field` went over the size limit (and was cut short while read). */
export function oversized(files: readonly UploadedFile[], field: string): UploadedFile | undefined {
  return files.find((f) => f.field === field && f.truncated);
}

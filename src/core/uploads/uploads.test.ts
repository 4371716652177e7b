import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { UploadedFile } from '../http/multipart.ts';
import { chooseFilesAgain, cleanUpload, cleanUploads, sniffFile, type UploadPolicy } from './index.ts';

const messages = { tooLarge: 'test.tooLarge', type: 'test.type', unreadable: 'test.unreadable' };
/** Like the tip line's: images keep their family, PDFs are taken. */
const documents = { accept: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf'], encode: 'same', maxEdgePx: 3000, maxInputPixels: 60_000_000, quality: 85, messages } as const satisfies UploadPolicy;
/** Like a report's: images only, every one a JPEG. */
const photos = { accept: ['image/jpeg', 'image/png', 'image/webp'], encode: 'jpeg', maxEdgePx: 1600, maxInputPixels: 50_000_000, quality: 82, messages } as const satisfies UploadPolicy;

const upload = (bytes: Buffer, name = 'file', field = 'files', truncated = false): UploadedFile => ({ field, name, bytes, truncated });
const image = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#336699' } });
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Author (pdf-author-name) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('cleaning an upload', () => {
  it('re-encodes a JPEG so its EXIF, GPS and author are gone, keeping the pixels the right way up', async () => {
    const original = await image(64, 48)
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Artist: 'camera-owner-name', ImageDescription: 'camera-owner-name' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 48/1 0/1' } })
      .toBuffer();
    const before = await sharp(original).metadata();
    expect(before.exif).toBeDefined();
    expect(before.orientation).toBe(6);
    expect(original.includes('camera-owner-name')).toBe(true);

    const result = await cleanUpload(upload(original, 'IMG_0001.JPG'), photos);
    if (!('clean' in result)) throw new Error(`refused: ${result.problem.key}`);
    const meta = await sharp(result.clean.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(result.clean.bytes.includes('camera-owner-name')).toBe(false);
    // Orientation 6 is a quarter turn: applied to the pixels, so the stored photo is 48 × 64.
    expect(result.clean).toMatchObject({ mime: 'image/jpeg', name: 'IMG_0001.jpg', width: 48, height: 64 });
  });

  it('refuses an image with more pixels than the policy allows before decoding it', async () => {
    const big = await image(1200, 1000).png().toBuffer();
    expect(await cleanUpload(upload(big, 'huge.png'), { ...photos, maxInputPixels: 1_000_000 })).toEqual({ problem: { key: 'test.unreadable', params: { name: 'huge.png' } } });
    expect('clean' in (await cleanUpload(upload(big, 'huge.png'), { ...photos, maxInputPixels: 1_200_000 }))).toBe(true);
  });

  it('reads the type from the bytes, whatever the name says', async () => {
    const text = Buffer.from('not really a picture');
    expect(await cleanUpload(upload(text, 'photo.jpg'), photos)).toEqual({ problem: { key: 'test.type', params: { name: 'photo.jpg' } } });
    // A PNG named .jpg is a PNG: kept as one where the family is kept, its name following the bytes.
    const png = await image(8, 8).png().toBuffer();
    const kept = await cleanUpload(upload(png, 'screenshot.jpg'), documents);
    expect(kept).toMatchObject({ clean: { mime: 'image/png', name: 'screenshot.png' } });
    // A PDF named .jpg is no photo.
    expect(await cleanUpload(upload(pdf, 'photo.jpg'), photos)).toEqual({ problem: { key: 'test.type', params: { name: 'photo.jpg' } } });
    // Bytes that start like a JPEG but are not one are refused as unreadable, never stored.
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(64, 7)]);
    expect(await cleanUpload(upload(fake, 'x.jpg'), photos)).toEqual({ problem: { key: 'test.unreadable', params: { name: 'x.jpg' } } });
  });

  it('keeps a PDF as sent where the policy takes PDFs, and refuses it where it does not', async () => {
    const kept = await cleanUpload(upload(pdf, '../../flyer.PDF'), documents);
    if (!('clean' in kept)) throw new Error('refused');
    expect(kept.clean.mime).toBe('application/pdf');
    expect(kept.clean.name).toBe('flyer.pdf');
    expect(kept.clean.bytes.equals(pdf)).toBe(true);
    expect(await cleanUpload(upload(pdf, 'flyer.pdf'), photos)).toEqual({ problem: { key: 'test.type', params: { name: 'flyer.pdf' } } });
  });

  it('makes every image a JPEG under a JPEG policy, scaled to its longest edge', async () => {
    const webp = await image(3200, 1600).webp().toBuffer();
    const result = await cleanUpload(upload(webp, 'wide.webp'), photos);
    expect(result).toMatchObject({ clean: { mime: 'image/jpeg', width: 1600, height: 800 } });
    expect(sniffFile((result as { clean: { bytes: Buffer } }).clean.bytes)).toBe('image/jpeg');
    const gif = await image(10, 10).gif().toBuffer();
    expect(await cleanUpload(upload(gif, 'a.gif'), documents)).toMatchObject({ clean: { mime: 'image/png', name: 'a.png' } });
  });

  it('refuses a file cut short at the size limit, naming it', async () => {
    const png = await image(8, 8).png().toBuffer();
    expect(await cleanUpload(upload(png, 'big.png', 'files', true), photos)).toEqual({ problem: { key: 'test.tooLarge', params: { name: 'big.png' } } });
  });

  it("cleans one field's files and stops at the first refused", async () => {
    const png = await image(8, 8).png().toBuffer();
    const files = [upload(png, 'a.png'), upload(Buffer.from('text'), 'other.txt', 'elsewhere'), upload(png, 'b.png'), upload(Buffer.from('text'), 'c.txt'), upload(png, 'd.png')];
    const result = await cleanUploads(files, 'files', photos);
    expect(result.clean.map((f) => f.name)).toEqual(['a.jpg', 'b.jpg']);
    expect(result.problem).toEqual({ key: 'test.type', params: { name: 'c.txt' } });
  });
});

describe('asking for the files again', () => {
  const again = { key: 'test.filesAgain' };

  it('says so on the file field when the form is refused for another reason', () => {
    expect(chooseFilesAgain({ note: { key: 'test.required' } }, { field: 'files', chosen: 2, message: again })).toEqual({ note: { key: 'test.required' }, files: again });
  });

  it('says nothing when no file was chosen, the form has no other message, or the field has its own', () => {
    expect(chooseFilesAgain({ note: { key: 'test.required' } }, { field: 'files', chosen: 0, message: again })).toEqual({ note: { key: 'test.required' } });
    expect(chooseFilesAgain({}, { field: 'files', chosen: 1, message: again })).toEqual({});
    const own = { files: { key: 'test.type', params: { name: 'x' } }, note: { key: 'test.required' } };
    expect(chooseFilesAgain({ ...own }, { field: 'files', chosen: 1, message: again })).toEqual(own);
  });

  it('says so when the caller refuses with no message of its own (our failure)', () => {
    expect(chooseFilesAgain({}, { field: 'files', chosen: 1, message: again, refused: true })).toEqual({ files: again });
  });
});

describe('sniffing', () => {
  it('knows the types by their first bytes only', () => {
    expect(sniffFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniffFile(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffFile(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffFile(pdf)).toBe('application/pdf');
    expect(sniffFile(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffFile(Buffer.alloc(0))).toBeUndefined();
  });
});

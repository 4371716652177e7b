import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, hashSecret, verifySecret } from './argon2.ts';
import { decrypt, decryptText, encrypt, generateKeyPair, openSealed, publicKeyOf, randomKey, seal } from './sodium.ts';

describe('argon2id', () => {
  it('verifies the right secret and refuses a wrong or malformed one', async () => {
    const phc = await hashSecret('correct horse battery staple');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifySecret(phc, 'correct horse battery staple')).toBe(true);
    expect(await verifySecret(phc, 'correct horse battery stapl')).toBe(false);
    expect(await verifySecret('not-a-hash', 'x')).toBe(false);
  });

  it('derives the same key from the same secret and salt only', async () => {
    const salt = randomBytes(16);
    const a = await deriveKey('secret', salt);
    expect(a).toEqual(await deriveKey('secret', salt));
    expect(a).not.toEqual(await deriveKey('secret', randomBytes(16)));
  });
});

describe('libsodium helpers', () => {
  it('seals to a public key that only its private key opens', async () => {
    const alice = await generateKeyPair();
    const bob = await generateKeyPair();
    const box = await seal(new TextEncoder().encode('tip key'), alice.publicKey);
    expect(new TextDecoder().decode(await openSealed(box, alice))).toBe('tip key');
    await expect(openSealed(box, bob)).rejects.toThrow();
    expect(await publicKeyOf(alice.privateKey)).toEqual(alice.publicKey);
  });

  it('encrypts with authenticated context, so a ciphertext cannot move between records', async () => {
    const key = await randomKey();
    const box = await encrypt(key, 'what happened', 'tip:1:answers');
    expect(Buffer.from(box).includes(Buffer.from('what happened'))).toBe(false);
    expect(await decryptText(key, box, 'tip:1:answers')).toBe('what happened');
    await expect(decrypt(key, box, 'tip:2:answers')).rejects.toThrow();
    await expect(decrypt(await randomKey(), box, 'tip:1:answers')).rejects.toThrow();
    const twice = await encrypt(key, 'what happened', 'tip:1:answers');
    expect(Buffer.from(twice).equals(Buffer.from(box))).toBe(false);
  });
});

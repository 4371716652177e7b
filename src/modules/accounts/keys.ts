import { createHash, createHmac, randomBytes } from 'node:crypto';
import { deriveKey } from '../../core/crypto/argon2.ts';
import { decrypt, encrypt, fromBase64, generateKeyPair, type KeyPair, publicKeyOf, toBase64 } from '../../core/crypto/sodium.ts';

export type WrappedKeys = { publicKey: string; privateKeyBox: string; keySalt: string };

const context = (accountId: string) => `account-key:${accountId}`;

/** Wraps a private key under a key derived from the password: the server alone cannot open it. */
export async function wrapPrivateKey(accountId: string, keyPair: KeyPair, password: string): Promise<WrappedKeys> {
  const salt = randomBytes(16);
  const kek = await deriveKey(password, salt);
  return {
    publicKey: toBase64(keyPair.publicKey),
    privateKeyBox: toBase64(await encrypt(kek, keyPair.privateKey, context(accountId))),
    keySalt: salt.toString('base64'),
  };
}

/** A fresh key pair for an account, wrapped under its password. */
export async function createAccountKeys(accountId: string, password: string): Promise<WrappedKeys & { keyPair: KeyPair }> {
  const keyPair = await generateKeyPair();
  return { ...(await wrapPrivateKey(accountId, keyPair, password)), keyPair };
}

/** Opens an account's private key with its password; throws when the password is wrong. */
export async function unwrapPrivateKey(account: { id: string; privateKeyBox: string; keySalt: string }, password: string): Promise<KeyPair> {
  const kek = await deriveKey(password, Buffer.from(account.keySalt, 'base64'));
  const privateKey = await decrypt(kek, fromBase64(account.privateKeyBox), context(account.id));
  return { privateKey, publicKey: await publicKeyOf(privateKey) };
}

/** A key for small server-held secrets (TOTP seeds), derived from the office's HMAC secret. */
export function serverKey(secret: Buffer, purpose: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', secret).update(`key:${purpose}`).digest());
}

export const fingerprint = (publicKey: Uint8Array) =>
  createHash('sha256').update(publicKey).digest('hex').slice(0, 32).replace(/(.{4})(?!$)/g, '$1 ');

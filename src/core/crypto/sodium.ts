import sodium from 'libsodium-wrappers';

let ready: Promise<typeof sodium> | undefined;

/** libsodium, initialised once. Every encryption in the product goes through these few functions. */
export function loadSodium(): Promise<typeof sodium> {
  ready ??= sodium.ready.then(() => sodium);
  return ready;
}

export type KeyPair = { publicKey: Uint8Array; privateKey: Uint8Array };

/** An X25519 key pair for sealed boxes. */
export async function generateKeyPair(): Promise<KeyPair> {
  const s = await loadSodium();
  const { publicKey, privateKey } = s.crypto_box_keypair();
  return { publicKey, privateKey };
}

/** Derives the public half, e.g. to check a pasted office recovery key. */
export async function publicKeyOf(privateKey: Uint8Array): Promise<Uint8Array> {
  const s = await loadSodium();
  return s.crypto_scalarmult_base(privateKey);
}

/** Anonymous sealed box: only the holder of the matching private key can open it. */
export async function seal(message: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  const s = await loadSodium();
  return s.crypto_box_seal(message, publicKey);
}

/** Opens a sealed box; throws when the key does not match or the box was altered. */
export async function openSealed(box: Uint8Array, keyPair: KeyPair): Promise<Uint8Array> {
  const s = await loadSodium();
  return s.crypto_box_seal_open(box, keyPair.publicKey, keyPair.privateKey);
}

/** A fresh 256-bit key for XChaCha20-Poly1305. */
export async function randomKey(): Promise<Uint8Array> {
  const s = await loadSodium();
  return s.crypto_aead_xchacha20poly1305_ietf_keygen();
}

/**
 * XChaCha20-Poly1305 with a random 24-byte nonce stored in front of the ciphertext.
 * `context` (e.g. `tip:<id>:answers`) is authenticated, so a ciphertext cannot be moved to another record.
 */
export async function encrypt(key: Uint8Array, plaintext: Uint8Array | string, context: string): Promise<Uint8Array> {
  const s = await loadSodium();
  const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const message = typeof plaintext === 'string' ? s.from_string(plaintext) : plaintext;
  const cipher = s.crypto_aead_xchacha20poly1305_ietf_encrypt(message, context, null, nonce, key);
  const out = new Uint8Array(nonce.length + cipher.length);
  out.set(nonce);
  out.set(cipher, nonce.length);
  return out;
}

/** Reverses `encrypt`; throws when the key, context or bytes are wrong. */
export async function decrypt(key: Uint8Array, box: Uint8Array, context: string): Promise<Uint8Array> {
  const s = await loadSodium();
  const n = s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.subarray(n), context, box.subarray(0, n), key);
}

export async function decryptText(key: Uint8Array, box: Uint8Array, context: string): Promise<string> {
  const s = await loadSodium();
  return s.to_string(await decrypt(key, box, context));
}

export const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
export const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

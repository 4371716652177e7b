import { createHmac } from 'node:crypto';
import { decrypt, encrypt, fromBase64, publicKeyOf, toBase64, type KeyPair } from '../crypto/sodium.ts';

/**
 * A staff member's unlocked private key is kept in their session row, sealed under a key
 * derived from the raw session id. The cookie carries that id; the table holds only its
 * SHA-256, so every process that sees the cookie can open the key, and a database dump alone
 * (rows, backups, WAL) opens nothing. The box dies with the session row.
 */
function boxKey(rawSessionId: string): Uint8Array {
  // HMAC under the raw id with its own label: independent of the stored SHA-256 of the id.
  return new Uint8Array(createHmac('sha256', rawSessionId).update('heatwatch:session-key-box:v1').digest());
}

const context = (idHash: string) => `session-keys:${idHash}`;

/** Seals a private key to one session: only that session's cookie opens it. */
export async function sealSessionKey(rawSessionId: string, idHash: string, keyPair: KeyPair): Promise<string> {
  const key = boxKey(rawSessionId);
  try {
    return toBase64(await encrypt(key, keyPair.privateKey, context(idHash)));
  } finally {
    key.fill(0);
  }
}

/** Opens a session's key box; undefined when the box does not belong to this cookie. */
export async function openSessionKey(rawSessionId: string, idHash: string, box: string): Promise<KeyPair | undefined> {
  const key = boxKey(rawSessionId);
  try {
    const privateKey = await decrypt(key, fromBase64(box), context(idHash));
    return { privateKey, publicKey: await publicKeyOf(privateKey) };
  } catch {
    return undefined;
  } finally {
    key.fill(0);
  }
}

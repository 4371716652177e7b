import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../crypto/sodium.ts';
import { openSessionKey, sealSessionKey } from './keys.ts';
import { hashSessionId } from './sessions.ts';

describe('a session key box', () => {
  it('opens with the cookie it was sealed to and with nothing the database holds', async () => {
    const keyPair = await generateKeyPair();
    const cookie = randomBytes(32).toString('base64url');
    const idHash = hashSessionId(cookie);
    const box = await sealSessionKey(cookie, idHash, keyPair);
    expect(Buffer.from(box, 'base64').includes(Buffer.from(keyPair.privateKey))).toBe(false);

    const opened = await openSessionKey(cookie, idHash, box);
    expect(Buffer.from(opened!.privateKey)).toEqual(Buffer.from(keyPair.privateKey));
    expect(Buffer.from(opened!.publicKey)).toEqual(Buffer.from(keyPair.publicKey));

    // The row stores the id's hash beside the box: neither it nor another session's cookie opens it.
    expect(await openSessionKey(idHash, idHash, box)).toBeUndefined();
    const other = randomBytes(32).toString('base64url');
    expect(await openSessionKey(other, idHash, box)).toBeUndefined();
    // A box moved onto another session's row does not open there, even with that session's cookie.
    expect(await openSessionKey(other, hashSessionId(other), box)).toBeUndefined();
  });
});

/** A staff session. Only a hash of its id is stored: a copy of the database cannot sign anyone in. */
export type SessionRow = {
  idHash: string;
  accountId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  secondFactorAt: string | null;
  csrfSecret: string;
  device: string;
  /** A TOTP secret being enrolled, sealed under a server key until its first code confirms it. */
  pendingTotpBox: string | null;
  webauthnChallenge: string | null;
  /** The unlocked private key, sealed under a key only the session cookie yields (see `keys.ts`). */
  keyBox: string | null;
};

/** A session as a request carries it: no sealed secrets (the key box is opened and left behind). */
export type SessionState = Omit<SessionRow, 'pendingTotpBox' | 'webauthnChallenge' | 'keyBox'>;

/**
 * A form sent on a lapsed session, sealed under a key only its one-time cookie holds
 * (`drafts.ts`): the row alone reveals nothing and lives at most fifteen minutes.
 */
export type SessionDraftRow = { id: string; accountId: string; box: string; createdAt: string; expiresAt: string };

export type AuthTables = { sessions: SessionRow; sessionDrafts: SessionDraftRow };

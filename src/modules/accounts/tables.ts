export type AccountStatus = 'active' | 'deactivated';

export type AccountRow = {
  id: string;
  email: string;
  displayName: string;
  status: AccountStatus;
  locale: string;
  passwordHash: string;
  /** X25519 public key, base64. Tips are sealed to it. */
  publicKey: string;
  /** The private key encrypted under a key derived from the password (argon2id), base64. */
  privateKeyBox: string;
  keySalt: string;
  keysCreatedAt: string;
  totpSecretBox: string | null;
  totpEnabledAt: string | null;
  /** Last accepted TOTP time step: a code is never accepted twice. */
  totpLastStep: number | null;
  failedSignIns: number;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
};

/**
 * The account as every signed-in request carries it: who, in which language, and whether TOTP is
 * on. Never the password hash, the key box or the TOTP secret: the services that check a
 * password, unlock keys or verify a code read those columns themselves, when they need them.
 */
export type SessionAccount = Pick<AccountRow, 'id' | 'email' | 'displayName' | 'locale' | 'status' | 'publicKey' | 'totpEnabledAt'>;

export type SessionRow = {
  idHash: string;
  accountId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  secondFactorAt: string | null;
  csrfSecret: string;
  device: string;
  pendingTotpBox: string | null;
  webauthnChallenge: string | null;
};

/** The session as a request carries it; the pending TOTP secret and the WebAuthn challenge are read fresh where used. */
export type SessionState = Omit<SessionRow, 'pendingTotpBox' | 'webauthnChallenge'>;

export type InvitationRow = {
  id: string;
  kind: 'invite' | 'reset';
  accountId: string | null;
  tokenHash: string;
  email: string;
  displayName: string;
  /** JSON array of role names. */
  roles: string;
  locale: string;
  invitedBy: string | null;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

export type AccountsTables = {
  accounts: AccountRow;
  accountRoles: { accountId: string; role: string };
  invitations: InvitationRow;
  sessions: SessionRow;
  recoveryCodes: { id: string; accountId: string; codeHash: string; usedAt: string | null };
  webauthnCredentials: {
    id: string;
    accountId: string;
    publicKey: string;
    counter: number;
    transports: string;
    name: string;
    createdAt: string;
    lastUsedAt: string | null;
  };
  officeKeys: { id: string; publicKey: string; fingerprint: string; createdBy: string | null; createdAt: string; retiredAt: string | null };
};

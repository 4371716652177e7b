import { z } from 'zod';
import { checkbox, checkboxes } from '../../core/http/forms.ts';
import { ROLES } from '../../core/auth/permissions.ts';

export const signInSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  next: z.string().max(500).optional(),
});

export const codeSchema = z.object({ code: z.string().trim().min(1).max(20) });

/** Enrolling TOTP; `password` is asked when a signed-in session replaces the authenticator app. */
export const enrolTotpSchema = codeSchema.extend({ password: z.string().max(1024).optional() });

const newPassword = z
  .object({ password: z.string().min(1).max(1024), confirm: z.string().max(1024) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'accounts.errors.passwordMismatch' });

export const setPasswordSchema = newPassword;

export const changePasswordSchema = z
  .object({ current: z.string().min(1).max(1024), password: z.string().min(1).max(1024), confirm: z.string().max(1024) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'accounts.errors.passwordMismatch' });

export const inviteSchema = (locales: readonly string[]) =>
  z.object({
    displayName: z.string().trim().min(1).max(120),
    email: z.email().max(254),
    roles: checkboxes(z.enum(ROLES)).pipe(z.array(z.enum(ROLES)).min(1, 'accounts.errors.chooseRole')),
    locale: z.enum(locales as [string, ...string[]]),
  });

export const rolesSchema = z.object({
  roles: checkboxes(z.enum(ROLES)).pipe(z.array(z.enum(ROLES)).min(1, 'accounts.errors.chooseRole')),
});

/** A number typed in a text box; empty or missing is "keep the current value". */
const setupNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim().replace(',', '.'))) : v), schema.optional());

export const setupSchema = (locales: readonly string[]) =>
  z
    .object({
      officeName: z.string().trim().min(2).max(120),
      county: z.string().trim().min(2).max(80),
      state: z.string().trim().min(2).max(40),
      localTipPhone: z.string().trim().max(40).regex(/^[0-9+()\-.\s]*$/, 'accounts.errors.phone'),
      languages: checkboxes(z.enum(locales as [string, ...string[]])).pipe(z.array(z.string()).min(1, 'accounts.errors.chooseLanguage')),
      adminName: z.string().trim().min(1).max(120),
      adminEmail: z.email().max(254),
      password: z.string().min(1).max(1024),
      confirm: z.string().max(1024),
      /** Offered checked: an office set up for real should not keep the made-up map. */
      removeDemo: checkbox(),
      // Prefilled with the current values; left empty, the current value stays.
      mapLat: setupNumber(z.number().min(-90).max(90)),
      mapLng: setupNumber(z.number().min(-180).max(180)),
      mapZoom: setupNumber(z.number().int().min(1).max(18)),
      noticeThirdLanguage: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined), z.string().trim().max(40).optional()),
    })
    .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'accounts.errors.passwordMismatch' });

/** Only console paths may follow sign-in: no open redirect through `next`. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/[A-Za-z0-9/_\-.?=&%]*)?$/.test(next) && !next.startsWith('//') ? next : '/console';
}

// WebAuthn answers from the passkey island: shapes and sizes checked here, signatures in the service.
const b64url = z.string().max(8192).regex(/^[A-Za-z0-9_-]*$/);
const credentialBase = {
  id: b64url.min(1).max(1024),
  rawId: b64url.min(1).max(1024),
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

export const passkeyRegistrationSchema = z.object({
  name: z.string().trim().max(60).default(''),
  password: z.string().max(1024).optional(),
  response: z.object({
    ...credentialBase,
    response: z.object({
      clientDataJSON: b64url,
      attestationObject: b64url,
      transports: z.array(z.string().max(20)).max(10).optional(),
    }),
  }),
});

export const passkeyAuthenticationSchema = z.object({
  next: z.string().max(500).optional(),
  response: z.object({
    ...credentialBase,
    response: z.object({
      clientDataJSON: b64url,
      authenticatorData: b64url,
      signature: b64url,
      userHandle: b64url.optional(),
    }),
  }),
});

/** A query value one of `names`, or nothing: anything else is ignored, never an error. */
const oneOf = <const T extends readonly [string, ...string[]]>(names: T) => z.enum(names).optional().catch(undefined);
const next = z.string().max(500).optional().catch(undefined);

export const signInQuery = z.object({ next, notice: oneOf(['signedOut', 'expired', 'kept', 'passwordSet', 'secondFactorEnded']) });
export const nextQuery = z.object({ next });
export const ownAccountQuery = z.object({ notice: oneOf(['locale', 'passkeyAdded', 'passkeyEnrolled', 'passkeyRemoved', 'passkeyLastFactor', 'unlocked']) });
export const sessionsQuery = z.object({ notice: oneOf(['signedOutOthers', 'revoked']) });
export const doneQuery = z.object({ done: z.literal('1').optional().catch(undefined) });
export const adminNoticeQuery = z.object({ notice: oneOf(['invited', 'roles', 'deactivated', 'reactivated', 'resetSent', 'secondFactorReset', 'revoked']) });

/** `?token=` on first-run setup: anything but one string reads as no token, which answers 404. */
export const setupQuery = z.object({ token: z.string().max(200).catch('') });

export const idParams = z.object({ id: z.string().min(1).max(200) });
export const tokenParams = z.object({ token: z.string().min(1).max(200) });
export const handleParams = z.object({ handle: z.string().regex(/^[0-9a-f]{16}$/) });

export const unlockSchema = z.object({ password: z.string().max(1024).default(''), next: z.string().max(500).optional() });
export const activeSchema = z.object({ active: z.string().max(10).optional() });
export const localeSchema = (locales: readonly string[]) => z.object({ locale: z.enum(locales as [string, ...string[]]) });

import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/**
 * Why a password is refused, as a translation key, or undefined when it is acceptable.
 * Length first (NIST 800-63B), then the bundled list of common passwords, including the
 * usual disguises: a common word padded with digits or symbols, or the person's own name or e-mail.
 */
export function passwordProblem(password: string, personal: { email?: string; name?: string } = {}): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return 'accounts.errors.passwordTooShort';
  if (password.length > MAX_PASSWORD_LENGTH) return 'accounts.errors.passwordTooLong';
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (common.has(lower) || (core.length >= 4 && common.has(core) && core.length >= lower.length / 2)) return 'accounts.errors.passwordCommon';
  if (/^(.)\1+$/.test(lower) || /^(0123456789|1234567890|abcdefghij)/.test(lower)) return 'accounts.errors.passwordCommon';
  const local = personal.email?.split('@')[0]?.toLowerCase();
  if ((local && local.length >= 4 && lower.includes(local)) || (personal.name && personal.name.length >= 4 && lower.includes(personal.name.toLowerCase()))) {
    return 'accounts.errors.passwordPersonal';
  }
  return undefined;
}

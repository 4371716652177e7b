import type { Context } from '../../core/context.ts';
import type { Staff } from '../../core/auth/staff.ts';
import { demoSettings, type OfficeSettings } from '../../core/settings/settings.ts';
import { tipReaders } from '../accounts/index.ts';
import { backupStatus } from '../backups/index.ts';
import { tipLineState, type TipLineState } from '../tips/index.ts';
import { testEmail } from './emails/test-email.tsx';

export const CHECKLIST_STEPS = ['contact', 'social', 'reviewer', 'smtp', 'backups'] as const;
export type ChecklistStep = (typeof CHECKLIST_STEPS)[number];

export type Checklist = {
  done: Record<ChecklistStep, boolean>;
  left: number;
  tipLine: TipLineState;
  lastBackupAt: string | undefined;
};

/** Set, and not the demo office's placeholder. */
const real = (settings: OfficeSettings, key: 'contactAddress' | 'contactEmail' | 'officePhone' | 'facebookUrl' | 'twitterUrl' | 'instagramUrl') =>
  settings[key] !== '' && settings[key] !== demoSettings[key];

/**
 * What an office still has to do before it is really set up: its public contact, at least one
 * social account, a tip reviewer, real e-mail delivery, and backups that run. Each is read from
 * what the app can see itself; backups count as scheduled while the last `heatwatch backup` is
 * recent (the app cannot see a timer, only its results).
 */
export async function setupChecklist(ctx: Context): Promise<Checklist> {
  const settings = await ctx.settings.get();
  const [readers, backups, tipLine] = await Promise.all([tipReaders(ctx), backupStatus(ctx), tipLineState(ctx)]);
  const done: Record<ChecklistStep, boolean> = {
    contact: real(settings, 'contactAddress') && real(settings, 'contactEmail') && real(settings, 'officePhone'),
    social: real(settings, 'facebookUrl') || real(settings, 'twitterUrl') || real(settings, 'instagramUrl'),
    reviewer: readers.length > 0,
    smtp: ctx.config.smtpUrl !== undefined,
    backups: backups.fresh,
  };
  return { done, left: CHECKLIST_STEPS.filter((s) => !done[s]).length, tipLine, lastBackupAt: backups.last?.createdAt };
}

/**
 * Opens the tip form before any tip reader exists. The administrator has been told that until a
 * reader joins only the office recovery key opens what arrives; the audit row records that they chose it.
 */
export async function openTipLineEarly(ctx: Context): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.settings.update({ tipLineOpenedEarly: true }, trx);
    await ctx.audit(trx, { action: 'settings.tip_line_opened_early', targetType: 'settings' });
  });
  ctx.settings.invalidate();
}

/** A test message to the signed-in administrator, queued through the outbox like every other. */
export async function sendTestEmail(ctx: Context, staff: Staff): Promise<void> {
  const settings = await ctx.settings.get();
  const email = testEmail(ctx.catalogs, { locale: staff.account.locale, officeName: settings.officeName, transport: ctx.config.smtpUrl ? 'smtp' : 'folder' });
  await ctx.db.transaction().execute((trx) => ctx.mailer.queue(trx, staff.account.email, email));
}

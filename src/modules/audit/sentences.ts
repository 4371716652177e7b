import type { AuditRow } from '../../core/audit/audit.ts';
import type { Translate } from '../../core/i18n/catalog.ts';

/**
 * Groups of actions for the log's filter, each a list of action prefixes (ending in `.`) or whole
 * actions. Together they cover every action the code writes (the sentence test checks it).
 */
export const ACTION_GROUPS = {
  tips: ['tip.', 'settings.tip_retention', 'settings.tip_line_opened_early'],
  sign_in: ['auth.'],
  accounts: ['account.', 'office_key.', 'setup.'],
  map1193: ['map1193.'],
  content: ['content.', 'news.', 'outbox.', 'settings.update', 'audit.', 'backup.'],
  mailing: ['mailing.'],
  events: ['training_request.', 'event_registration.'],
} as const satisfies Record<string, readonly string[]>;

export type ActionGroup = keyof typeof ACTION_GROUPS;
export const ACTION_GROUP_NAMES = Object.keys(ACTION_GROUPS) as ActionGroup[];

/** Whether an action belongs to a group. */
export const inGroup = (action: string, group: ActionGroup) =>
  (ACTION_GROUPS[group] as readonly string[]).some((p) => (p.endsWith('.') ? action.startsWith(p) : action === p));

/** The catalog key of an action's sentence: `audit.actions.tip.open` for `tip.open`. */
export const sentenceKey = (action: string) => `audit.actions.${action}`;

/** What the sentence needs besides the row: names of the accounts and tips it mentions. */
export type SentenceNames = { accounts: ReadonlyMap<string, string>; tipLabel: (id: string) => string };

const BUILT_IN_ACTORS = new Set(['system', 'cli', 'public', 'anonymous']);

function actorName(row: AuditRow, t: Translate, names: SentenceNames): string {
  if (row.actorId) return names.accounts.get(row.actorId) ?? row.actorLabel;
  return BUILT_IN_ACTORS.has(row.actorLabel) ? t(`audit.actors.${row.actorLabel}`) : row.actorLabel;
}

function targetName(row: AuditRow, t: Translate, names: SentenceNames): string {
  if (!row.targetType) return '';
  const id = row.targetId ?? '';
  const label = row.targetType === 'tip' ? names.tipLabel(id) : row.targetType === 'account' ? (names.accounts.get(id) ?? id) : id;
  const key = `audit.targets.${row.targetType}`;
  const phrase = t(key, { id: label });
  // A record type with no words yet still reads, by its code.
  return phrase === key ? `${row.targetType} ${label}`.trim() : phrase;
}

/**
 * One row as a sentence in the reader's language ("Tina Reviewer opened tip T-x5S0"); an action
 * with no sentence yet falls back to its code, so a new action never hides a row.
 */
export function auditSentence(row: AuditRow, t: Translate, names: SentenceNames): string {
  const params = { actor: actorName(row, t, names), target: targetName(row, t, names) };
  const key = sentenceKey(row.action);
  const sentence = t(key, params);
  return sentence === key ? t('audit.actions.unknown', { ...params, action: row.action }) : sentence;
}

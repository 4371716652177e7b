import type { Migration } from 'kysely';
import * as core from './20261128T0001-core.ts';
import * as secrets from './20261128T0002-secrets.ts';
import * as accounts from './20261128T0003-accounts.ts';
import * as map1193 from './20261128T0100-map1193.ts';
import * as tips from './20261128T0200-tips.ts';
import * as content from './20261128T0300-content.ts';
import * as map1193Enforcement from './20261128T0400-map1193-enforcement.ts';
import * as map1193CasePhotos from './20261129T0100-map1193-case-photos.ts';
import * as sessionKeys from './20261201T0100-session-keys.ts';
import * as tipsHardening from './20261201T0200-tips-hardening.ts';
import * as outboxBearer from './20261201T0300-outbox-bearer.ts';
import * as passkeyCounterBigint from './20261201T0400-passkey-counter-bigint.ts';
import * as map1193Categories from './20261201T0900-map1193-categories.ts';
import * as map1193Alerts from './20261201T1000-map1193-alerts.ts';
import * as map1193ReportOutcomes from './20261201T1100-map1193-report-outcomes.ts';
import * as map1193CaseNumbers from './20261201T1300-map1193-case-numbers.ts';
import * as map1193BusinessChanges from './20261201T1400-map1193-business-changes.ts';
import * as sessionDrafts from './20261202T0250-session-drafts.ts';
import * as backups from './20261202T0400-backups.ts';
import * as mailing from './20261202T0500-mailing.ts';
import * as events from './20261202T0600-events.ts';
import * as map1193CategoryChanges from './20261202T0800-map1193-category-changes.ts';

/** Listed by hand so the bundled server carries its migrations; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '20261128T0001-core': core,
  '20261128T0002-secrets': secrets,
  '20261128T0003-accounts': accounts,
  '20261128T0100-map1193': map1193,
  '20261128T0200-tips': tips,
  '20261128T0300-content': content,
  '20261128T0400-map1193-enforcement': map1193Enforcement,
  '20261129T0100-map1193-case-photos': map1193CasePhotos,
  '20261201T0100-session-keys': sessionKeys,
  '20261201T0200-tips-hardening': tipsHardening,
  '20261201T0300-outbox-bearer': outboxBearer,
  '20261201T0400-passkey-counter-bigint': passkeyCounterBigint,
  '20261201T0900-map1193-categories': map1193Categories,
  '20261201T1000-map1193-alerts': map1193Alerts,
  '20261201T1100-map1193-report-outcomes': map1193ReportOutcomes,
  '20261201T1300-map1193-case-numbers': map1193CaseNumbers,
  '20261201T1400-map1193-business-changes': map1193BusinessChanges,
  '20261202T0250-session-drafts': sessionDrafts,
  '20261202T0400-backups': backups,
  '20261202T0500-mailing': mailing,
  '20261202T0600-events': events,
  '20261202T0800-map1193-category-changes': map1193CategoryChanges,
};

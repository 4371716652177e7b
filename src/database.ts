import type { Kysely } from 'kysely';
import type { CoreTables } from './core/db/tables.ts';
import type { AccountsTables } from './modules/accounts/tables.ts';
import type { BackupsTables } from './modules/backups/tables.ts';
import type { MailingTables } from './modules/mailing/tables.ts';
import type { EventsTables } from './modules/events/tables.ts';
import type { MapTables } from './modules/map1193/tables.ts';
import type { NewsTables } from './modules/news/tables.ts';
import type { PagesTables } from './modules/pages/tables.ts';
import type { TipsTables } from './modules/tips/tables.ts';

/**
 * Every table of the app, camelCase as the CamelCasePlugin shows them: core's own and each
 * module's `tables.ts`. A new module adds its tables here. Migrations stay on `Kysely<any>`:
 * they describe the schema as it was, not as these types say it is now.
 */
export type Database = CoreTables & AccountsTables & BackupsTables & EventsTables & MailingTables & MapTables & NewsTables & PagesTables & TipsTables;

/** A handle or a transaction over the whole database; repos, services and core components take it first. */
export type Db = Kysely<Database>;

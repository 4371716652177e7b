import type { Migration } from 'kysely';
import * as core from './20261128T0001-core.ts';

/** Listed by hand so the bundled server carries its migrations; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '20261128T0001-core': core,
};

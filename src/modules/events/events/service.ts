import type { Context } from '../../../core/context.ts';
import type { EventRow } from '../tables.ts';
import * as repo from './repo.ts';

/** The address a host shares: the event's own page, in the event's language. */
export function shareLink(ctx: Context, event: Pick<EventRow, 'id' | 'language'>): string {
  const prefix = event.language === ctx.catalogs.defaultLocale || !ctx.catalogs.locales.includes(event.language) ? '' : `/${event.language}`;
  return `${ctx.config.baseUrl}${prefix}/events/${event.id}`;
}

export async function eventForStaff(ctx: Context, id: string): Promise<{ event: EventRow; link: string } | undefined> {
  const event = await repo.findEvent(ctx.db, id);
  return event ? { event, link: shareLink(ctx, event) } : undefined;
}

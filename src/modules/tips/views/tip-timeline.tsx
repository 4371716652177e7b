import { usePage } from '../../../core/views/context.ts';
import { useOfficeTime } from '../../../core/views/time.ts';
import type { TimelineEntry } from '../timeline.service.ts';
import type { TipDetail } from '../triage.service.ts';

/** Actions the timeline words; anything else shows by its code, so no row is ever hidden. */
const WORDED = new Set(['tip.open', 'tip.handoff', 'tip.status', 'tip.assign', 'tip.reply', 'tip.note', 'tip.grant', 'tip.file_open', 'tip.contact_open', 'tip.duplicate', 'tip.tags', 'tip.spam_flagged']);

type Item = { at: string; text: string; coarse: boolean; action?: string };
type Shown = Item & { last?: string; count: number };

/**
 * What happened to the tip, oldest first: its arrival and the sender's messages (coarse hours,
 * as the tip line keeps them) among the staff's actions from the audit log (to the minute).
 * A person's later openings are counted on the line of their first, not listed one by one.
 */
export function TipTimeline({ detail, entries }: { detail: TipDetail; entries: TimelineEntry[] }) {
  const { t } = usePage();
  const time = useOfficeTime();
  const words = (e: TimelineEntry): string => {
    if (!WORDED.has(e.action)) return t('tips.timeline.other', { actor: e.actor, action: e.action });
    if (e.action === 'tip.status') {
      const status = t(`tips.status.${e.params.status}`);
      const extra = e.params.agency ? t(`tips.agencies.${e.params.agency}`) : e.params.disposition ? t(`tips.dispositions.${e.params.disposition}`) : undefined;
      return extra ? t('tips.timeline.statusWith', { actor: e.actor, status, extra }) : t('tips.timeline.tip.status', { actor: e.actor, status });
    }
    if (e.action === 'tip.assign' && !e.params.person) return t('tips.timeline.unassigned', { actor: e.actor });
    return t(`tips.timeline.${e.action}`, { actor: e.actor, ...e.params });
  };
  const items: Item[] = [
    { at: detail.tip.receivedAt, text: t('tips.timeline.received'), coarse: true },
    ...detail.messages.filter((m) => m.author === 'tipster').map((m) => ({ at: m.at, text: t('tips.timeline.senderWrote'), coarse: true })),
    ...entries.map((e) => ({ at: e.at, text: words(e), coarse: false, action: e.action })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  // Every visit to the page is an opening: each person's first one is shown, with a count of the rest.
  const shown: Shown[] = [];
  const firstOpen = new Map<string, Shown>();
  for (const item of items) {
    const open = item.action === 'tip.open' ? firstOpen.get(item.text) : undefined;
    if (open) {
      open.count++;
      open.last = item.at;
      continue;
    }
    const entry: Shown = { ...item, count: 1 };
    if (item.action === 'tip.open') firstOpen.set(item.text, entry);
    shown.push(entry);
  }
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('tips.timeline.title')}</h2>
      <ol class="timeline">
        {shown.map((s, i) => (
          <li key={i}>
            <time dateTime={s.at}>{time(s.at, s.coarse ? 'hour' : 'minute')}</time>
            <span>
              {s.text}
              {s.count > 1 && s.last ? <> {t('tips.timeline.repeated', { count: s.count, last: time(s.last, 'minute') })}</> : null}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

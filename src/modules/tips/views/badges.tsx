import { usePage } from '../../../core/views/context.ts';
import type { TipStatus } from '../tables.ts';

/** Status as a badge; closed is quiet, new is loud. */
export function StatusBadge({ status }: { status: TipStatus }) {
  const { t } = usePage();
  const tone = status === 'new' ? ' badge-warn' : status === 'closed' ? '' : ' badge-ok';
  return <span class={`badge${tone}`}>{t(`tips.status.${status}`)}</span>;
}

export function UrgentBadge() {
  const { t } = usePage();
  return <span class="badge badge-danger">{t('tips.queue.urgent')}</span>;
}

/** `T-Ab3x_9Qz`: the reference staff read aloud and type to link duplicates. */
export const refLabel = (id: string) => `T-${id.slice(0, 8)}`;

import { usePage } from '../../../../core/views/context.ts';
import { type Community, COMMUNITY_DAYS } from '../community.ts';

/** "3 reports in the last 90 days: 2 missing, 1 posted", biggest count first. */
export function useCommunityText() {
  const { t } = usePage();
  return (community: Community) => {
    if (community.total === 0) return t('map.community.none', { days: COMMUNITY_DAYS });
    const parts = [...community.counts].sort((a, b) => b.n - a.n).map((c) => t(`map.community.count.${c.observed}`, { count: c.n }));
    return t('map.community.summary', { count: community.total, days: COMMUNITY_DAYS, parts: parts.join(', ') });
  };
}

/** The community picture beside the official status, with a badge when reporters disagree. */
export function CommunityPicture({ community }: { community: Community }) {
  const { t } = usePage();
  const text = useCommunityText();
  return (
    <>
      <span class="community-summary">{text(community)}</span>
      {community.disagree ? <> <span class="status-badge reports-disagree">{t('map.community.disagree')}</span></> : null}
    </>
  );
}

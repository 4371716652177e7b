import { nationalHotlineName } from '../businesses/notice-text.ts';
import type { PublicBusiness } from '../businesses/repo.ts';
import type { RuleSet } from '../rules/rules.ts';

export type LetterInput = {
  business: Pick<PublicBusiness, 'name' | 'address' | 'city'>;
  caseId: string;
  /** The day the notice is sent and the last day of the cure period (YYYY-MM-DD, California). */
  day: string;
  cureDay: string;
  rules: RuleSet;
  earlierPenalties: number;
};

const usd = (n: number) => `$${n.toLocaleString('en-US')}`;

/**
 * The notice of violation as plain text: what the law requires (from the rules in force), the
 * cure date and the penalty that follows. Stored as generated and never re-rendered, so the
 * letter the business received is the one its SHA-256 covers.
 */
export function noticeLetter({ business, caseId, day, cureDay, rules, earlierPenalties }: LetterInput): string {
  const notice = rules.notice;
  const penalty = rules.penalty;
  const amount = penalty ? (earlierPenalties === 0 ? penalty.firstOffenceUsd : penalty.laterOffenceUsd) : 0;
  const lines = [
    'NOTICE OF VIOLATION',
    'California Civil Code section 52.6',
    '',
    `Date: ${day}`,
    `Case: ${caseId}`,
    '',
    `To the owner or operator of ${business.name}`,
    business.address,
    business.city,
    '',
    'An inspector of this office visited your establishment and found that the human trafficking',
    'notice required by California Civil Code section 52.6 was not posted as the law requires.',
    '',
    'The law requires:',
    ...(notice
      ? [
          `- a notice at least ${notice.minWidthIn} by ${notice.minHeightIn} inches, in type of at least ${notice.minFontPt} points;`,
          `- in English, Spanish and the county's third language;`,
          `- the ${nationalHotlineName(notice.since)} ${notice.nationalHotline}${notice.textLine ? ` and the text line ${notice.textLine}` : ''};`,
          `- the California Coalition to Abolish Slavery and Trafficking hotline ${notice.castHotline};`,
        ]
      : []),
    '- posted in a conspicuous place near the public entrance, or where notices to employees are posted.',
    '',
    `You have until ${cureDay} (${penalty?.cureDays ?? 30} days) to correct the violation. An inspector will return after that date.`,
    penalty
      ? `If the violation is not corrected, a civil penalty of ${usd(amount)} will be imposed (${usd(penalty.firstOffenceUsd)} for a first offense, ${usd(penalty.laterOffenceUsd)} for each subsequent offense).`
      : '',
    '',
    'The notice to print is available free of charge at /map1193/check.',
  ];
  return `${lines.join('\n')}\n`;
}

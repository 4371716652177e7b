import { usePage } from '../../../../core/views/context.ts';
import { Layout } from '../../../../core/views/layout.tsx';
import { fillNumbers, type NoticeText } from '../notice-text.ts';
import type { NoticeRule } from '../../rules/rules.ts';
import { NOTICE_LANGS, NOTICE_PAPERS } from '../../schema.ts';
import { formatNumber, ModuleStyles } from '../../shared/views/components.tsx';

export type NoticePageProps = {
  rule: NoticeRule;
  lang: (typeof NOTICE_LANGS)[number];
  paper: (typeof NOTICE_PAPERS)[number];
  /** The sheets to print, one per language, in the law's order. */
  sheets: NoticeText[];
  /** The county's third language, from the office's settings. */
  thirdLanguage: string;
  /** False when we have no text yet for the third language. */
  thirdAvailable: boolean;
};

function Sheet({ text, rule }: { text: NoticeText; rule: NoticeRule }) {
  const numbers = { text: rule.textLine ?? '', national: rule.nationalHotline, cast: rule.castHotline };
  return (
    <section class="notice-sheet" lang={text.lang} aria-labelledby={`sheet-${text.lang}`}>
      <h2 id={`sheet-${text.lang}`}>{text.heading}</h2>
      <p>{text.intro}</p>
      <ul class="notice-numbers">
        {rule.textLine ? <li>{fillNumbers(text.textLine, numbers)}</li> : null}
        <li>{fillNumbers(text.nationalLine, numbers)}</li>
        <li>{fillNumbers(text.castLine, numbers)}</li>
      </ul>
      <p>{text.outro}</p>
      <p><strong>{text.protected}</strong></p>
      <p>{text.hotlinesAre}</p>
      <ul class="notice-facts">
        {text.hotlineFacts.map((fact) => <li key={fact}>{fact}</li>)}
      </ul>
    </section>
  );
}

/** The notice to print, one sheet per language; the print stylesheet sets the paper the query asks for. */
export function NoticePage({ rule, lang, paper, sheets, thirdLanguage, thirdAvailable }: NoticePageProps) {
  const { t, href, locale } = usePage();
  const link = (choice: { lang: string; paper: string }) => `${href('/map1193/notice')}?lang=${choice.lang}${choice.paper === 'letter' ? '' : `&paper=${choice.paper}`}`;
  const choices: { value: (typeof NOTICE_LANGS)[number]; label: string }[] = [
    { value: 'all', label: t('map.notice.all') },
    { value: 'en', label: t('map.notice.english') },
    { value: 'es', label: t('map.notice.spanish') },
    { value: 'county', label: thirdLanguage },
  ];
  return (
    <Layout title={t('map.notice.title')} description={t('map.notice.intro')} pageClass={`map1193-notice notice-paper-${paper}`}>
      <ModuleStyles names={['map1193.css', 'map1193-notice.css']} />
      <div class="notice-controls">
        <h1>{t('map.notice.title')}</h1>
        <p>{t('map.notice.intro')}</p>
        <p>{t('map.notice.requirements', { width: formatNumber(rule.minWidthIn, locale), height: formatNumber(rule.minHeightIn, locale), points: formatNumber(rule.minFontPt, locale), third: thirdLanguage })}</p>
        {thirdAvailable ? null : <p class="notice notice-danger">{t('map.notice.thirdMissing', { language: thirdLanguage })}</p>}
        <nav aria-label={t('map.notice.languages')}>
          <ul class="notice-langs">
            {choices.map((c) => (
              <li key={c.value}>
                {c.value === lang ? <span aria-current="page">{c.label}</span> : <a href={link({ lang: c.value, paper })}>{c.label}</a>}
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-label={t('map.notice.paper')}>
          <ul class="notice-langs">
            {NOTICE_PAPERS.map((p) => (
              <li key={p}>
                {p === paper ? <span aria-current="page">{t(`map.notice.papers.${p}`)}</span> : <a href={link({ lang, paper: p })}>{t(`map.notice.papers.${p}`)}</a>}
              </li>
            ))}
          </ul>
        </nav>
        <p>{t('map.notice.howToPrint', { paper: t(`map.notice.papers.${paper}`) })}</p>
      </div>
      {sheets.map((text) => <Sheet key={text.lang} text={text} rule={rule} />)}
    </Layout>
  );
}

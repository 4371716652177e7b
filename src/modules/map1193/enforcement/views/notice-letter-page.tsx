import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { NoticeRow } from '../../tables.ts';
import { ModuleStyles } from '../../shared/views/components.tsx';

export type NoticeLetterPageProps = { notice: NoticeRow; intact: boolean };

/**
 * The stored markup, shown only when it still matches its SHA-256: it was rendered (and escaped)
 * by the letter template when the notice was sent, and nothing since has touched it.
 */
function StoredLetter({ notice, intact }: NoticeLetterPageProps) {
  if (notice.format === 'html' && intact) return <div dangerouslySetInnerHTML={{ __html: notice.letter }} />;
  return <pre class="letter letter-source">{notice.letter}</pre>;
}

/** A stored notice of violation exactly as issued, with its SHA-256; printing prints the letter alone. */
export function NoticeLetterPage({ notice, intact }: NoticeLetterPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('letter.title')}>
      <ModuleStyles names={['map1193-letter.css']} />
      <div class="letter-tools">
        <h1>{t('letter.title')}</h1>
        <p>
          <a href={`/console/map1193/inspections/${notice.businessId}`}>{t('letter.page.back')}</a> ·{' '}
          <a href={`/console/map1193/inspections/${notice.businessId}/record`}>{t('letter.page.record')}</a>
        </p>
        <p>
          {t('letter.page.hash')}: <code class="hash">{notice.sha256}</code>
        </p>
        <p role="status" class={intact ? 'notice' : 'notice error-summary'}>{intact ? t('letter.page.intact') : t('letter.page.altered')}</p>
        <p class="hint">{t('letter.page.printHint')}</p>
      </div>
      <StoredLetter notice={notice} intact={intact} />
    </ConsoleLayout>
  );
}

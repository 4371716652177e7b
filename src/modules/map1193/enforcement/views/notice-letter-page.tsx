import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import type { NoticeRow } from '../../tables.ts';

export type NoticeLetterPageProps = { notice: NoticeRow; intact: boolean };

/** A stored notice of violation, shown exactly as generated (plain text), with its SHA-256. */
export function NoticeLetterPage({ notice, intact }: NoticeLetterPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('map.enforcement.letter.title')}>
      <h1>{t('map.enforcement.letter.title')}</h1>
      <p><a href={`/console/map1193/inspections/${notice.businessId}`}>{t('map.enforcement.letter.back')}</a></p>
      <pre class="letter">{notice.letter}</pre>
      <p>{t('map.enforcement.letter.hash')}: <code>{notice.sha256}</code> · {intact ? t('map.enforcement.letter.intact') : t('map.enforcement.letter.altered')}</p>
    </ConsoleLayout>
  );
}

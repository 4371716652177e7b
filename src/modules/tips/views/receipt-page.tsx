import { usePage } from '../../../core/views/context.ts';
import { Layout } from '../../../core/views/layout.tsx';
import { formatReceipt } from '../crypto.ts';
import { HelpNowBox } from './help-box.tsx';

export type ReceiptPageProps = { receipt: string; urgent: boolean };

/**
 * The receipt code, shown this once: it is not stored anywhere the office could show it again.
 * When the tipster said someone is in danger now, 911 comes first on the page.
 */
export function ReceiptPage({ receipt, urgent }: ReceiptPageProps) {
  const { t, href } = usePage();
  return (
    <Layout title={t('tips.receipt.title')} noindex>
      {urgent ? <HelpNowBox id="urgent-title" title={t('tips.receipt.urgentTitle')} intro={t('tips.receipt.urgentIntro')} /> : null}
      <h1>{t('tips.receipt.title')}</h1>
      <p class="notice notice-ok" role="status">{t('tips.receipt.thanks')}</p>
      <h2 id="receipt-label">{t('tips.receipt.codeHeading')}</h2>
      <p class="secret-box">
        <span data-receipt="">{formatReceipt(receipt)}</span>
      </p>
      <ul class="prose">
        <li>{t('tips.receipt.keep')}</li>
        <li>{t('tips.receipt.onlyOnce')}</li>
        <li>{t('tips.receipt.safety')}</li>
        <li>{t('tips.receipt.use')}</li>
      </ul>
      <p>
        <a class="button" href={href('/tip/follow-up')}>{t('tips.receipt.followUp')}</a>
      </p>
    </Layout>
  );
}

export const sampleReceiptPageProps: ReceiptPageProps = { receipt: '1234567890123456', urgent: true };

/** The same form sent a second time: the tip is stored once, and its code was on the first answer. */
export function AlreadyReceivedPage() {
  const { t, href } = usePage();
  return (
    <Layout title={t('tips.receipt.alreadyTitle')} noindex>
      <h1>{t('tips.receipt.alreadyTitle')}</h1>
      <p class="prose">{t('tips.receipt.alreadyBody')}</p>
      <p><a href={href('/tip/follow-up')}>{t('tips.receipt.followUp')}</a></p>
      <p><a href={href('/tip')}>{t('tips.receipt.another')}</a></p>
    </Layout>
  );
}

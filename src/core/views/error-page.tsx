import { usePage } from './context.ts';
import { Layout } from './layout.tsx';

/**
 * `message`: a translated domain error message, shown instead of the status's general text.
 * `code`: the refusal's code, where it says more than its status (a stale form is not a lack of rights).
 */
export type ErrorPageProps = { status: number; message?: string | undefined; code?: string | undefined };

const keyByCode: Record<string, string> = {
  csrf: 'expiredForm',
};

const keyByStatus: Record<number, string> = {
  400: 'badRequest',
  403: 'forbidden',
  404: 'notFound',
  409: 'conflict',
  413: 'tooLarge',
  429: 'tooMany',
};

/** Translated error page; a 5xx never shows what went wrong, only what to do. */
export function ErrorPage({ status, message, code }: ErrorPageProps) {
  const { t, href } = usePage();
  const key = (code ? keyByCode[code] : undefined) ?? keyByStatus[status] ?? (status >= 500 ? 'server' : 'badRequest');
  return (
    <Layout title={t(`common.errors.${key}.title`)} noindex>
      <h1>{t(`common.errors.${key}.title`)}</h1>
      <p>{message && status < 500 ? message : t(`common.errors.${key}.body`)}</p>
      <p>{t('common.errors.helpNow')}</p>
      <p><a href={href('/')}>{t('common.errors.home')}</a></p>
    </Layout>
  );
}

export const sampleErrorPageProps: ErrorPageProps = { status: 404 };

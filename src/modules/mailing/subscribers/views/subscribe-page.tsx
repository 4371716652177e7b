import { usePage } from '../../../../core/views/context.ts';
import { ChoiceGroup, CsrfField, ErrorSummary, type FormState, TextField } from '../../../../core/views/forms.tsx';
import { Layout } from '../../../../core/views/layout.tsx';
import { type Topic, topicLabel } from '../../topics/service.ts';
import type { Wording } from '../wording.ts';

export type SubscribePageProps = { form: FormState; topics: Topic[]; wording: Wording };

/** The mailing list's front door: address, optional name, topics and language, and what agreeing means. */
export function SubscribePage({ form, topics, wording }: SubscribePageProps) {
  const { t, href, locale, locales } = usePage();
  return (
    <Layout title={t('mailing.subscribe.title')} description={t('mailing.subscribe.intro')}>
      <h1>{t('mailing.subscribe.title')}</h1>
      <p>{t('mailing.subscribe.intro')}</p>
      <form method="post" action={href('/subscribe')} novalidate>
        <ErrorSummary errors={form.errors} />
        <CsrfField />
        <input type="hidden" name="wording" value={wording.hash} />
        <TextField state={form} name="email" type="email" label={t('mailing.subscribe.email')} hint={t('mailing.subscribe.emailHint')} required autocomplete="email" maxLength={254} />
        <TextField state={form} name="name" label={t('mailing.subscribe.name')} hint={t('mailing.subscribe.nameHint')} autocomplete="name" maxLength={100} />
        <ChoiceGroup state={form} name="topics" legend={t('mailing.subscribe.topics')} hint={t('mailing.subscribe.topicsHint')} multiple options={topics.map((topic) => ({ value: topic.key, label: topicLabel(topic, locale) }))} />
        <ChoiceGroup
          state={form}
          name="language"
          legend={t('mailing.subscribe.language')}
          defaultValue={locale}
          options={locales.map((l) => ({ value: l, label: t(`common.languageName.${l}`) }))}
        />
        <p class="consent" id="consent">{wording.text}</p>
        <button type="submit" class="button" aria-describedby="consent">{t('mailing.subscribe.submit')}</button>
      </form>
      <p><a href={href('/privacy')}>{t('mailing.subscribe.privacy')}</a></p>
    </Layout>
  );
}

/** The same page whoever's address was typed: nothing here says whether it was known. */
export function SubscribeSentPage() {
  const { t, href } = usePage();
  return (
    <Layout title={t('mailing.sent.title')} noindex>
      <h1>{t('mailing.sent.title')}</h1>
      <p>{t('mailing.sent.body')}</p>
      <p>{t('mailing.sent.notReceived')}</p>
      <p><a href={href('/')}>{t('mailing.sent.home')}</a></p>
    </Layout>
  );
}

export type ConfirmPageProps = { token: string; topics: Topic[]; chosen: string[]; alreadySubscribed: boolean };

/** A link from the e-mail only shows this: mail scanners open links, so only the button confirms. */
export function ConfirmPage({ token, topics, chosen, alreadySubscribed }: ConfirmPageProps) {
  const { t, href, locale } = usePage();
  const labels = topics.filter((topic) => chosen.includes(topic.key)).map((topic) => topicLabel(topic, locale));
  return (
    <Layout title={t('mailing.confirm.title')} noindex>
      <h1>{t('mailing.confirm.title')}</h1>
      <p>{t(alreadySubscribed ? 'mailing.confirm.leadKnown' : 'mailing.confirm.lead')}</p>
      <ul>
        {labels.map((label) => (
          <li key={label}>{label}</li>
        ))}
      </ul>
      <form method="post" action={href(`/subscribe/confirm/${token}`)}>
        <CsrfField />
        <button type="submit" class="button">{t('mailing.confirm.submit')}</button>
      </form>
    </Layout>
  );
}

export function ConfirmedPage() {
  const { t, href } = usePage();
  return (
    <Layout title={t('mailing.confirmed.title')} noindex>
      <h1>{t('mailing.confirmed.title')}</h1>
      <p>{t('mailing.confirmed.body')}</p>
      <p><a href={href('/')}>{t('mailing.sent.home')}</a></p>
    </Layout>
  );
}

/** A link that is wrong, used, replaced by a newer one or older than seven days: all read the same. */
export function LinkInvalidPage() {
  const { t, href } = usePage();
  return (
    <Layout title={t('mailing.invalid.title')} noindex>
      <h1>{t('mailing.invalid.title')}</h1>
      <p>{t('mailing.invalid.body')}</p>
      <p><a href={href('/subscribe')}>{t('mailing.invalid.again')}</a></p>
    </Layout>
  );
}

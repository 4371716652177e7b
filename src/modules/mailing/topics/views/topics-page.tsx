import { usePage } from '../../../../core/views/context.ts';
import { ConsoleLayout } from '../../../../core/views/console-layout.tsx';
import { DataTable } from '../../../../core/views/data-table.tsx';
import { CsrfField, ErrorSummary, type FormState, TextField } from '../../../../core/views/forms.tsx';
import { type Topic, topicLabel } from '../service.ts';

export type TopicsPageProps = { topics: (Topic & { subscribers: number })[]; form: FormState; notice?: 'created' | 'updated' };

/** The topics subscribers choose from, and the form that adds one. */
export function TopicsPage({ topics, form, notice }: TopicsPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('mailing.topics.title')}>
      <h1>{t('mailing.topics.title')}</h1>
      {notice ? <p class="notice notice-ok" role="status">{t(`mailing.topics.notices.${notice}`)}</p> : null}
      <p>{t('mailing.topics.intro')}</p>
      <DataTable
        caption={t('mailing.topics.title')}
        captionHidden
        wrap
        columns={[t('mailing.topics.columns.label'), t('mailing.topics.columns.key'), t('mailing.topics.columns.offered'), t('mailing.topics.columns.subscribers')]}
        rows={topics.map((topic) => ({
          key: topic.key,
          cells: [
            <th scope="row"><a href={`/console/mailing/topics/${topic.key}`}>{topicLabel(topic, 'en')}</a>{topic.labels.es ? <span lang="es"> · {topic.labels.es}</span> : null}</th>,
            <code>{topic.key}</code>,
            topic.active ? t('mailing.topics.offered') : t('mailing.topics.retired'),
            String(topic.subscribers),
          ],
        }))}
        empty={t('mailing.topics.empty')}
      />
      <h2 id="new-topic">{t('mailing.topics.newTitle')}</h2>
      <form method="post" action="/console/mailing/topics" novalidate aria-labelledby="new-topic">
        <ErrorSummary errors={form.errors} />
        <CsrfField />
        <TextField state={form} name="key" label={t('mailing.topics.fields.key')} hint={t('mailing.topics.fields.keyHint')} required maxLength={40} />
        <TextField state={form} name="labelEn" label={t('mailing.topics.fields.labelEn')} required maxLength={60} />
        <TextField state={form} name="labelEs" label={t('mailing.topics.fields.labelEs')} hint={t('mailing.topics.fields.labelEsHint')} maxLength={60} />
        <button type="submit" class="button">{t('mailing.topics.add')}</button>
      </form>
    </ConsoleLayout>
  );
}

export type TopicEditProps = { topic: Topic; form: FormState };

export function TopicEditPage({ topic, form }: TopicEditProps) {
  const { t } = usePage();
  const active = form.values.active === undefined ? topic.active : form.values.active === 'on';
  return (
    <ConsoleLayout title={t('mailing.topics.editTitle', { topic: topicLabel(topic, 'en') })}>
      <p><a href="/console/mailing/topics">{t('mailing.topics.back')}</a></p>
      <h1>{t('mailing.topics.editTitle', { topic: topicLabel(topic, 'en') })}</h1>
      <form method="post" action={`/console/mailing/topics/${topic.key}`} novalidate>
        <ErrorSummary errors={form.errors} />
        <CsrfField />
        <TextField state={form} name="labelEn" label={t('mailing.topics.fields.labelEn')} required maxLength={60} />
        <TextField state={form} name="labelEs" label={t('mailing.topics.fields.labelEs')} hint={t('mailing.topics.fields.labelEsHint')} maxLength={60} />
        <div class="field">
          <label class="choice" for="active">
            <input id="active" type="checkbox" name="active" checked={active} aria-describedby="active-hint" />
            <span>{t('mailing.topics.fields.active')}</span>
          </label>
          <span class="hint" id="active-hint">{t('mailing.topics.fields.activeHint')}</span>
        </div>
        <button type="submit" class="button">{t('mailing.topics.save')}</button>
      </form>
    </ConsoleLayout>
  );
}

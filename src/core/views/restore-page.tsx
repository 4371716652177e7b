import type { DraftFields } from '../auth/drafts.ts';
import { ConsoleLayout } from './console-layout.tsx';
import { usePage } from './context.ts';
import { CsrfField } from './forms.tsx';

export type RestorePageProps = { action: string; fields: DraftFields } | { action?: undefined; fields?: undefined };

/** `whatHappened` → "What happened", `visit_notes` → "Visit notes": a readable name for a form field. */
export function fieldLabel(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/\.(\d+)$/, ' $1').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/** A long or multi-line value gets a text box the size of what was typed. */
const isLong = (value: string) => value.length > 80 || value.includes('\n');

/**
 * What was typed on a session that timed out, back in a form aimed at the page's original action
 * with this session's CSRF token. It sends nothing by itself: the person reads it and presses
 * Send, so no action is ever replayed behind their back.
 */
export function RestorePage(props: RestorePageProps) {
  const { t } = usePage();
  if (!props.action) {
    return (
      <ConsoleLayout title={t('console.restore.title')}>
        <h1>{t('console.restore.title')}</h1>
        <p>{t('console.restore.nothing')}</p>
        <p><a href="/console">{t('console.restore.home')}</a></p>
      </ConsoleLayout>
    );
  }
  const entries = Object.entries(props.fields).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v, i) => [name, v, i] as const) : [[name, value, 0] as const]));
  return (
    <ConsoleLayout title={t('console.restore.title')}>
      <h1>{t('console.restore.title')}</h1>
      <p class="notice" role="status">{t('console.restore.intro')}</p>
      <p>{t('console.restore.where')} <code>{props.action}</code></p>
      <form method="post" action={props.action}>
        <CsrfField />
        {entries.map(([name, value, i]) => {
          const id = `restored-${name.replace(/[^A-Za-z0-9_-]/g, '-')}-${i}`;
          return (
            <div class="field" key={id}>
              <label for={id}>{fieldLabel(name)}</label>
              {isLong(value) ? (
                <textarea id={id} name={name} rows={Math.min(20, Math.max(4, value.split('\n').length + 1))}>{value}</textarea>
              ) : (
                <input id={id} name={name} type="text" value={value} />
              )}
            </div>
          );
        })}
        <p class="hint">{t('console.restore.check')}</p>
        <div class="actions">
          <button type="submit">{t('console.restore.send')}</button>
          <a href="/console">{t('console.restore.discard')}</a>
        </div>
      </form>
    </ConsoleLayout>
  );
}

import type { ConsoleCard } from '../../../core/module.ts';
import { usePage } from '../../../core/views/context.ts';
import { ConsoleLayout } from '../../../core/views/console-layout.tsx';

export type ConsoleHomeProps = {
  cards: ConsoleCard[];
  keysUnlocked: boolean;
  setupDemo: boolean;
  /** A proxy forwards client addresses that TRUST_PROXY tells the app to ignore. */
  proxyUntrusted?: boolean;
};

/** What each role needs first: counts that want attention, each a link to act on it. */
export function ConsoleHomePage({ cards, keysUnlocked, setupDemo, proxyUntrusted = false }: ConsoleHomeProps) {
  const { t, viewer, consoleNav } = usePage();
  const links = consoleNav.filter((item) => !item.permission || viewer?.permissions.has(item.permission));
  return (
    <ConsoleLayout title={t('console.home.title')}>
      <h1>{t('console.home.greeting', { name: viewer?.displayName ?? '' })}</h1>
      {setupDemo ? <p class="notice notice-danger">{t('console.home.demo')}</p> : null}
      {proxyUntrusted ? (
        <section class="notice notice-danger" aria-labelledby="proxy-notice" data-notice="proxy">
          <h2 id="proxy-notice">{t('console.home.proxy.title')}</h2>
          <p>{t('console.home.proxy.effect')}</p>
          <p>{t('console.home.proxy.fix')}</p>
          <p><code>TRUST_PROXY=127.0.0.1</code></p>
          <p>{t('console.home.proxy.guide')} <code>docs/tip-line-privacy.md</code></p>
        </section>
      ) : null}
      {!keysUnlocked ? (
        <p class="notice">
          {t('console.home.keysLocked')} <a href="/console/account/unlock">{t('console.home.unlock')}</a>
        </p>
      ) : null}
      {cards.length ? (
        <ul class="stat-grid">
          {cards.map((c) => (
            <li key={c.labelKey + c.href} class={`stat${c.tone === 'urgent' && c.value > 0 ? ' stat-urgent' : ''}`}>
              <a href={c.href}>
                <span class="stat-value">{c.value}</span>
                <span>{t(c.labelKey, { count: c.value })}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('console.home.nothing')}</p>
      )}
      <h2>{t('console.home.shortcuts')}</h2>
      <ul>
        {links.map((l) => <li key={l.path}><a href={l.path}>{t(l.labelKey)}</a></li>)}
        <li><a href="/console/account">{t('console.home.account')}</a></li>
      </ul>
    </ConsoleLayout>
  );
}

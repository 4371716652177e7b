import { usePage } from '../../../core/views/context.ts';
import { NATIONAL_HOTLINE, phoneText } from '../../../core/views/hotline-bar.tsx';
import { Layout } from '../../../core/views/layout.tsx';

export type HomeCard = { path: string; title: string; summary: string };

export type HomePageProps = {
  introHtml: string;
  cards: HomeCard[];
  /** Calls to action for parts of the product this office runs (tip line, MAP1193…). */
  actions: { path: string; labelKey: string }[];
};

/** The front door: who we are, help now, and the way into every topic. */
export function HomePage({ introHtml, cards, actions }: HomePageProps) {
  const { t, settings, href } = usePage();
  return (
    <Layout title={t('pages.home.title')} description={t('pages.home.description')}>
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">
          <span class="hero-program">{settings.programName}</span>
          <span class="hero-tagline">{t('pages.home.tagline')}</span>
        </h1>
        <div class="prose" dangerouslySetInnerHTML={{ __html: introHtml }} />
      </section>
      <section class="help-now" aria-labelledby="help-now-title">
        <h2 id="help-now-title">{t('pages.home.helpNowTitle')}</h2>
        <ul class="help-actions">
          <li><a class="button button-danger" href="tel:911">{t('pages.home.call911')}</a></li>
          <li>
            <a class="button" href={`tel:${NATIONAL_HOTLINE.tel}`}>
              {t('pages.home.callHotline', { number: phoneText(NATIONAL_HOTLINE.display) })}
            </a>
          </li>
          <li>
            <a class="button" href={`sms:${NATIONAL_HOTLINE.text}`}>
              {t('pages.home.textHotline', { number: NATIONAL_HOTLINE.text })}
            </a>
          </li>
          {actions.map((a) => (
            <li key={a.path}><a class="button button-secondary" href={href(a.path)}>{t(a.labelKey)}</a></li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="learn-title">
        <h2 id="learn-title">{t('pages.home.learnTitle')}</h2>
        <ul class="cards">
          {cards.map((card) => (
            <li class="card" key={card.path}>
              <h3><a href={href(card.path)}>{card.title}</a></h3>
              <p>{card.summary}</p>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export const sampleHomePageProps: HomePageProps = {
  introHtml: '<p>HEAT Watch works to stop human exploitation and trafficking.</p>',
  cards: [{ path: '/what-is-trafficking', title: 'What is human trafficking?', summary: 'The two main forms.' }],
  actions: [],
};

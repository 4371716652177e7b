import { type Catalogs, createTranslator } from '../../../core/i18n/catalog.ts';
import { EmailLayout, type RenderedEmail, renderEmail } from '../../../core/mail/render.tsx';
import { formatDay } from '../shared/views/components.tsx';
import type { CureMilestone } from '../alerts/service.ts';

const button = 'display:inline-block;background:#0b4f6c;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600';

export type CureAlertProps = { locale: string; officeName: string; milestone: CureMilestone; business: string; address: string; dueDay: string; link: string };

/** "The cure period for X ends in 3 days" / "… ends today", with the case's address and link. */
export function cureAlertEmail(catalogs: Catalogs, p: CureAlertProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const k = p.milestone === 'cure_soon' ? 'map.alerts.email.soon' : 'map.alerts.email.ends';
  const params = { business: p.business, day: formatDay(p.dueDay, p.locale), office: p.officeName };
  const subject = t(`${k}.subject`, params);
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('map.alerts.email.footer', params)}>
      <p>{t(`${k}.body`, params)}</p>
      <p>{p.business}<br />{p.address}</p>
      <p><a href={p.link} style={button}>{t('map.alerts.email.openCase')}</a></p>
      <p style="font-size:13px;color:#4a5360">{p.link}</p>
    </EmailLayout>
  );
  const text = [t(`${k}.body`, params), '', p.business, p.address, '', `${t('map.alerts.email.openCase')}: ${p.link}`, '', '--', t('map.alerts.email.footer', params)].join('\n');
  return renderEmail(p.milestone === 'cure_soon' ? 'map1193.cure_soon' : 'map1193.cure_ends', subject, html, text);
}

export type MissingDigestProps = { locale: string; officeName: string; from: string; to: string; cities: { city: string; count: number }[]; link: string };

/** The week's new "missing" reports, a line per city, each linking to that city's queue. */
export function missingDigestEmail(catalogs: Catalogs, p: MissingDigestProps): RenderedEmail {
  const t = createTranslator(catalogs, p.locale);
  const total = p.cities.reduce((sum, c) => sum + c.count, 0);
  const params = { count: total, from: formatDay(p.from, p.locale), to: formatDay(p.to, p.locale), office: p.officeName };
  const subject = t('map.alerts.email.digest.subject', params);
  const cityLink = (city: string) => `${p.link}?city=${encodeURIComponent(city)}`;
  const line = (c: { city: string; count: number }) => t('map.alerts.email.digest.city', { city: c.city, count: c.count });
  const html = (
    <EmailLayout lang={p.locale} title={subject} office={p.officeName} footer={t('map.alerts.email.digest.footer', params)}>
      <p>{t('map.alerts.email.digest.body', params)}</p>
      <ul>
        {p.cities.map((c) => (
          <li key={c.city}><a href={cityLink(c.city)}>{line(c)}</a></li>
        ))}
      </ul>
      <p><a href={p.link} style={button}>{t('map.alerts.email.openQueue')}</a></p>
    </EmailLayout>
  );
  const text = [t('map.alerts.email.digest.body', params), '', ...p.cities.map((c) => `- ${line(c)}: ${cityLink(c.city)}`), '', `${t('map.alerts.email.openQueue')}: ${p.link}`, '', '--', t('map.alerts.email.digest.footer', params)].join('\n');
  return renderEmail('map1193.missing_digest', subject, html, text);
}

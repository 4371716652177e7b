import { usePage } from '../../../../core/views/context.ts';
import { Layout } from '../../../../core/views/layout.tsx';
import { DataTable } from '../../../../core/views/data-table.tsx';
import type { PublicBusiness } from '../repo.ts';
import { type CategoryInfo, categoryName } from '../../rules/categories.ts';
import type { ListQuery } from '../../schema.ts';
import { BUSINESS_STATUSES } from '../../tables.ts';
import { ModuleStyles, Pagination, StatusBadge } from '../../shared/views/components.tsx';

export type MapPageProps = {
  query: ListQuery;
  result: { rows: PublicBusiness[]; total: number; page: number; pages: number };
  cities: string[];
  categories: CategoryInfo[];
  map: { tileUrl: string; attribution: string; lat: number; lng: number; zoom: number };
};

/** The query string for a page of the same search. */
export function listQueryString(query: ListQuery, page: number): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'category', 'city', 'status'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function Filters({ query, cities, categories }: Pick<MapPageProps, 'query' | 'cities' | 'categories'>) {
  const { t, href, locale } = usePage();
  return (
    <form method="get" action={href('/map1193')} class="map-filters" role="search" aria-label={t('map.list.searchLabel')}>
      <div class="field">
        <label for="q">{t('map.list.q')}</label>
        <span class="hint" id="q-hint">{t('map.list.qHint')}</span>
        <input id="q" name="q" type="search" value={query.q ?? ''} maxLength={100} aria-describedby="q-hint" />
      </div>
      <div class="field">
        <label for="category">{t('map.list.category')}</label>
        <select id="category" name="category">
          <option value="">{t('map.list.any')}</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code} selected={query.category === c.code}>{categoryName(categories, c.code, locale)}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="city">{t('map.list.city')}</label>
        <select id="city" name="city">
          <option value="">{t('map.list.any')}</option>
          {cities.map((c) => (
            <option key={c} value={c} selected={query.city === c}>{c}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="status">{t('map.list.status')}</label>
        <select id="status" name="status">
          <option value="">{t('map.list.any')}</option>
          {BUSINESS_STATUSES.map((s) => (
            <option key={s} value={s} selected={query.status === s}>{t(`map.status.${s}`)}</option>
          ))}
        </select>
      </div>
      <div class="map-filters-actions">
        <button type="submit">{t('map.list.search')}</button>
        <a href={href('/map1193')}>{t('map.list.clear')}</a>
      </div>
    </form>
  );
}

/** The map island's container: hidden until the script runs, so no empty box shows without JavaScript. */
function MapIsland({ map, query }: Pick<MapPageProps, 'map' | 'query'>) {
  const { t, href } = usePage();
  const labels = {
    status: Object.fromEntries(BUSINESS_STATUSES.map((s) => [s, t(`map.status.${s}`)])),
    cluster: t('map.map.cluster'),
    truncated: t('map.map.truncated'),
    shown: t('map.map.shown'),
  };
  return (
    <section class="map-section" aria-labelledby="map-heading" id="map-section" hidden>
      <h2 id="map-heading">{t('map.map.heading')}</h2>
      <p class="hint">{t('map.map.hint')}</p>
      <div
        id="map1193-map"
        class="map1193-map"
        data-tile-url={map.tileUrl}
        data-attribution={map.attribution}
        data-lat={String(map.lat)}
        data-lng={String(map.lng)}
        data-zoom={String(map.zoom)}
        data-api="/api/map1193/businesses"
        data-business-base={href('/map1193/businesses/')}
        data-filters={listQueryString(query, 1).slice(1)}
        data-labels={JSON.stringify(labels)}
      />
      <p class="map-status" id="map-status" role="status" aria-live="polite" />
      <h3 class="visually-hidden">{t('map.map.legend')}</h3>
      <ul class="map-legend">
        {BUSINESS_STATUSES.map((s) => (
          <li key={s}><span class={`legend-dot status-${s}`} aria-hidden="true" />{t(`map.status.${s}`)}</li>
        ))}
      </ul>
    </section>
  );
}

export function MapPage({ query, result, cities, categories, map }: MapPageProps) {
  const { t, href, locale } = usePage();
  const filtered = Boolean(query.q || query.category || query.city || query.status);
  const number = new Intl.NumberFormat(locale);
  return (
    <Layout title={t('map.list.title')} description={t('map.list.description')} scripts={['map1193.js']} pageClass="map1193-page">
      <ModuleStyles names={['map1193.css', 'map1193-map.css']} />
      <h1>{t('map.list.title')}</h1>
      <p class="lead">{t('map.list.intro')}</p>
      <ul class="map-actions">
        <li><a href={href('/map1193/check')}>{t('map.list.checkLink')}</a></li>
        <li><a href={href('/map1193/notice')}>{t('map.list.noticeLink')}</a></li>
      </ul>
      <MapIsland map={map} query={query} />
      <section aria-labelledby="search-heading">
        <h2 id="search-heading">{t('map.list.searchHeading')}</h2>
        <Filters query={query} cities={cities} categories={categories} />
      </section>
      <section aria-labelledby="results-heading">
        <h2 id="results-heading">{t('map.list.resultsHeading')}</h2>
        <p role="status">
          {filtered ? t('map.list.matching', { count: result.total, total: number.format(result.total) }) : t('map.list.all', { count: result.total, total: number.format(result.total) })}
        </p>
        <DataTable
          stack
          class="business-table"
          caption={t('map.list.caption', { page: result.page, pages: result.pages })}
          captionHidden
          wrap
          columns={[t('map.list.name'), t('map.list.address'), t('map.list.category'), t('map.list.status')]}
          rows={result.rows.map((b) => ({
            key: b.id,
            cells: [
              <a href={href(`/map1193/businesses/${b.id}`)}>{b.name}</a>,
              [b.address, b.city].filter(Boolean).join(', '),
              categoryName(categories, b.category, locale),
              <StatusBadge status={b.status} />,
            ],
          }))}
          empty={t('map.list.none')}
        />
        <Pagination page={result.page} pages={result.pages} link={(p) => `${href('/map1193')}${listQueryString(query, p)}`} />
      </section>
      <section aria-labelledby="data-heading">
        <h2 id="data-heading">{t('map.list.dataHeading')}</h2>
        <p>{t('map.list.dataIntro')}</p>
        <ul>
          <li><a href="/map1193/businesses.csv" download>{t('map.list.dataCsv')}</a></li>
          <li><a href="/map1193/businesses.geojson" download>{t('map.list.dataGeojson')}</a></li>
        </ul>
      </section>
    </Layout>
  );
}

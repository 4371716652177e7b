// The MAP1193 map island. The page works without it (the list below is the full service); with
// it, a Leaflet map shows the businesses in view. Clustering happens on the server, so the map
// only ever draws what the API sends: at most a few thousand markers. No inline styles are
// written into the HTML; Leaflet's own element styles are set through the DOM, which the CSP allows.
import * as L from 'leaflet';

type Labels = { status: Record<string, string>; cluster: string; truncated: string; shown: string };
type Props = { id?: string; name?: string; status?: string; cluster?: boolean; count?: number; problems?: number; good?: number };
type Collection = { features: { geometry: { coordinates: [number, number] }; properties: Props }[]; truncated: boolean };

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));

const clamp = (value: number, limit: number) => Math.max(-limit, Math.min(limit, value));

function clusterIcon(p: Props, labels: Labels): L.DivIcon {
  const count = p.count ?? 0;
  // At most half a cell (80 px) wide, so clusters in neighbouring cells never touch.
  const size = count < 10 ? 28 : count < 100 ? 34 : 40;
  // Red where reported problems outnumber good reports, green where every business is in order.
  const problems = p.problems ?? 0;
  const good = p.good ?? 0;
  const tone = problems > good ? 'map-cluster-problem' : good === count ? 'map-cluster-good' : '';
  const el = document.createElement('span');
  el.textContent = String(count);
  el.title = fill(labels.cluster, { count });
  return L.divIcon({ html: el, className: `map-cluster ${tone}`, iconSize: [size, size] });
}

function popup(p: Props, base: string, labels: Labels): HTMLElement {
  const box = document.createElement('div');
  box.className = 'map-popup';
  const link = document.createElement('a');
  link.href = base + encodeURIComponent(p.id ?? '');
  link.textContent = p.name ?? '';
  const status = document.createElement('div');
  status.textContent = labels.status[p.status ?? 'unknown'] ?? '';
  box.append(link, status);
  return box;
}

function start(el: HTMLElement, section: HTMLElement): void {
  const d = el.dataset;
  const labels = JSON.parse(d.labels ?? '{}') as Labels;
  const announce = document.getElementById('map-status');
  section.hidden = false;
  const map = L.map(el, { center: [Number(d.lat), Number(d.lng)], zoom: Number(d.zoom) || 11, scrollWheelZoom: false });
  L.tileLayer(d.tileUrl ?? '', { attribution: d.attribution, maxZoom: 19 }).addTo(map);
  const layer = L.layerGroup().addTo(map);
  let controller: AbortController | undefined;
  let timer: number | undefined;

  async function load(): Promise<void> {
    controller?.abort();
    controller = new AbortController();
    const b = map.getBounds();
    const bbox = [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].map((n) => n.toFixed(5)).join(',');
    const params = new URLSearchParams(d.filters ?? '');
    params.set('bbox', bbox);
    params.set('zoom', String(Math.round(map.getZoom())));
    try {
      const response = await fetch(`${d.api}?${params.toString()}`, { signal: controller.signal, headers: { accept: 'application/json' } });
      if (!response.ok) return;
      const data = (await response.json()) as Collection;
      layer.clearLayers();
      let businesses = 0;
      for (const feature of data.features) {
        const lng = feature.geometry.coordinates[0];
        const lat = feature.geometry.coordinates[1];
        const p = feature.properties;
        if (p.cluster) {
          businesses += p.count ?? 0;
          const marker = L.marker([lat, lng], { icon: clusterIcon(p, labels), title: fill(labels.cluster, { count: p.count ?? 0 }), keyboard: true });
          marker.on('click keypress', () => map.setView([lat, lng], Math.min(map.getZoom() + 2, 18)));
          layer.addLayer(marker);
        } else {
          businesses += 1;
          const icon = L.divIcon({ className: `map-marker status-${p.status ?? 'unknown'}`, iconSize: [24, 24] });
          const title = `${p.name ?? ''}: ${labels.status[p.status ?? 'unknown'] ?? ''}`;
          layer.addLayer(L.marker([lat, lng], { icon, title, alt: title, keyboard: true }).bindPopup(popup(p, d.businessBase ?? '', labels)));
        }
      }
      if (announce) announce.textContent = data.truncated ? labels.truncated : fill(labels.shown, { count: businesses });
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }

  map.on('moveend', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void load(), 150);
  });
  void load();
}

const el = document.getElementById('map1193-map');
const section = document.getElementById('map-section');
if (el && section && typeof window.fetch === 'function') start(el, section);

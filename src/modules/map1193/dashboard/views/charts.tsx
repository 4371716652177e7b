/**
 * Server-rendered SVG charts as Preact elements: presentation attributes only (the CSP forbids
 * inline styles), a title for screen readers, and the figures in a table beside every chart.
 */

export type Bar = { label: string; value: number; text: string };

const INK = '#1f2937';
const BAR = '#1d4ed8';
const GRID = '#d1d5db';

/** Horizontal bars, values 0..max, one row per label. */
export function BarChart({ id, title, bars, max }: { id: string; title: string; bars: Bar[]; max: number }) {
  const row = 24;
  const labelW = 200;
  const plotW = 360;
  const height = Math.max(1, bars.length) * row + 8;
  return (
    <svg id={id} role="img" aria-labelledby={`${id}-title`} viewBox={`0 0 ${labelW + plotW + 70} ${height}`} width="100%" height={height} xmlns="http://www.w3.org/2000/svg">
      <title id={`${id}-title`}>{title}</title>
      <line x1={labelW} y1={0} x2={labelW} y2={height} stroke={GRID} stroke-width={1} />
      {bars.map((b, i) => {
        const w = max > 0 ? Math.round((b.value / max) * plotW) : 0;
        const y = i * row + 4;
        return (
          <g key={b.label}>
            <text x={labelW - 6} y={y + 15} text-anchor="end" font-size={12} fill={INK}>{b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label}</text>
            <rect x={labelW} y={y} width={w} height={row - 6} fill={BAR} />
            <text x={labelW + w + 6} y={y + 15} font-size={12} fill={INK}>{b.text}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical columns over time, one per label, with an optional line of rates (0..1) over them. */
export function ColumnChart({ id, title, columns, rates }: { id: string; title: string; columns: Bar[]; rates?: (number | null)[] }) {
  const width = 640;
  const height = 200;
  const base = 170;
  const top = 16;
  const slot = width / Math.max(1, columns.length);
  const max = Math.max(1, ...columns.map((c) => c.value));
  const points = (rates ?? [])
    .map((r, i) => (r === null ? null : `${Math.round(i * slot + slot / 2)},${Math.round(base - r * (base - top))}`))
    .filter((p): p is string => p !== null);
  return (
    <svg id={id} role="img" aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" height={height} xmlns="http://www.w3.org/2000/svg">
      <title id={`${id}-title`}>{title}</title>
      <line x1={0} y1={base} x2={width} y2={base} stroke={GRID} stroke-width={1} />
      {columns.map((c, i) => {
        const h = Math.round((c.value / max) * (base - top));
        const x = Math.round(i * slot + slot * 0.15);
        return (
          <g key={c.label}>
            <rect x={x} y={base - h} width={Math.round(slot * 0.7)} height={h} fill={BAR} />
            <text x={Math.round(i * slot + slot / 2)} y={base - h - 4} text-anchor="middle" font-size={11} fill={INK}>{c.text}</text>
            <text x={Math.round(i * slot + slot / 2)} y={base + 16} text-anchor="middle" font-size={10} fill={INK}>{c.label}</text>
          </g>
        );
      })}
      {points.length > 1 ? <polyline points={points.join(' ')} fill="none" stroke="#b45309" stroke-width={2} /> : null}
    </svg>
  );
}

import type { ComponentChildren } from 'preact';
/**
 * Server-rendered SVG charts as Preact elements: presentation attributes only (the CSP forbids
 * inline styles), a title for screen readers, and the figures in a table beside every chart.
 */

export type Bar = { label: string; value: number; text: string };

const INK = '#1f2937';
const BAR = '#1d4ed8';
const GRID = '#d1d5db';
const RATE = '#b45309';

/**
 * A chart's frame: on a phone the chart keeps a readable size and scrolls inside its frame (the
 * table below it holds the same figures), so neither its text shrinks to specks nor the page
 * scrolls sideways. The frame takes the keyboard focus a scrolling region needs.
 */
function ChartFrame({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <div class="chart-frame" tabindex={0} role="group" aria-labelledby={`${id}-title`}>
      {children}
    </div>
  );
}

/** Horizontal bars, values 0..max, one row per label. */
export function BarChart({ id, title, bars, max }: { id: string; title: string; bars: Bar[]; max: number }) {
  const row = 24;
  const labelW = 200;
  const plotW = 360;
  const height = Math.max(1, bars.length) * row + 8;
  return (
    <ChartFrame id={id}>
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
    </ChartFrame>
  );
}

export type ColumnAxes = { x: string; count: string; rate?: string };

/**
 * Vertical columns over time, one per label, counted on the left axis, with an optional line of
 * rates (0..1) read on the right axis in percent. Every rate has a marker, so a week at 0 % sits
 * visibly on the 0 % line rather than vanishing into the base of the columns.
 */
export function ColumnChart({ id, title, columns, rates, axes }: { id: string; title: string; columns: Bar[]; rates?: (number | null)[]; axes: ColumnAxes }) {
  const width = 640;
  const left = 44;
  const right = rates ? 48 : 12;
  const top = 22;
  const base = 176;
  const height = 222;
  const plotW = width - left - right;
  const slot = plotW / Math.max(1, columns.length);
  const max = Math.max(1, ...columns.map((c) => c.value));
  const centre = (i: number) => Math.round(left + i * slot + slot / 2);
  const rateY = (r: number) => Math.round(base - r * (base - top));
  const marks = (rates ?? []).flatMap((r, i) => (r === null ? [] : [{ x: centre(i), y: rateY(r), r }]));
  const ticks = [0, Math.round(max / 2), max].filter((v, i, all) => all.indexOf(v) === i);
  const countY = (v: number) => Math.round(base - (v / max) * (base - top));
  return (
    <ChartFrame id={id}>
    <svg id={id} role="img" aria-labelledby={`${id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" height={height} xmlns="http://www.w3.org/2000/svg">
      <title id={`${id}-title`}>{title}</title>
      {/* Left axis: reports. */}
      <line x1={left} y1={top} x2={left} y2={base} stroke={INK} stroke-width={1} />
      {ticks.map((v) => (
        <g key={`c${v}`}>
          <line x1={left - 4} y1={countY(v)} x2={left} y2={countY(v)} stroke={INK} stroke-width={1} />
          <text x={left - 6} y={countY(v) + 4} text-anchor="end" font-size={11} fill={INK}>{v}</text>
        </g>
      ))}
      <text x={4} y={12} font-size={11} fill={INK}>{axes.count}</text>
      {/* Right axis: the rate in percent, with its 0 %, 50 % and 100 % lines. */}
      {rates ? (
        <>
          <line x1={width - right} y1={top} x2={width - right} y2={base} stroke={RATE} stroke-width={1} />
          {[0, 0.5, 1].map((r) => (
            <g key={`r${r}`}>
              <line x1={left} y1={rateY(r)} x2={width - right} y2={rateY(r)} stroke={r === 0 ? RATE : GRID} stroke-width={1} stroke-dasharray={r === 0 ? undefined : '4 3'} />
              <text x={width - right + 6} y={rateY(r) + 4} font-size={11} fill={RATE}>{`${Math.round(r * 100)} %`}</text>
            </g>
          ))}
          <text x={width - 4} y={12} text-anchor="end" font-size={11} fill={RATE}>{axes.rate}</text>
        </>
      ) : null}
      <line x1={left} y1={base} x2={width - right} y2={base} stroke={INK} stroke-width={1} />
      {columns.map((c, i) => {
        const h = Math.round((c.value / max) * (base - top));
        const x = Math.round(left + i * slot + slot * 0.15);
        return (
          <g key={c.label}>
            <rect x={x} y={base - h} width={Math.round(slot * 0.7)} height={h} fill={BAR} />
            {c.value > 0 ? <text x={centre(i)} y={base - h + 14 <= base - 2 && h >= 18 ? base - h + 14 : base - h - 4} text-anchor="middle" font-size={11} fill={h >= 18 ? '#ffffff' : INK}>{c.text}</text> : null}
            <text x={centre(i)} y={base + 16} text-anchor="middle" font-size={10} fill={INK}>{c.label}</text>
          </g>
        );
      })}
      <text x={left + plotW / 2} y={height - 4} text-anchor="middle" font-size={11} fill={INK}>{axes.x}</text>
      {marks.length > 1 ? <polyline points={marks.map((m) => `${m.x},${m.y}`).join(' ')} fill="none" stroke={RATE} stroke-width={2.5} /> : null}
      {marks.map((m) => <circle key={`m${m.x}`} cx={m.x} cy={m.y} r={4} fill="#ffffff" stroke={RATE} stroke-width={2.5} />)}
    </svg>
    </ChartFrame>
  );
}

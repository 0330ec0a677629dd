/**
 * The bench's written report: `bench/results.md` (machine, medians and ratios) and
 * `bench/results.svg` (numbats ÷ hand loop per workload, plus numbats ÷ plain gpu.js where a
 * row has a gpu.js contender: a bar chart with the 1.0x line).
 */
import { writeFileSync } from 'node:fs';
import type { Row } from './harness.js';

const fmt = (v: number | undefined, unit: string) =>
  v === undefined ? '—' : unit === 'µs' ? `${(v * 1000).toFixed(2)} µs` : `${v.toFixed(2)} ms`;
const ratio = (a: number, b: number | undefined) =>
  b === undefined ? '—' : `${(a / b).toFixed(2)}x`;

/** The markdown table (also printed by `npm run bench`). */
export function markdownTable(rows: readonly Row[]): string {
  // Python peers differ per workload (NumPy, einsum, Numba, SciPy…): one cell lists them all.
  const head = [
    'workload',
    'numbats',
    'hand loop',
    'numbats/hand',
    'ndarray-ops',
    'numbats/ndarray-ops',
    'gpu.js',
    'numbats/gpu.js',
    'Python peers (numbats/peer)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const u = r.unit ?? 'ms';
    const peers = Object.entries(r.python ?? {})
      .map(([name, v]) => `${name} ${fmt(v, u)} (${ratio(r.numbats, v)})`)
      .join('; ');
    const cells = [
      r.workload,
      fmt(r.numbats, u),
      fmt(r.hand, u),
      ratio(r.numbats, r.hand),
      fmt(r.ndarrayOps, u),
      ratio(r.numbats, r.ndarrayOps),
      fmt(r.gpujs, u),
      ratio(r.numbats, r.gpujs),
      peers || '—',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const escapeXml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * A horizontal bar chart of numbats ÷ hand loop, log-scaled, with the parity line; a row
 * with a plain gpu.js contender gets a second bar under it, numbats ÷ gpu.js, in purple.
 */
export function ratioChart(rows: readonly Row[]): string {
  const ok = (v: number) => Number.isFinite(v) && v > 0;
  const bars: { label: string; v: number; gpujs: boolean }[] = [];
  for (const r of rows) {
    if (!(r.hand > 0 && ok(r.numbats / r.hand))) continue;
    bars.push({ label: r.workload, v: r.numbats / r.hand, gpujs: false });
    if (r.gpujs !== undefined && ok(r.numbats / r.gpujs))
      bars.push({ label: '… ÷ plain gpu.js kernel', v: r.numbats / r.gpujs, gpujs: true });
  }
  const barH = 18;
  const left = 360;
  const width = 760;
  const plot = width - left - 60;
  const top = 40;
  const height = top + bars.length * barH + 40;
  const lo = Math.log(0.1);
  const hi = Math.log(10);
  const x = (v: number) =>
    left + ((Math.log(Math.min(10, Math.max(0.1, v))) - lo) / (hi - lo)) * plot;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    '<title>numbats time divided by a hand-written loop (and by a plain gpu.js kernel), per benchmark workload</title>',
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="10" y="20" font-size="13" font-weight="bold">numbats time ÷ hand-written loop (log scale; left of 1 is faster)</text>`,
  ];
  if (bars.some((b) => b.gpujs))
    parts.push(
      `<text x="10" y="34" fill="#6a4c93">purple: numbats ÷ the same work as a plain gpu.js kernel</text>`,
    );
  bars.forEach((b, i) => {
    const y = top + i * barH;
    const x0 = x(1);
    const x1 = x(b.v);
    const color = b.gpujs ? '#6a4c93' : b.v <= 1.05 ? '#2a9d8f' : '#e76f51';
    parts.push(
      `<text x="${left - 8}" y="${y + 12}" text-anchor="end"${b.gpujs ? ' fill="#6a4c93"' : ''}>${escapeXml(b.label.slice(0, 60))}</text>`,
      `<rect x="${Math.min(x0, x1)}" y="${y + 3}" width="${Math.max(1, Math.abs(x1 - x0))}" height="${barH - 6}" fill="${color}"/>`,
      `<text x="${Math.max(x0, x1) + 4}" y="${y + 12}">${b.v.toFixed(2)}x</text>`,
    );
  });
  for (const t of [0.1, 0.25, 0.5, 1, 2, 4, 10]) {
    parts.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 4}" y2="${height - 30}" stroke="${t === 1 ? '#222' : '#ccc'}"/>`,
      `<text x="${x(t)}" y="${height - 16}" text-anchor="middle">${t}x</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Writes results.md and results.svg next to this file. */
export function writeReport(rows: readonly Row[], machine: string): void {
  const md = [
    '# numbats benchmark results',
    '',
    `Written by \`npm run bench\` — ${machine}. Medians; each contender is timed side by side with its`,
    'peers in the same run. "hand loop" is a hand-written loop over TypedArrays (for `parallel` and',
    '`gpu` rows: the `cpu` target); "gpu.js" is the same work as a plain hand-written gpu.js kernel',
    '(float32, on the backend the `gpu` target uses, readback into a TypedArray included). Ratios',
    'below 1 mean numbats is faster.',
    '',
    markdownTable(rows),
    '',
    '![numbats ÷ hand loop](results.svg)',
    '',
  ].join('\n');
  writeFileSync(new URL('./results.md', import.meta.url), md);
  writeFileSync(new URL('./results.svg', import.meta.url), ratioChart(rows));
}

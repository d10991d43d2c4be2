import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './markdown';

/**
 * `node bin/run-ts.js scripts/docs/plots.ts`: the PNG figures of docs/guides/detectors.md. It backfills the demo
 * project into a throwaway copy (`dtk demo --once`), reads each plotted detector's stored results with `dtk export`
 * (the public way to read them), draws value, band and anomalies as SVG and has Chromium (playwright-core,
 * `/usr/bin/chromium` or CHROMIUM_PATH) turn each into docs/img/<name>.png. Not part of `npm run docs`: the demo's
 * dates follow the clock, so the images change on every run; regenerate them when the detectors' behaviour changes.
 */

interface Plot {
  /** docs/img/<file>.png */
  file: string;
  metric: string;
  detector: string;
  title: string;
  /** Plot the values the detector compared (after input_type / smoothing) instead of the raw values. */
  processed?: boolean;
  /** Days shown, ending at the last stored point. */
  days: number;
}

const PLOTS: Plot[] = [
  {
    file: 'detector-robust-level-shift',
    metric: 'api_latency_p95_ms',
    detector: 'RobustDetector',
    title: 'api_latency_p95_ms — robust, defaults: start and end of a 12-hour latency shift',
    days: 6,
  },
  {
    file: 'detector-mad-seasonal',
    metric: 'api_requests',
    detector: 'MADDetector',
    title: 'api_requests — mad, seasonality [[hour, is_weekend]], threshold 5, window one week',
    days: 8,
  },
  {
    file: 'detector-mad-level-shift',
    metric: 'api_latency_p95_ms',
    detector: 'MADDetector',
    title: 'api_latency_p95_ms — mad, seasonality [hour]: a 12-hour latency shift',
    days: 6,
  },
  {
    file: 'detector-zscore-changes',
    metric: 'queue_depth',
    detector: 'ZScoreDetector',
    title: 'queue_depth — zscore on absolute_changes (SMA 6): the jumps into and out of a stuck gauge',
    processed: true,
    days: 3,
  },
  {
    file: 'detector-manual-bounds',
    metric: 'error_rate_pct',
    detector: 'ManualBoundsDetector',
    title: 'error_rate_pct — manual_bounds, upper_bound 5',
    days: 5,
  },
];

interface Row {
  timestamp: string;
  value: number | null;
  processed_value: number | null;
  is_anomaly: boolean;
  confidence_lower: number | null;
  confidence_upper: number | null;
  detector_name: string | null;
}

function dtk(args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dtk.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`dtk ${args.join(' ')} failed:\n${r.stderr}`);
  }
  return r.stdout;
}

const W = 1000;
const H = 300;
const M = { left: 56, right: 16, top: 34, bottom: 30 };

function niceStep(range: number, target: number): number {
  const raw = range / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Value line, band (the area between the bounds, broken where a bound is missing) and anomaly markers. */
export function svgPlot(p: Plot, rows: Row[]): string {
  const t = rows.map((r) => Date.parse(r.timestamp));
  const y = rows.map((r) => (p.processed ? r.processed_value : r.value));
  const finite = [...y, ...rows.map((r) => r.confidence_lower), ...rows.map((r) => r.confidence_upper)].filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v)
  );
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const pad = (hi - lo) * 0.06 || 1;
  lo -= pad;
  hi += pad;
  const t0 = t[0]!;
  const t1 = t[t.length - 1]!;
  const x = (ms: number) => M.left + ((ms - t0) / (t1 - t0)) * (W - M.left - M.right);
  const yy = (v: number) => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const out: string[] = [];
  // Band segments: consecutive points with both bounds.
  let seg: number[] = [];
  const flush = () => {
    if (seg.length > 1) {
      const top = seg.map((i) => `${x(t[i]!).toFixed(1)},${yy(rows[i]!.confidence_upper!).toFixed(1)}`);
      const bottom = seg.map((i) => `${x(t[i]!).toFixed(1)},${yy(rows[i]!.confidence_lower!).toFixed(1)}`).reverse();
      out.push(`<polygon points="${[...top, ...bottom].join(' ')}" fill="#5794f2" fill-opacity="0.25" stroke="none"/>`);
    }
    seg = [];
  };
  rows.forEach((r, i) => (r.confidence_lower !== null && r.confidence_upper !== null ? seg.push(i) : flush()));
  flush();
  // One-sided bounds (manual_bounds with one limit) as a dashed line.
  for (const key of ['confidence_lower', 'confidence_upper'] as const) {
    if (
      rows.every((r) => r[key] === null) ||
      rows.some((r) => r.confidence_lower !== null && r.confidence_upper !== null)
    ) {
      continue;
    }
    const pts = rows
      .filter((r) => r[key] !== null)
      .map((r) => `${x(Date.parse(r.timestamp)).toFixed(1)},${yy(r[key]!).toFixed(1)}`);
    out.push(
      `<polyline points="${pts.join(' ')}" fill="none" stroke="#5794f2" stroke-dasharray="6 4" stroke-width="1.5"/>`
    );
  }
  // Value line, broken at missing points.
  let path = '';
  let pen = false;
  y.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(t[i]!).toFixed(1)},${yy(v).toFixed(1)}`;
    pen = true;
  });
  out.push(`<path d="${path}" fill="none" stroke="#37872d" stroke-width="1.2"/>`);
  rows.forEach((r, i) => {
    const v = y[i];
    if (r.is_anomaly && typeof v === 'number') {
      out.push(`<circle cx="${x(t[i]!).toFixed(1)}" cy="${yy(v).toFixed(1)}" r="3" fill="#e02f44"/>`);
    }
  });
  // Axes: a tick per day (UTC midnight), a few round values.
  const axes: string[] = [];
  for (let d = Math.ceil(t0 / 86_400_000) * 86_400_000; d <= t1; d += 86_400_000) {
    const label = new Date(d).toISOString().slice(5, 10);
    axes.push(`<line x1="${x(d)}" x2="${x(d)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#ddd"/>`);
    axes.push(`<text x="${x(d)}" y="${H - 10}" text-anchor="middle">${label}</text>`);
  }
  const step = niceStep(hi - lo, 5);
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
    axes.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${yy(v)}" y2="${yy(v)}" stroke="#eee"/>`);
    axes.push(`<text x="${M.left - 6}" y="${yy(v) + 4}" text-anchor="end">${+v.toFixed(6)}</text>`);
  }
  const legend =
    `<text x="${W - M.right}" y="20" text-anchor="end">` +
    `<tspan fill="#37872d">━ ${p.processed ? 'compared value' : 'value'}</tspan>  ` +
    `<tspan fill="#5794f2">█ band</tspan>  <tspan fill="#e02f44">● anomaly</tspan></text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11" fill="#444">` +
    `<rect width="${W}" height="${H}" fill="white"/>${axes.join('')}${out.join('')}` +
    `<text x="${M.left}" y="20" font-size="13" font-weight="bold" fill="#222">${esc(p.title)}</text>${legend}</svg>`
  );
}

async function main(): Promise<void> {
  const { chromium } = await import('playwright-core');
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-plots-'));
  const src = path.join(REPO, 'provisioning/detectkit');
  fs.cpSync(src, project, { recursive: true, filter: (f) => !path.relative(src, f).startsWith('.dtk') });
  const outDir = path.join(REPO, 'docs/img');
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Root in containers cannot use Chromium's sandbox; the page is our own SVG.
    args: ['--no-sandbox'],
  });
  try {
    dtk(['demo', '--once', '--days', '14', '--project', project]);
    const page = await browser.newPage({ viewport: { width: W, height: H }, deviceScaleFactor: 2 });
    for (const p of PLOTS) {
      const rows = (JSON.parse(dtk(['export', p.metric, '--format', 'json', '--project', project])) as Row[]).filter(
        (r) => r.detector_name === p.detector
      );
      const end = Date.parse(rows[rows.length - 1]!.timestamp);
      const shown = rows.filter((r) => Date.parse(r.timestamp) > end - p.days * 86_400_000);
      await page.setContent(`<html><body style="margin:0">${svgPlot(p, shown)}</body></html>`);
      const file = path.join(outDir, `${p.file}.png`);
      await page.locator('svg').screenshot({ path: file });
      process.stdout.write(`wrote ${path.relative(REPO, file)} (${shown.length} points)\n`);
    }
  } finally {
    await browser.close();
    fs.rmSync(project, { recursive: true, force: true });
  }
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  main().catch((e: unknown) => {
    process.stderr.write(`plots: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

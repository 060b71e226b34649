// [real tools] The HTML comparison report in headless Chromium (Debian's chromium, installed by scripts/setup.sh;
// ATOMIK_CHROMIUM names another), driven by playwright-core: every chart draws, with no console or page errors and
// no request leaving the page. The input is the reports captured from real runs (generator/report/fixtures/reports/).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHtml, loadComparison } from './compare.js';

const CHROMIUM = process.env.ATOMIK_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ChartState {
  id: string;
  datasets: number;
  points: number;
  inkedPixels: number;
  leastSeriesInk: number;
  width: number;
  height: number;
}

describe('[real tools] compare.html in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomik-compare-browser-'));
  const profile = join(dir, 'profile');
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run npm run setup (it installs Debian's chromium), or set ATOMIK_CHROMIUM`);
    const { reports } = loadComparison([join(import.meta.dirname, 'fixtures', 'reports')]);
    const failed = [{ design: { board: 'tang9k', banks: 32, width: 64, mode: 'round-robin' }, reason: 'place and route failed', source: 'sweep.json' }];
    const file = join(dir, 'compare.html');
    writeFileSync(file, compareHtml(reports, failed));
    // A fresh profile per run, so nothing of an earlier run (or of a person's browser) leaks in.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 1800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts-drawn]', { timeout: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart: each canvas has its datasets and ink on it', async () => {
    const charts = await page.evaluate(() => {
      interface ChartApi {
        data: { datasets: { data: (number | null)[]; borderColor: string }[] };
        isDatasetVisible(i: number): boolean;
      }
      const Chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): ChartApi | undefined } }).Chart;
      return [...document.querySelectorAll('canvas')].map((canvas) => {
        const chart = Chart.getChart(canvas);
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) inked++;
        // Pixels painted in exactly a series' colour: its line and points were drawn, not only the axes.
        const seriesInk = (chart?.data.datasets ?? []).map((d, n) => {
          if (!chart?.isDatasetVisible(n)) return 0;
          const [r, g, b] = [1, 3, 5].map((k) => parseInt(d.borderColor.slice(k, k + 2), 16));
          let count = 0;
          for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b && pixels[i + 3] === 255) count++;
          return count;
        });
        return {
          id: canvas.id,
          datasets: chart?.data.datasets.length ?? 0,
          points: chart?.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0) ?? 0,
          inkedPixels: inked,
          leastSeriesInk: seriesInk.length === 0 ? 0 : Math.min(...seriesInk),
          width: canvas.width,
          height: canvas.height,
        };
      });
    });
    expect(charts.map((c: ChartState) => c.id)).toEqual([
      'chart-tang9k-throughput',
      'chart-tang9k-fmax',
      'chart-tang9k-resources',
      'chart-zynq7020-throughput',
      'chart-zynq7020-resources',
    ]);
    expect(await page.getAttribute('body', 'data-charts-drawn')).toBe('5');
    for (const c of charts) {
      expect(c.datasets, c.id).toBeGreaterThan(0);
      expect(c.points, c.id).toBeGreaterThan(0);
      expect(c.width * c.height, c.id).toBeGreaterThan(10_000);
      // axes, grid, labels and lines: well over 1 % of the canvas is drawn on
      expect(c.inkedPixels / (c.width * c.height), c.id).toBeGreaterThan(0.01);
      expect(c.leastSeriesInk, `${c.id}: pixels in the colour of its faintest series`).toBeGreaterThan(20);
    }
    const byId = Object.fromEntries(charts.map((c: ChartState) => [c.id, c]));
    expect(byId['chart-tang9k-throughput']!.points).toBe(3); // 1, 4 and 16 banks
    expect(byId['chart-tang9k-fmax']!.datasets).toBe(2); // Fmax and the target clock
    expect(byId['chart-tang9k-resources']!.datasets).toBe(2); // LUT % and FF %
  });

  it('shows the tables, the failed point and the note for the chart it cannot draw', async () => {
    expect(await page.locator('section.board h2').allTextContents()).toEqual([
      'Sipeed Tang Nano 9K (tang9k, GW1NR-LV9QN88PC6/I5)',
      'Zynq-7020 PL on a PYNQ-Z2-style carrier (zynq7020, xc7z020clg400-1)',
    ]);
    expect(await page.locator('#board-tang9k tbody tr').count()).toBe(4);
    expect(await page.locator('#board-tang9k tr.failed').textContent()).toContain('failed: place and route failed');
    expect(await page.locator('#board-zynq7020 p.missing').textContent()).toMatch(/^Fmax vs banks: no Fmax in these reports/);
    await page.screenshot({ path: join(dir, 'compare.png'), fullPage: true });
  });

  it('logs no console error and no page error, and loads nothing but itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  });
});

// [real tools] The HTML comparison report in headless Chromium (Debian's chromium, installed by scripts/setup.sh;
// ATOMIK_CHROMIUM names another), driven by playwright-core: every chart draws, the cross-board view first with its
// timing miss marked, flat sweeps as notes, with no console or page errors and no request leaving the page. The input
// is reports captured from real runs: generator/report/fixtures/reports/ (Tang Nano 9K, Zynq-7020) and
// fixtures/cross-board/ (the same 16-bank design on the iCEBreaker at 60 MHz, which it misses, and on the ULX3S). The
// screenshots are kept in out/compare-browser/.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHtml, loadComparison } from './compare.js';
import { packageRoot } from '../common/version.js';

/** Where the screenshots go, for a person to look at (out/ is not tracked). */
const SHOTS = join(packageRoot(), 'out', 'compare-browser');

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
    const { reports } = loadComparison([join(import.meta.dirname, 'fixtures', 'reports'), join(import.meta.dirname, 'fixtures', 'cross-board')]);
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
      // the cross-board view: the 16-bank design on the four boards
      'chart-across-b16-w64-round-robin-resources',
      'chart-across-b16-w64-round-robin-fmax',
      'chart-across-b16-w64-round-robin-throughput',
      // the Tang Nano 9K's throughput and resources are the same at 1, 4 and 16 banks: notes, not flat lines; the
      // other boards have one bank count each: notes, not single dots
      'chart-tang9k-fmax',
    ]);
    expect(await page.getAttribute('body', 'data-charts-drawn')).toBe('4');
    for (const c of charts) {
      expect(c.datasets, c.id).toBeGreaterThan(0);
      expect(c.points, c.id).toBeGreaterThan(0);
      expect(c.width * c.height, c.id).toBeGreaterThan(10_000);
      // axes, grid, labels and lines: well over 1 % of the canvas is drawn on
      expect(c.inkedPixels / (c.width * c.height), c.id).toBeGreaterThan(0.01);
      expect(c.leastSeriesInk, `${c.id}: pixels in the colour of its faintest series`).toBeGreaterThan(20);
    }
    const byId = Object.fromEntries(charts.map((c: ChartState) => [c.id, c]));
    expect(byId['chart-tang9k-fmax']!.points).toBe(3 + 3); // 1, 4 and 16 banks, and the target clock at each
    expect(byId['chart-tang9k-fmax']!.datasets).toBe(2); // Fmax and the target clock
    // LUT % and FF % on four boards, but the iCEBreaker's place and route reports logic cells only (FF in synthesis)
    expect(byId['chart-across-b16-w64-round-robin-resources']!.points).toBe(7);
    expect(byId['chart-across-b16-w64-round-robin-fmax']!.datasets).toBe(3); // met, MISSED and the design clock
    expect(byId['chart-across-b16-w64-round-robin-throughput']!.points).toBe(2); // only the boards that meet their clock
  });

  it('shows the cross-board view first: the boards side by side, the miss marked, throughput only where timing is met', async () => {
    expect(await page.locator('section h2').first().textContent()).toBe('Across boards: b16 w64 round-robin');
    const across = page.locator('section.across#across-b16-w64-round-robin');
    expect(await across.locator('tbody tr').count()).toBe(4);
    expect(await across.locator('tr.missed').count()).toBe(1);
    expect(await across.locator('tr.missed').textContent()).toContain('MISSED (Fmax 45.52 < 60)');
    expect(await across.locator('tbody tr').nth(1).textContent()).toContain('81 (1/cycle x 81 MHz)');
    expect(await across.locator('p.missing').allTextContents()).toEqual([
      'No Fmax for zynq7020: no timing analysis ran (synthesis only), so neither Fmax nor throughput is shown.',
      'Timing MISSED on icebreaker (Fmax 45.52 MHz < 60 MHz): no throughput is shown for it.',
    ]);
    // the section is on screen and its charts have room: three side by side or wrapped, each of some size
    const box = await across.boundingBox();
    expect(box!.height).toBeGreaterThan(300);
    mkdirSync(SHOTS, { recursive: true });
    await across.screenshot({ path: join(SHOTS, 'across-boards.png') });
  });

  it('shows the tables, the failed point, the notes for the charts it cannot draw and for the flat ones', async () => {
    expect(await page.locator('section.board h2').allTextContents()).toEqual([
      '1BitSquared iCEBreaker (icebreaker, iCE40UP5K-SG48)',
      'Sipeed Tang Nano 9K (tang9k, GW1NR-LV9QN88PC6/I5)',
      'Radiona ULX3S (ulx3s, LFE5U-85F-6BG381C)',
      'Zynq-7020 PL on a PYNQ-Z2-style carrier (zynq7020, xc7z020clg400-1)',
    ]);
    expect(await page.locator('#board-tang9k tbody tr').count()).toBe(4);
    expect(await page.locator('#board-tang9k tr.failed').textContent()).toContain('failed: place and route failed');
    expect(await page.locator('#board-zynq7020 p.missing').textContent()).toMatch(/^No charts against banks: every build here has 16 banks/);
    const flat = await page.locator('#board-tang9k p.flat').allTextContents();
    expect(flat.map((t) => t.split(':')[0])).toEqual(['Throughput vs banks', 'Resources vs banks']);
    expect(flat[0]).toContain('in round-robin mode the core takes one delta per cycle whatever the banks');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
  });

  it('logs no console error and no page error, and loads nothing but itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  });
});

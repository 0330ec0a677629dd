/**
 * The Life page (examples/browser/index.html) in headless Chromium: the canvas animates on
 * both targets, `cpu` and `gpu` (gpu.js on WebGL2, not a fallback) give the same board after
 * N generations from the same seed, the `cpu` stencil runs its interior as a WebAssembly SIMD
 * loop on the numbats heap, the page is cross-origin isolated, and a screenshot goes to
 * out/browser-life.png.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPage, callPageApi, openPage, skipBrowserTests } from './page.js';

const GENERATIONS = 200;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out');

/** A hash of the canvas pixels now, and one after the next two animation frames. */
const twoFrames = () =>
  (async () => {
    const canvas = document.querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    const hash = () => {
      const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let h = 0x811c9dc5;
      for (let k = 0; k < d.length; k++) h = Math.imul(h ^ d[k], 0x01000193);
      return h >>> 0;
    };
    const before = hash();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return [before, hash()];
  })();

// generous: two slow cores, and vite transforms src on the first load
describe.skipIf(skipBrowserTests('life'))('the Life page in Chromium', { timeout: 120_000 }, () => {
  let bp: BrowserPage;
  const life = (fn: string, ...args: unknown[]) => callPageApi(bp.page, 'numbatsLife', fn, ...args);

  beforeAll(async () => {
    bp = await openPage('/', 'window.numbatsLife');
  }, 240_000);
  afterAll(async () => {
    await bp?.close();
  }, 60_000);

  it('runs the gpu target on WebGL2, cross-origin isolated', async () => {
    const s = await life('gpuStatus');
    console.log(`[numbats browser:life] gpu: ${s.backend} (${s.reason})`);
    expect(s.backend).toBe('webgl2');
    expect(s.available).toMatchObject({ webgl2: true, headlessgl: false });
    expect(await bp.page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  it('animates the canvas on each target', async () => {
    for (const target of ['cpu', 'gpu']) {
      await life('setTarget', target);
      await life('start');
      const [a, b] = await bp.page.evaluate(twoFrames);
      expect(b, `canvas on ${target}`).not.toBe(a);
    }
    // gens/s as the page shows it, after a second on each target
    const rates: string[] = [];
    for (const target of ['cpu', 'gpu']) {
      await life('setTarget', target);
      await bp.page.waitForTimeout(1500);
      rates.push(`${target} ${(await life('state')).gensPerSec.toFixed(1)}`);
      expect(Number(await bp.page.locator('#gps').textContent())).toBeGreaterThan(0);
    }
    console.log(`[numbats browser:life] live generations/s: ${rates.join(', ')}`);
  });

  it(`cpu and gpu give the same board after ${GENERATIONS} generations`, async () => {
    await life('stop');
    const cpu = await life('run', 'cpu', GENERATIONS);
    const gpu = await life('run', 'gpu', GENERATIONS);
    const seed = await life('run', 'cpu', 0);
    console.log(
      `[numbats browser:life] ${GENERATIONS} generations: cpu ${cpu.ms.toFixed(0)} ms, gpu ${gpu.ms.toFixed(0)} ms; population ${seed.population} → ${cpu.population}`,
    );
    // The cpu target ran its interior on wasm (the page is cross-origin isolated, so the
    // boards live on the numbats heap), 16 cells per instruction.
    const path = await life('cpuPath');
    console.log(`[numbats browser:life] cpu path: ${path}`);
    expect(path).toMatch(/wasm interior: SIMD i8x16/);
    expect(cpu.hash).not.toBe(seed.hash);
    expect(cpu.population).toBeGreaterThan(0);
    const differing = cpu.cells.filter((v: number, k: number) => v !== gpu.cells[k]).length;
    expect(differing).toBe(0);
    expect(gpu.hash).toBe(cpu.hash);
    const s = await life('gpuStatus');
    expect(s.backend).toBe('webgl2');
    expect(s.notes.filter((n: string) => /fallback/.test(n))).toEqual([]);
  });

  it('takes a screenshot to out/browser-life.png', async () => {
    await life('setTarget', 'gpu');
    await life('start');
    await bp.page.waitForFunction('window.numbatsLife.state().generation > 50');
    mkdirSync(out, { recursive: true });
    const png = await bp.page.screenshot({ path: join(out, 'browser-life.png') });
    expect(png.length).toBeGreaterThan(1000);
    expect(bp.errors).toEqual([]);
  });

  it('skips cross-origin isolation for ?isolation=off', async () => {
    const page = await bp.browser.newPage();
    await page.goto(bp.url('/?isolation=off&paused'));
    await page.waitForFunction('window.numbatsLife');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await page.close();
  });
});

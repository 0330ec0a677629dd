/**
 * The seeded random helpers give the same numbers in Chromium as in Node: the page imports
 * numbats' random module (Vite serves sources outside its root under /@fs/) and draws the
 * streams of test/core/golden/random.json.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import golden from '../core/golden/random.json' with { type: 'json' };
import { type BrowserPage, openPage, skipBrowserTests } from './page.js';

const here = dirname(fileURLToPath(import.meta.url));
const moduleUrl = `/@fs${join(here, '..', '..', 'src', 'core', 'random.ts')}`;

describe.skipIf(skipBrowserTests('random'))(
  'seeded random arrays in Chromium',
  { timeout: 120_000 },
  () => {
    let bp: BrowserPage;
    beforeAll(async () => {
      bp = await openPage('/parallel.html');
    }, 180_000);
    afterAll(() => bp?.close());

    it('draws the same streams as Node (and the Python port)', async () => {
      const got = await bp.page.evaluate(`(async () => {
      const r = await import(${JSON.stringify(moduleUrl)});
      const list = (a) => Array.from(a.data);
      return {
        random: list(r.random(6, { seed: 42 })),
        random32: list(r.random(4, { seed: 42, dtype: 'float32' })),
        normal: list(r.normal(5, { seed: 7, loc: 10, scale: 2 })),
        integers: list(r.integers(-3, 4, 8, { seed: 2 ** 40 + 5 })),
        wide: list(r.integers(0, 2 ** 40, 3, { seed: 9, dtype: 'float64' })),
      };
    })()`);
      const { zeroSeedFirst: _, ...want } = golden;
      expect(got).toEqual(want);
    });
  },
);

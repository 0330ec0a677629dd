/** The examples as tests: Game of Life on a torus, heat diffusion, image filters (scipy golden values). */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { evolve, glider, life, render } from '../../examples/game-of-life.js';
import { diffuse, heatStep, hotSquare, total } from '../../examples/heat-diffusion.js';
import { blur, sobel } from '../../examples/image-filters.js';
import { asarray, type NdArray, toNested, zeros } from '../../src/index.js';
import { assertArraysClose, assertArraysEqual } from '../../src/testing/index.js';
import { runs } from '../support.js';

describe("Conway's Game of Life ('wrap', uint8)", () => {
  it('a glider comes back to its start after 4·n generations on an n×n torus', () => {
    fc.assert(
      fc.property(
        // From 5 on: on a 4×4 torus a glider already touches its own wrapped copy.
        fc
          .integer({ min: 5, max: 12 })
          .chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1), fc.nat(n - 1))),
        ([n, r, c]) => {
          const start = glider(n, r, c);
          // Every 4 generations it has moved one cell down and one right, across the edges.
          assertArraysEqual(evolve(start, 4), glider(n, r + 1, c + 1));
          const back = evolve(start, 4 * n);
          expect(render(back)).toBe(render(start));
          assertArraysEqual(back, start);
          expect(back.dtype).toBe('uint8');
        },
      ),
      runs(12),
    );
  });

  it('a blinker has period 2 and a block is still', () => {
    const b = zeros([5, 5], 'uint8');
    for (const j of [1, 2, 3]) b.set(2, j, 1);
    const once = life(b);
    expect(toNested(once)).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    assertArraysEqual(life(once), b);
    const block = zeros([4, 4], 'uint8');
    for (const [i, j] of [
      [0, 0],
      [0, 3],
      [3, 0],
      [3, 3],
    ])
      block.set(i, j, 1); // a block split over the four corners of the torus
    assertArraysEqual(life(block), block);
  });
});

describe('heat diffusion (5-point Laplacian)', () => {
  it('one step matches the formula', () => {
    const u = asarray([
      [0, 0, 0, 0],
      [0, 8, 4, 0],
      [0, 0, 0, 0],
    ]);
    const got = toNested(heatStep.cold(u, 0.25)) as number[][];
    // cell (1,1): 8 + 0.25 * (0 + 0 + 0 + 4 - 32) = 1
    expect(got[1][1]).toBe(1);
    expect(got[1][2]).toBe(4 + 0.25 * (8 - 16));
    expect(got[0][1]).toBe(0.25 * 8);
    const ins = toNested(heatStep.insulated(u, 0.25)) as number[][];
    expect(ins[0][1]).toBe(0 + 0.25 * (0 + 8 + 0 + 0 - 0)); // the row above the edge is itself
  });

  it('insulated edges conserve heat, the maximum never grows, symmetry is kept', () => {
    const u0 = hotSquare(24, 4);
    let prevMax = 100;
    for (const steps of [1, 10, 60]) {
      const u = diffuse(u0, steps, 0.2, 'insulated');
      expect(total(u)).toBeCloseTo(total(u0), 8);
      const vals = Array.from(u.data as Float64Array);
      const max = Math.max(...vals);
      expect(max).toBeLessThanOrEqual(prevMax);
      expect(Math.min(...vals)).toBeGreaterThanOrEqual(0);
      prevMax = max;
      for (let i = 0; i < 24; i++)
        for (let j = 0; j < 24; j++) expect(u.get(i, j)).toBeCloseTo(u.get(j, 23 - i), 10);
    }
    // Long run: the plate tends to the mean temperature.
    const flat = diffuse(u0, 4000, 0.25, 'insulated');
    const mean = total(u0) / (24 * 24);
    for (const v of flat.data as Float64Array) expect(v).toBeCloseTo(mean, 3);
  });

  it('cold edges (constant 0) drain heat', () => {
    const u0 = hotSquare(16, 4);
    const u = diffuse(u0, 500, 0.25, 'cold');
    expect(total(u)).toBeLessThan(total(u0) / 2);
  });
});

describe('image filters (scipy.ndimage golden values, mode reflect)', () => {
  const img = ndarray(
    new Float32Array([0, 1, 2, 3, 4, 1, 0, 5, 0, 1, 2, 8, 0, 1, 0, 0, 0, 3, 6, 2]),
    [4, 5],
  ) as NdArray;

  it('3×3 blur = uniform_filter(size=3)', () => {
    const out = blur(img);
    expect(out.dtype).toBe('float32');
    const times9 = [
      [4, 12, 17, 24, 24],
      [15, 19, 20, 16, 14],
      [14, 19, 23, 18, 13],
      [12, 16, 27, 23, 21],
    ];
    assertArraysClose(
      out,
      times9.map((r) => r.map((v) => v / 9)),
      { rtol: 1e-6, checkDtype: false },
    );
  });

  it('Sobel magnitude = hypot(sobel(a, 0), sobel(a, 1))', () => {
    assertArraysClose(
      sobel(img),
      [
        [2.828427, 10.198039, 6.324555, 6.324555, 12.649111],
        [13.928388, 16.124515, 5.09902, 11.661904, 14.142136],
        [11.401754, 4.242641, 8.246211, 12.083046, 10.29563],
        [15.231546, 16.552945, 11.401754, 15.297059, 17.029386],
      ],
      { rtol: 1e-6, checkDtype: false },
    );
  });
});

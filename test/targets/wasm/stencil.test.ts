/**
 * Stencil interiors on wasm agree with the JS loops bit for bit: random kernels over random
 * shapes (1-D to 4-D, axes of length 0 and 1, axes shorter than the neighborhood), every
 * dtype, random views (transposed, stepped, reversed, broadcast, offset), every boundary
 * mode (one for all axes or one per axis), number arguments, `out` of another dtype and
 * `cval`; and hand-picked cases: a Life glider, the Laplacian, uint8 wrap-around.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Boundary,
  DTYPES,
  type DType,
  type NdArray,
  type Rel,
  stencil,
  zeros,
} from '../../../src/index.js';
import { lastStencilPathOfAnyCall } from '../../../src/targets/wasm/stencil.js';
import { ndarrayArb, shapeArb } from '../../../src/testing/index.js';
import { runs } from '../../support.js';
import {
  both as bothPaths,
  expectSameBits,
  onHeapCopy,
  SIMD_DTYPES,
  useWasmForEveryCall,
} from './helpers.js';

useWasmForEveryCall();

const MODES: readonly Boundary[] = ['skip', 'constant', 'nearest', 'reflect', 'mirror', 'wrap'];

/** Runs `f` on the JS loops, then with wasm interiors; returns both results and the wasm call's path. */
const both = (f: () => NdArray) => bothPaths(f, lastStencilPathOfAnyCall);

function expectBoth(js: NdArray | string, w: NdArray | string, what: string): void {
  if (typeof js === 'string' || typeof w === 'string') expect(w).toBe(js);
  else expectSameBits(w, js, what);
}

/** Expression templates over reads `R` (an accessor read) and constants. */
const SHAPES_OF_KERNELS: ((r: () => string) => string)[] = [
  (r) => `${r()} + ${r()} - 2 * ${r()}`,
  (r) => `${r()} * ${r()} + 3`,
  (r) => `Math.max(${r()}, ${r()}) - Math.min(${r()}, 1)`,
  (r) => `${r()} / (${r()} + 0.5)`,
  (r) => `(${r()} & 5) | (${r()} ^ 3)`,
  (r) => `(${r()} << 2) + (${r()} >> 1)`,
  (r) => `${r()} > ${r()} ? ${r()} : 7`,
  (r) => `${r()} === 1 ? 1 : 0`,
  (r) => `Math.sqrt(Math.abs(${r()})) + Math.floor(${r()} / 3)`,
  (r) => `Math.sin(${r()}) + ${r()} % 3`,
  (r) => `-${r()} + (${r()} !== 0 && ${r()} < 4 ? 2 : -1)`,
  // Statements: a loop, a branch, an early return (a scalar wasm loop with blocks).
  (r) =>
    `{ let s = ${r()}; for (let i = 0; i < 3; i++) { if (${r()} > i) s += ${r()}; else { s -= 1; } } if (s > 100) return 0; return s; }`,
];

interface Case {
  nd: number;
  template: number;
  /** Offsets of each read, in order of appearance. */
  reads: { input: number; offsets: number[] }[];
  dtypes: DType[];
  modes: Boundary[];
  perAxis: boolean;
  scalar: number | null;
  cval: number;
  outDtype: DType | null;
}

function caseArb(): fc.Arbitrary<Case> {
  return fc.integer({ min: 1, max: 4 }).chain((nd) =>
    fc.record({
      nd: fc.constant(nd),
      template: fc.nat(SHAPES_OF_KERNELS.length - 1),
      reads: fc.array(
        fc.record({
          input: fc.nat(1),
          offsets: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: nd, maxLength: nd }),
        }),
        { minLength: 4, maxLength: 4 },
      ),
      dtypes: fc.array(fc.constantFrom(...DTYPES), { minLength: 1, maxLength: 2 }),
      modes: fc.array(fc.constantFrom(...MODES), { minLength: nd, maxLength: nd }),
      perAxis: fc.boolean(),
      scalar: fc.option(fc.constantFrom(2, -1, 0.5, 300)),
      cval: fc.constantFrom(0, 3, -2, 0.5),
      outDtype: fc.option(fc.constantFrom(...DTYPES)),
    }),
  );
}

/** The kernel's source for a case: reads cycle through the case's reads, each input read once at least. */
function kernelOf(c: Case): (...a: unknown[]) => number {
  const params = c.dtypes.map((_, i) => `a${i}`);
  if (c.scalar !== null) params.push('s');
  let k = 0;
  const read = () => {
    const r = c.reads[k % c.reads.length];
    const input = k < c.dtypes.length ? k : r.input % c.dtypes.length;
    k++;
    return `a${input}(${r.offsets.join(', ')})`;
  };
  const template = SHAPES_OF_KERNELS[c.template](read);
  // A statement template is a block of its own; the others are one returned expression.
  let body = template.startsWith('{') ? '0' : template;
  // Every input is read (a parameter read through no accessor takes a number).
  while (k < c.dtypes.length) body += ` + ${read()}`;
  if (c.scalar !== null) body = `s * (${body})`;
  const src = template.startsWith('{')
    ? `const e = ${body}; ${template.replace(/return s;/, 'return s + e;')}`
    : `return ${body};`;
  return new Function(...params, src) as (...a: unknown[]) => number;
}

describe('wasm stencil interiors equal the JS loops bit for bit', () => {
  it('random kernels, dtypes, views, shapes and boundary modes', () => {
    fc.assert(
      fc.property(
        caseArb().chain((c) =>
          shapeArb({ minDims: c.nd, maxDims: c.nd, minSide: 0, maxSide: 7 }).chain((shape) =>
            fc.tuple(
              fc.constant(c),
              fc.tuple(...c.dtypes.map((dtype) => ndarrayArb({ dtype, shape, special: true }))),
              fc.option(ndarrayArb({ shape, writable: true })),
            ),
          ),
        ),
        ([c, inputs, out]) => {
          const s = stencil(kernelOf(c), {
            boundary: c.perAxis ? c.modes : c.modes[0],
            cval: c.cval,
            dtype: c.outDtype ?? undefined,
          });
          const args: unknown[] = inputs.map(onHeapCopy);
          if (c.scalar !== null) args.push(c.scalar);
          const call = () => {
            if (!out) return s(...(args as never[]));
            // A fresh heap copy of `out` per path: skipped cells keep its values.
            const o = onHeapCopy(out);
            s(...(args as never[]), { out: o });
            return o;
          };
          const [js, w, path] = both(call);
          expectBoth(js, w, `${c.dtypes.join(',')} ${c.modes.join(',')}`);
          const clamped = [...c.dtypes, c.outDtype, out?.data.constructor.name].some(
            (d) => d === 'uint8_clamped' || d === 'Uint8ClampedArray',
          );
          const size = inputs[0].shape.reduce((x, y) => x * y, 1);
          if (typeof w !== 'string' && size > 0 && !clamped) expect(path).toMatch(/^wasm/);
        },
      ),
      runs(150),
    );
  });

  it('SIMD rows: contiguous arrays of every lane dtype, rows of any length', () => {
    const lanes = SIMD_DTYPES;
    const kernels = [
      stencil((u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0)),
      stencil((u: Rel) => (u(0, -1) > u(0, 1) ? u(0, 0) : -u(0, 0)), { boundary: 'wrap' }),
      stencil((u: Rel) => Math.max(u(-1, -1), u(1, 1)) - Math.abs(u(0, 0)), {
        boundary: 'nearest',
      }),
      stencil((u: Rel) => (u(0, 0) === 1 || u(0, 1) === 2 ? 1 : 0), { boundary: 'reflect' }),
      // A number argument: its value cast to the lanes' dtype once, before the loop.
      stencil((u: Rel, s: number) => u(0, 0) + s * (u(-1, 0) + u(1, 1) - 2 * u(0, 0)), {
        boundary: 'constant',
        cval: 1,
      }),
    ];
    const scalars = [2, -3, 300, true];
    fc.assert(
      fc.property(
        fc.constantFrom(...lanes),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 70 }),
        fc.nat(kernels.length - 1),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.nat(scalars.length - 1),
        (t, rows, cols, which, seed, scalar) => {
          const a = zeros([rows, cols], t);
          const d = a.data as unknown as number[];
          let x = seed;
          for (let j = 0; j < d.length; j++) {
            x = (Math.imul(x, 1103515245) + 12345) | 0;
            d[j] = t.startsWith('float') ? (x % 2000) / 8 - 100 : x % 4;
          }
          if (t.startsWith('float') && d.length > 3) {
            d[1] = Number.NaN;
            d[2] = -0;
          }
          const k = kernels[which] as (...a: unknown[]) => NdArray;
          const [js, w, path] = both(() => (which === 4 ? k(a, scalars[scalar]) : k(a)));
          expectBoth(js, w, `${t} kernel ${which}`);
          expect(path).toMatch(/^wasm/);
          // (8-bit lanes multiply through 16-bit products: the Laplacian's `4 * u` too.)
          if (rows > 2 && cols > 2 + 16) expect(path).toContain('SIMD');
        },
      ),
      runs(120),
    );
  });
});

describe('SIMD in 3-D and 4-D', () => {
  it('random reads of contiguous arrays with long rows, every mode', () => {
    const lanes: DType[] = ['float64', 'float32', 'int32', 'uint16', 'int8', 'uint8'];
    fc.assert(
      fc.property(
        fc.constantFrom(...lanes),
        fc
          .integer({ min: 3, max: 4 })
          .chain((nd) =>
            fc.tuple(
              fc.array(fc.integer({ min: 1, max: 4 }), { minLength: nd - 1, maxLength: nd - 1 }),
              fc.integer({ min: 1, max: 50 }),
              fc.array(
                fc.array(fc.integer({ min: -1, max: 1 }), { minLength: nd, maxLength: nd }),
                { minLength: 1, maxLength: 4 },
              ),
            ),
          ),
        fc.constantFrom(...MODES),
        (t, [outer, row, reads], mode) => {
          const shape = [...outer, row];
          const a = zeros(shape, t);
          const d = a.data as unknown as number[];
          for (let j = 0; j < d.length; j++) d[j] = ((j * 2654435761) >>> 0) % 200;
          const body = reads.map((o, i) => `${i % 2 ? '-' : '+'} u(${o.join(', ')})`).join(' ');
          const s = stencil(new Function('u', `return 0 ${body};`) as (u: Rel) => number, {
            boundary: mode,
          });
          const [js, w, path] = both(() => s(a));
          expectBoth(js, w, `${t} ${shape} ${body}`);
          expect(path).toMatch(/^wasm interior: SIMD/);
        },
      ),
      runs(80),
    );
  });
});

describe('hand-picked stencils on wasm', () => {
  const lifeRule = (c: Rel) => {
    const n = c(-1, -1) + c(-1, 0) + c(-1, 1) + c(0, -1) + c(0, 1) + c(1, -1) + c(1, 0) + c(1, 1);
    return n === 3 || (n === 2 && c(0, 0) === 1) ? 1 : 0;
  };

  it('a glider on a 40×40 torus returns after 160 generations, SIMD i8x16', () => {
    const life = stencil(lifeRule, { boundary: 'wrap' });
    const board = zeros([40, 40], 'uint8');
    for (const [i, j] of [
      [0, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2],
    ])
      board.set(i + 5, j + 7, 1);
    let cur = board;
    for (let g = 0; g < 160; g++) {
      const [js, w, path] = both(() => life(cur));
      expectBoth(js, w, `generation ${g}`);
      expect(path).toContain('SIMD i8x16');
      cur = w as NdArray;
    }
    expectSameBits(cur, board, 'after 160 generations');
    expect(life.inspect()).toContain('wasm interior loop 2|11|BB|a1: SIMD i8x16 inner loop');
    expect(life.inspect()).toContain('border bands only');
  });

  it('the Laplacian of float64 is f64x2, equal to the JS loop', () => {
    const lap = stencil((u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0));
    const g = zeros([33, 65]);
    const d = g.data as Float64Array;
    for (let i = 0; i < d.length; i++) d[i] = Math.sin(i) * 1e3;
    const [js, w, path] = both(() => lap(g));
    expectBoth(js, w, 'laplacian');
    expect(path).toContain('SIMD f64x2');
    // 'skip': the border stays 0.
    expect((w as NdArray).get(0, 5)).toBe(0);
  });

  it('uint8 sums wrap around (255 + 1 is 0), int8 too', () => {
    for (const t of ['uint8', 'int8'] as const) {
      const s = stencil((u: Rel) => u(-1) + u(0) + u(1) + 100, { boundary: 'wrap' });
      const a = zeros([50], t);
      const d = a.data as Uint8Array | Int8Array;
      for (let i = 0; i < d.length; i++) d[i] = (i * 37) & 0xff;
      const [js, w, path] = both(() => s(a));
      expectBoth(js, w, t);
      expect(path).toContain('SIMD i8x16');
      const x = a.data;
      expect((w as NdArray).get(1)).toBe(
        (((x[0] + x[1] + x[2] + 100) << 24) >> 24) & (t === 'uint8' ? 0xff : -1),
      );
    }
  });

  it('a transposed, reversed float32 view runs a scalar wasm loop', () => {
    const s = stencil((u: Rel) => u(0, 1) * 0.5 + u(1, 0), { boundary: 'mirror' });
    const a = zeros([20, 30], 'float32');
    const d = a.data as Float32Array;
    for (let i = 0; i < d.length; i++) d[i] = Math.fround(i / 7);
    const view = a.transpose(1, 0).step(-1, 2);
    const [js, w, path] = both(() => s(view));
    expectBoth(js, w, 'view');
    expect(path).toMatch(/^wasm interior: scalar/);
  });

  it('computed offsets stay on the JS loop, and inspect says why', () => {
    const s = stencil((u: Rel, k: number) => u(k, 0), {
      neighborhood: [
        [-1, 1],
        [0, 0],
      ],
    });
    const a = zeros([10, 10]);
    const [js, w, path] = both(() => s(a, 1));
    expectBoth(js, w, 'computed');
    expect(path).toMatch(/^js: a read at a computed offset/);
    expect(s.inspect()).toContain('not built (a read at a computed offset');
  });

  it('arrays outside the heap stay on the JS loop', () => {
    const s = stencil((u: Rel) => u(-1) + u(1));
    const a = zeros([100]);
    const own = { ...a } as NdArray;
    void own;
    const plain = new Float64Array(100).fill(2);
    const [js, w, path] = both(() => s(plain as never));
    expectBoth(js, w, 'plain');
    expect(path).toMatch(/^js: input 0 is outside the heap/);
  });
});

/**
 * Finding 1: code injection through `constants`. A getter or Proxy that answers a number
 * to the check and a string to the code generator used to put that string into the
 * generated loop source (and, on `parallel`, run it in a worker, where `require` exists).
 * Every value is now read once and the copy is what is checked and compiled; the
 * number-literal printers refuse anything that is not a number as a second line of defence.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberLiteral } from '../../src/compiler/emit-js.js';
import {
  asarray,
  closePool,
  guvectorize,
  jitclass,
  type NdArray,
  setParallelOptions,
  stencil,
  toArray,
  vectorize,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'numbats-inject-'));
const marker = join(dir, 'pwned');
const G = globalThis as { __numbatsPwned?: number };

/**
 * What an attacker would print into the kernel: it flags the calling thread and, where
 * `require` exists (a pool worker), writes a file the test can see from outside.
 */
const payload = `(globalThis.__numbatsPwned = 1, typeof require === 'function' && require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'), 0)`;

/**
 * A constants object whose `k` is 2 on its first read and the payload on every later one;
 * `reads` (not enumerable, so not a constant) counts the reads.
 */
function changingGetter(): { k: number; reads: () => number } {
  let n = 0;
  const o = {} as { k: number; reads: () => number };
  Object.defineProperty(o, 'reads', { value: () => n });
  Object.defineProperty(o, 'k', {
    enumerable: true,
    get() {
      n++;
      return n === 1 ? 2 : payload;
    },
  });
  return o;
}

/** A Proxy that does the same through its `get` trap (and describes `k` as a plain number). */
function changingProxy(): { k: number } {
  let n = 0;
  return new Proxy({ k: 2 } as { k: number }, {
    get(t, p) {
      if (p !== 'k') return Reflect.get(t, p);
      n++;
      return n === 1 ? 2 : payload;
    },
  });
}

function noAttackerCode(): void {
  expect(G.__numbatsPwned).toBeUndefined();
  expect(existsSync(marker)).toBe(false);
}

beforeAll(() => setParallelOptions({ workers: 2, threshold: 0 }));
afterAll(() => {
  setParallelOptions({ threshold: 65536 });
  closePool();
  rmSync(dir, { recursive: true, force: true });
  delete G.__numbatsPwned;
});

const x = asarray(Array.from({ length: 64 }, (_, i) => i));

describe('constants are read once: no attacker code runs', () => {
  for (const target of ['cpu', 'parallel', 'gpu'] as const) {
    for (const [kind, make] of [
      ['getter', changingGetter],
      ['Proxy', changingProxy],
    ] as const) {
      it(`vectorize on ${target}, a changing ${kind}`, async () => {
        const constants = make();
        const f = vectorize((a: number) => a * k, { constants, target });
        // Both the synchronous and the async path compile from the checked copy.
        expect(toArray(f(x) as NdArray)).toEqual(toArray(x).map((v) => v * 2));
        expect(toArray((await f.async(x)) as NdArray)).toEqual(toArray(x).map((v) => v * 2));
        noAttackerCode();
        if (kind === 'getter')
          expect((constants as ReturnType<typeof changingGetter>).reads()).toBe(1);
      });
    }
  }

  it('guvectorize, stencil and jitclass constants (cpu and parallel)', () => {
    for (const target of ['cpu', 'parallel'] as const) {
      const g = guvectorize(
        (a: { shape: number[]; get(i: number): number }) => {
          let s = 0;
          for (let i = 0; i < a.shape[0]; i++) s += a.get(i) * k;
          return s;
        },
        '(n)->()',
        { constants: changingGetter() as unknown as { k: number }, target },
      );
      expect(toArray(g(x) as NdArray)[0]).toBe(toArray(x).reduce((s, v) => s + v * 2, 0));
      const st = stencil((u: (i: number) => number) => u(0) * k, {
        constants: changingProxy(),
        target,
      });
      expect(toArray(st(x))).toEqual(toArray(x).map((v) => v * 2));
      const P = jitclass(
        { v: 'float64' },
        class {
          declare v: number;
          scale(): void {
            this.v = this.v * k;
          }
        },
        { constants: changingGetter() as unknown as { k: number }, target },
      );
      const ps = P.array(8);
      ps.field('v').data.fill(3);
      ps.call('scale');
      expect(Array.from(ps.field('v').data)).toEqual(new Array(8).fill(6));
    }
    noAttackerCode();
  });

  it('a throwing getter or trap is a TypeError naming the option', () => {
    const bad = Object.defineProperty({}, 'k', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => vectorize((a: number) => a * k, { constants: bad })).toThrow(TypeError);
    expect(() => vectorize((a: number) => a * k, { constants: bad })).toThrow(
      "constants: reading option 'k' threw (boom)",
    );
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    expect(() => vectorize((a: number) => a * k, { constants: trap })).toThrow(TypeError);
  });

  it('the number-literal printer refuses anything but a number', () => {
    expect(numberLiteral(-0)).toBe('(-0)');
    expect(numberLiteral(Number.NaN)).toBe('NaN');
    for (const v of ['1;process.exit()', {}, 1n, true, null]) {
      expect(() => numberLiteral(v as never)).toThrow(TypeError);
    }
  });
});

declare const k: number;

/**
 * Which path a jit call takes: wasm when every array argument lives on the numbats heap and
 * the function lowers (inspect() then shows the module), the JS path otherwise with the
 * reason in inspect(); and what an index outside an array does on each path.
 */
import ndarray from 'ndarray';
import { afterEach, describe, expect, it } from 'vitest';
import { jit, type NdArray, prange, zeros } from '../../../src/index.js';
import { lastJitPath } from '../../../src/targets/cpu/function.js';
import { setWasmCompiler } from '../../../src/targets/wasm/compile.js';
import { wasmConfig } from '../../../src/targets/wasm/map.js';
import { onHeapCopy, useWasmForEveryCall } from './helpers.js';
import { dispatcher, wasmEqualsJs } from './jit-helpers.js';

useWasmForEveryCall();
afterEach(() => setWasmCompiler());

function ramp(shape: number[], dtype: 'float64' | 'uint8_clamped' = 'float64'): NdArray {
  const a = zeros(shape, dtype);
  for (let i = 0; i < a.size; i++) a.data[i] = (i * 7) % 11;
  return onHeapCopy(a);
}

const sum1 = (a: NdArray) => {
  let s = 0;
  for (let i = 0; i < a.shape[0]; i++) s += a.get(i);
  return s;
};

describe('jit paths', () => {
  it('runs on wasm with heap arguments; inspect() shows the path and the module', () => {
    const f = jit(sum1);
    expect(f(ramp([6]))).toBe(0 + 7 + 3 + 10 + 6 + 2);
    expect(lastJitPath()).toBe('wasm');
    const text = f.inspect();
    expect(text).toMatch(/\/\/ path of the latest call: wasm/);
    expect(text).toMatch(/\(module/);
    expect(text).toMatch(/f64\.load/);
  });

  it('with the engine thresholds on, the first call runs the JS code and the second wasm', () => {
    const saved = wasmConfig.minElements;
    wasmConfig.minElements = 2048;
    try {
      const f = jit(sum1);
      const a = ramp([6]);
      expect(f(a)).toBe(28);
      expect(lastJitPath()).toMatch(/^js: the first call runs the JS path/);
      expect(f.inspect()).not.toMatch(/\(module/);
      expect(f(a)).toBe(28);
      expect(lastJitPath()).toBe('wasm');
    } finally {
      wasmConfig.minElements = saved;
    }
  });

  it('an array off the heap runs the JS path, with the reason', () => {
    const f = jit(sum1);
    const own = ndarray(new Float64Array([1, 2, 3])) as unknown as NdArray;
    expect(f(own)).toBe(6);
    expect(lastJitPath()).toBe('js: argument 1 is not on the numbats heap');
    expect(f.inspect()).toMatch(
      /path of the latest call: js: argument 1 is not on the numbats heap/,
    );
  });

  const refused: [string, (...a: any[]) => unknown, object, RegExp][] = [
    [
      'a helper function',
      (a: NdArray) => twice(a.get(0)),
      { functions: { twice: jit((x: number) => 2 * x) } },
      /calls of helper functions/,
    ],
    [
      'a parallel prange',
      (a: NdArray) => {
        let s = 0;
        for (const i of prange(a.shape[0])) s += a.get(i);
        return s;
      },
      { parallel: true },
      /prange loops of a parallel function/,
    ],
    ['fastmath', sum1, { fastmath: true }, /fastmath/],
  ];
  for (const [what, fn, options, reason] of refused) {
    it(`${what} runs the JS path, with the reason in inspect()`, () => {
      const f = jit(fn, options);
      const a = ramp([4]);
      f(a);
      expect(lastJitPath()).toMatch(reason);
      expect(f.inspect()).toMatch(/WebAssembly: not built/);
    });
  }

  it('uint8_clamped arrays run the JS path', () => {
    const f = jit(sum1);
    expect(f(ramp([4], 'uint8_clamped'))).toBe(0 + 7 + 3 + 10);
    expect(lastJitPath()).toMatch(/uint8_clamped/);
  });

  it('where WebAssembly is refused, calls run the JS path and say why', () => {
    const refuse = () => {
      throw new WebAssembly.CompileError('refused by the page');
    };
    setWasmCompiler({ module: refuse, instance: refuse, instantiate: refuse });
    const f = jit(sum1);
    expect(f(ramp([3]))).toBe(10);
    expect(lastJitPath()).toMatch(/^js: WebAssembly is not allowed here/);
  });
});

describe('indices outside an array', () => {
  const get2 = dispatcher((a: NdArray, i: number, j: number) => a.get(i, j));
  const get2checked = dispatcher((a: NdArray, i: number, j: number) => a.get(i, j), {
    boundscheck: true,
  });
  const set1 = dispatcher((a: NdArray, i: number) => {
    a.set(i, 99);
  });

  it('boundscheck: the same IndexError on both paths', () => {
    const a = ramp([3, 4]);
    for (const [i, j] of [
      [3, 0],
      [0, 4],
      [-1, 0],
      [0, -1],
    ]) {
      expect(wasmEqualsJs(get2checked, [a, i, j])).toBe('wasm');
    }
    expect(() => get2checked(a, 0, 4)).toThrow(
      'index 4 is out of bounds for axis 1 with size 4 (array shape [3, 4])',
    );
  });

  it('without boundscheck, an index past one axis reads the element it lands on, on both paths', () => {
    const a = ramp([3, 4]);
    expect(wasmEqualsJs(get2, [a, 0, 5])).toBe('wasm');
    expect(get2(a, 0, 5)).toBe(a.get(1, 1));
    // A strided view may reach below its first element, inside its block.
    const strided = onHeapCopy(ramp([8]).step(2).lo(1) as NdArray);
    const get1 = dispatcher((b: NdArray, i: number) => b.get(i));
    expect(wasmEqualsJs(get1, [strided, -1])).toBe('wasm');
  });

  it('without boundscheck, outside the block: IndexError on wasm (the JS path reads undefined)', () => {
    const a = ramp([3, 4]);
    wasmConfig.enabled = false;
    expect(get2(a, 3, 0)).toBeUndefined();
    wasmConfig.enabled = true;
    expect(() => get2(a, 3, 0)).toThrow(
      /element 12 of a view lies outside its array's 12-element block/,
    );
    expect(() => get2(a, 0, -1)).toThrow(/element -1 of a view/);
    const b = onHeapCopy(zeros(5));
    expect(() => set1(b, 5)).toThrow(/outside its array's 5-element block/);
    expect(Array.from(b.data as Float64Array)).toEqual([0, 0, 0, 0, 0]);
  });
});

declare function twice(x: number): number;

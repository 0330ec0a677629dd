/**
 * The cost rule (targets/wasm/cost.ts): elementwise kernels dominated by calls from wasm
 * into JS `Math` run the JS loop, with the reason in `inspect()`; instruction Math (sqrt,
 * abs, floor, min, …) counts as arithmetic; results are the same either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferKernel } from '../../../src/compiler/infer.js';
import { parseSource } from '../../../src/compiler/parse.js';
import { type DType, type NdArray, vectorize, zeros } from '../../../src/index.js';
import { jsFasterReason, kernelCost, OPS_PER_CALL } from '../../../src/targets/wasm/cost.js';
import { lastPathOfAnyCall, wasmConfig } from '../../../src/targets/wasm/map.js';
import { both, expectSameBits, useWasmForEveryCall } from './helpers.js';

useWasmForEveryCall();
// This file tests the rule itself: on, as outside the wasm tests.
beforeAll(() => {
  wasmConfig.costRule = true;
});
afterAll(() => {
  wasmConfig.costRule = false;
});

const typed = (src: string, params: DType[] = ['float64']) => inferKernel(parseSource(src), params);

describe('kernelCost', () => {
  it('counts calls into JS and other operations', () => {
    expect(kernelCost(typed('(x) => Math.exp(x) * Math.sin(x)'))).toEqual({
      calls: ['Math.exp', 'Math.sin'],
      ops: 1,
    });
    // Instructions: arithmetic, not calls.
    const instr = kernelCost(
      typed('(x) => Math.sqrt(Math.abs(x)) + Math.floor(x) - Math.min(x, 1) * Math.fround(x)'),
    );
    expect(instr.calls).toEqual([]);
    expect(instr.ops).toBe(8);
    // `%` of floats and `**` are JS's; `%` of integers is an instruction.
    expect(kernelCost(typed('(x) => x % 3 + x ** 2')).calls).toEqual(['%', '**']);
    expect(kernelCost(typed('(x) => x % 3', ['int32'])).calls).toEqual([]);
    expect(kernelCost(typed('(x) => Number.isNaN(x) ? 0 : x')).calls).toEqual(['Number.isNaN']);
    // Integer Math lowers to instructions.
    expect(kernelCost(typed('(x) => Math.abs(x) + Math.max(x, 2)', ['int32'])).calls).toEqual([]);
  });

  it('says why the JS loop is faster, only below OPS_PER_CALL operations per call', () => {
    expect(jsFasterReason(typed('(x) => Math.exp(x) * Math.sin(x)'))).toBe(
      'its 2 JS calls per element (Math.exp, Math.sin) outweigh 1 other operation on wasm: the JS loop is faster',
    );
    expect(jsFasterReason(typed('(x) => Math.exp(x)'))).toMatch(/^its 1 JS call per element/);
    // Enough arithmetic per call: wasm.
    const ops = Array.from({ length: OPS_PER_CALL }, () => '* 0.5').join(' ');
    expect(jsFasterReason(typed(`(x) => Math.exp(x ${ops})`))).toBeUndefined();
    expect(jsFasterReason(typed('(x) => Math.sqrt(x)'))).toBeUndefined();
    expect(jsFasterReason(typed('(x) => x * 2'))).toBeUndefined();
  });
});

describe('the engine a call takes', () => {
  const fill = (n: number) => {
    const a = zeros([n]);
    const d = a.data as Float64Array;
    for (let i = 0; i < n; i++) d[i] = Math.sin(i) * 3;
    return a;
  };

  it('exp·sin runs the JS loop with the reason in inspect(), same bits', () => {
    const f = vectorize((x: number) => Math.exp(x) * Math.sin(x));
    const a = fill(100);
    const [js, w, path] = both(() => f(a) as NdArray);
    expectSameBits(w as NdArray, js as NdArray, 'exp·sin');
    expect(path).toBe(
      'js: its 2 JS calls per element (Math.exp, Math.sin) outweigh 1 other operation on wasm: the JS loop is faster',
    );
    expect(f.inspect()).toContain('js: its 2 JS calls per element (Math.exp, Math.sin)');
  });

  it('a call with enough arithmetic, and instruction Math, stay on wasm', () => {
    const poly = vectorize((x: number) => Math.exp(x * 0.5 + 1) * x - 3);
    const roots = vectorize((x: number) => Math.sqrt(Math.abs(x)) + Math.floor(x));
    const a = fill(100);
    for (const [f, want] of [
      [poly, /^wasm: scalar loop/],
      [roots, /^wasm: SIMD f64x2 loop/],
    ] as const) {
      const [js, w, path] = both(() => f(a) as NdArray);
      expectSameBits(w as NdArray, js as NdArray, 'wasm');
      expect(path).toMatch(want);
    }
  });

  it('switched off, exp·sin runs on wasm', () => {
    const f = vectorize((x: number) => Math.exp(x) * Math.sin(x));
    wasmConfig.costRule = false;
    try {
      f(fill(50));
      expect(lastPathOfAnyCall()).toMatch(/^wasm: scalar loop/);
    } finally {
      wasmConfig.costRule = true;
    }
  });
});

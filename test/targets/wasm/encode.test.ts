/** The binary emitter: immediates round-trip through a compiled module, text matches binary. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeModule, FuncBuilder, moduleText } from '../../../src/targets/wasm/encode.js';
import { runs } from '../../support.js';

const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });

function compile(fs: FuncBuilder[]): WebAssembly.Exports {
  const mod = new WebAssembly.Module(encodeModule([], fs, 65536) as BufferSource);
  return new WebAssembly.Instance(mod, { env: { memory } }).exports;
}

describe('wasm encoder', () => {
  it('encodes i32, f32 and f64 constants exactly (LEB128 edges, -0, NaN, infinities)', () => {
    const ints = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8193, 2 ** 31 - 1, -(2 ** 31)];
    const floats = [0, -0, 1.5, -1e300, Number.NaN, Number.POSITIVE_INFINITY, 5e-324];
    const fs: FuncBuilder[] = [];
    ints.forEach((v, i) => {
      const f = new FuncBuilder(`i${i}`, [], ['i32']);
      f.i32(v);
      fs.push(f);
    });
    floats.forEach((v, i) => {
      const f = new FuncBuilder(`d${i}`, [], ['f64']);
      f.f64(v);
      fs.push(f);
      const g = new FuncBuilder(`s${i}`, [], ['f32']);
      g.f32(v);
      fs.push(g);
    });
    const ex = compile(fs) as Record<string, () => number>;
    ints.forEach((v, i) => {
      expect(ex[`i${i}`]()).toBe(v);
    });
    floats.forEach((v, i) => {
      expect(Object.is(ex[`d${i}`](), v)).toBe(true);
      expect(Object.is(ex[`s${i}`](), Math.fround(v))).toBe(true);
    });
  });

  it('round-trips random i32 immediates and shows them in the text', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        const f = new FuncBuilder('k', ['i32'], ['i32']);
        f.get(0).i32(v).op('i32.add');
        const ex = compile([f]) as Record<string, (x: number) => number>;
        expect(ex.k(1)).toBe((v + 1) | 0);
        expect(moduleText([], [f])).toContain(`i32.const ${v}`);
      }),
      runs(50),
    );
  });

  it('encodes locals, blocks, loops, branches, memory and SIMD instructions', () => {
    // sum of n float64 at address 0, two lanes at a time (n even).
    const f = new FuncBuilder('sum', ['i32'], ['f64']);
    const p = f.local('i32');
    const acc = f.local('v128');
    f.f64(0).op('f64x2.splat').set(acc);
    f.open('block');
    f.open('loop');
    f.get(p).get(0).i32(8).op('i32.mul').op('i32.ge_u').brIf(1);
    f.get(acc).get(p).mem('v128.load', 0, 3).op('f64x2.add').set(acc);
    f.get(p).i32(16).op('i32.add').set(p);
    f.br(0);
    f.op('end');
    f.op('end');
    f.get(acc).lane('f64x2.extract_lane', 0).get(acc).lane('f64x2.extract_lane', 1).op('f64.add');
    const ex = compile([f]) as Record<string, (n: number) => number>;
    const view = new Float64Array(memory.buffer, 0, 8);
    view.set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ex.sum(8)).toBe(36);
    expect(moduleText([], [f])).toMatch(/v128\.load align=8[\s\S]*f64x2\.extract_lane 1/);
  });
});

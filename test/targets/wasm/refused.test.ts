/**
 * Where WebAssembly compilation is refused (a page whose Content-Security-Policy lacks
 * 'wasm-unsafe-eval'), calls run the JS loops, say why in inspect(), and never throw; the
 * first refusal turns wasm off, so no module is tried again. Played here by a compiler that
 * throws the errors browsers throw.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type NdArray, vectorize, zeros } from '../../../src/index.js';
import {
  instantiateAsync,
  setWasmCompiler,
  type WasmCompiler,
  wasmRefused,
} from '../../../src/targets/wasm/compile.js';
import { lastPathOfAnyCall } from '../../../src/targets/wasm/map.js';
import { onHeapCopy, useWasmForEveryCall } from './helpers.js';

useWasmForEveryCall();
afterEach(() => setWasmCompiler());

const CSP_MESSAGE =
  "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"";

/** A compiler that refuses every module, counting the attempts. */
function refusing(make: () => Error): WasmCompiler & { attempts: number } {
  const c = {
    attempts: 0,
    module(): WebAssembly.Module {
      c.attempts++;
      throw make();
    },
    instance(): WebAssembly.Instance {
      throw make();
    },
    instantiate(): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
      c.attempts++;
      return Promise.reject(make());
    },
  };
  return c;
}

function ramp(n: number): NdArray {
  const a = zeros(n);
  for (let i = 0; i < n; i++) a.data[i] = i * 0.5;
  return onHeapCopy(a);
}

describe('a page that refuses WebAssembly', () => {
  for (const [name, make] of [
    ['CompileError (Chromium)', () => new WebAssembly.CompileError(CSP_MESSAGE)],
    [
      'EvalError (Safari, Firefox)',
      () =>
        new EvalError(
          "Refused to create a WebAssembly object because 'unsafe-eval' or 'wasm-unsafe-eval' is not an allowed source of script",
        ),
    ],
  ] as const) {
    it(`${name}: calls run the JS loops with the reason in inspect(), once, without throwing`, () => {
      const c = refusing(make);
      setWasmCompiler(c);
      const add = vectorize((x: number, y: number) => x + y, { identity: 0 });
      const mul = vectorize((x: number, y: number) => x * y);
      const a = ramp(3000);
      const b = ramp(3000);
      const r = add(a, b) as NdArray;
      expect(r.get(2999)).toBe(2999);
      expect(lastPathOfAnyCall()).toMatch(/^js: WebAssembly is not allowed here/);
      expect(wasmRefused()).toContain(make().message);
      // The kernel's module and the probe of an empty one: then never again.
      expect(c.attempts).toBe(2);
      expect(mul(a, b).get(4)).toBe(4);
      expect(add.reduce(a)).toBe((2999 * 3000) / 4);
      expect(add.accumulate(a).get(3)).toBe(3);
      expect(c.attempts).toBe(2);
      const text = (add as unknown as { inspect(s: string): string }).inspect(
        'float64,float64->float64',
      );
      expect(text).toMatch(/last call on \d+\+ elements: js: WebAssembly is not allowed here/);
      expect(text).toContain('wasm-unsafe-eval');
    });
  }

  it('a module of its own that fails leaves wasm on for the others', () => {
    // Compiles the empty probe module, refuses any other: an emitter bug, not the page.
    const native: WasmCompiler = {
      module: (bytes) => {
        if (bytes.length > 8) throw new WebAssembly.CompileError('bad module');
        return new WebAssembly.Module(bytes as BufferSource);
      },
      instance: (m, i) => new WebAssembly.Instance(m, i),
      instantiate: (bytes, i) => WebAssembly.instantiate(bytes as BufferSource, i),
    };
    setWasmCompiler(native);
    const sub = vectorize((x: number, y: number) => x - y);
    const a = ramp(3000);
    expect((sub(a, a) as NdArray).get(7)).toBe(0);
    expect(lastPathOfAnyCall()).toBe('js: WebAssembly compile failed: CompileError: bad module');
    expect(wasmRefused()).toBeUndefined();
  });

  it('the background compile (a browser main thread) reports a refusal to its loop', async () => {
    setWasmCompiler(refusing(() => new WebAssembly.CompileError(CSP_MESSAGE)));
    const reason = await new Promise<string>((resolve) =>
      instantiateAsync(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), {}, (r) =>
        resolve('reason' in r ? r.reason : 'instantiated'),
      ),
    );
    expect(reason).toMatch(/^WebAssembly is not allowed here/);
    expect(wasmRefused()).toBe(reason);
  });

  it('with the engine’s own compiler again, calls run on wasm', () => {
    setWasmCompiler();
    const add = vectorize((x: number, y: number) => x + y);
    const a = ramp(3000);
    expect((add(a, a) as NdArray).get(10)).toBe(10);
    expect(lastPathOfAnyCall()).toMatch(/^wasm: /);
  });
});

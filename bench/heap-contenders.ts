/** What the heap benches share: random float64 arrays on the heap, and a JS-loops contender. */
import { type NdArray, zeros } from '../src/index.js';
import { wasmConfig } from '../src/targets/wasm/map.js';

/** A float64 array of `shape` allocated by numbats (so on the heap), filled with randoms. */
export function filled(shape: number[]): NdArray {
  const a = zeros(shape);
  const d = a.data as Float64Array;
  for (let i = 0; i < d.length; i++) d[i] = Math.random();
  return a;
}

/**
 * A contender running numbats with the wasm kernels switched off: the JS loops, on the
 * calling thread or on the workers, over the same heap arrays.
 */
export function jsLoops(run: () => unknown): () => unknown {
  return () => {
    wasmConfig.enabled = false;
    try {
      return run();
    } finally {
      wasmConfig.enabled = true;
    }
  };
}

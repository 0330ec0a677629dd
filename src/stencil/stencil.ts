/**
 * `stencil`: turns a kernel written with relative accessors (`u(-1, 0)`) into a function
 * over whole arrays, Numba's `@stencil` with scipy.ndimage's boundary modes.
 */
import { zeros } from '../core/array.js';
import { CPU, withInspectNote } from '../targets/registry.js';
import { withTimeoutOption } from '../ufunc/timeout.js';
import { callStencil } from './call.js';
import { StencilCore } from './dispatcher.js';
import type { Stencil, StencilOptions } from './types.js';

/**
 * Compiles `kernel` into a stencil. Array parameters are read through relative accessors,
 * one offset per axis; other parameters take numbers. The result of a call has the first
 * array input's shape and dtype (or `dtype`).
 *
 * @example
 * const laplacian = stencil((u: Rel) => u(-1, 0) + u(1, 0) + u(0, -1) + u(0, 1) - 4 * u(0, 0));
 * laplacian(grid);                 // border cells (skip mode) get 0
 * laplacian(grid, { out });        // border cells of out keep their value
 * const blur = stencil((u: Rel) => (u(-1) + u(0) + u(1)) / 3, { boundary: 'reflect' });
 */
export function stencil<F extends (...args: any[]) => number | boolean>(
  kernel: F,
  options?: StencilOptions,
): Stencil<F> {
  const core = new StencilCore(kernel, options);
  // A call takes a per-call `timeout` (parallel target) in its options.
  const call = (...args: unknown[]) =>
    withTimeoutOption(core.name, core.target, args, core.nparams, (a) => callStencil(core, a));
  const s = call as unknown as Stencil<F>;
  Object.defineProperties(s, {
    stencilName: { value: core.name, enumerable: true },
    ndim: { value: core.ndim, enumerable: true },
    neighborhood: {
      value:
        core.neighborhood && Object.freeze(core.neighborhood.map((e) => Object.freeze([...e]))),
      enumerable: true,
    },
    boundary: { value: core.boundary, enumerable: true },
    inspect: {
      // A target may add a note (`parallel`: which path the last call took and why).
      value: () => withInspectNote(core.target, core, inspectStencil(core)),
    },
  });
  return s;
}

function inspectStencil(core: StencilCore): string {
  let sources = core.sources();
  if (sources.length === 0 && core.accessors.size === 0)
    return `// ${core.name}: the kernel reads no array through an accessor, so there is no loop to show`;
  if (sources.length === 0) {
    // Nothing compiled yet: show the float64, C-order specialisation.
    const nd = core.ndim ?? 1;
    const shape = new Array<number>(nd).fill(4);
    const args = core.parsed.params.map((_, p) => (core.accessors.has(p) ? zeros(shape) : 0));
    // The whole JS loop (on the heap, the interior of a call may run on wasm instead).
    CPU.withJsLoopsOnly!(() => {
      try {
        callStencil(core, args);
      } catch (e) {
        // A computed offset may fail its run-time check on zeros; the loop is compiled anyway.
        if (!(e instanceof RangeError)) throw e;
      }
    });
    sources = core.sources();
  }
  return sources.join('\n\n') + CPU.describeStencilEngine!(core.name, core.typingsSoFar());
}

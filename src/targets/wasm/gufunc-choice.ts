/**
 * Which loop runs a gufunc call on heap arrays when both could: the wasm loop or the JS
 * loop. Neither wins everywhere. The wasm loop computes its view indices in i32, skips the
 * checks it proved needless and runs float element rows in f64x2/f32x4 lanes, and wins on
 * nested loops over strided views (a 32×32 matmul, 2×) and on those rows; V8's JS loop is
 * specialised on unit strides and small literal core sizes, and wins on long scalar
 * unit-stride rows (a moving average over rows of 500, 1.2–1.4×). So `auto` (the default) measures: the first calls of each wasm loop at
 * each core size class alternate between the two paths, timed, the first call of each
 * untimed (it compiles and warms up), and the faster per element is kept for that loop and
 * size class from then on. Both paths give the same bits, so the choice changes only speed.
 * A wasm call that leaves a view (the JS loop reruns it) settles that size class on JS.
 */

/** How guvectorize calls on heap arrays pick between the wasm and the JS loop. */
export interface WasmGufuncConfig {
  /**
   * `auto` (default): time both on the first calls of each loop and size class and keep the
   * faster; `always`: the wasm loop whenever it can run; `never`: the JS loop.
   */
  mode: 'auto' | 'always' | 'never';
  /**
   * Timed calls per path before `auto` chooses (after one untimed call each); the best of
   * several, so that a call slowed by another process does not decide alone.
   */
  trials: number;
  /** The clock `auto` times calls with, in ms (tests replace it). */
  clock: () => number;
}

export const wasmGufuncConfig: WasmGufuncConfig = {
  mode: 'auto',
  trials: 4,
  clock: () => performance.now(),
};

type Path = 'js' | 'wasm';

/** The trials of one wasm loop at one core size class, and the choice once made. */
export class PathChoice {
  /** Best time per element (ms) seen on each path. */
  private readonly best = { js: Number.POSITIVE_INFINITY, wasm: Number.POSITIVE_INFINITY };
  /** Calls run on each path so far (the first untimed). */
  private readonly calls = { js: 0, wasm: 0 };
  /** The path kept, once both have had their trials. */
  chosen?: Path;

  /** The path the next call takes. */
  next(): Path {
    return this.chosen ?? (this.calls.js <= this.calls.wasm ? 'js' : 'wasm');
  }

  /** Runs `run` on `path` as a trial, timing it unless it is the path's first call. */
  trial(path: Path, elements: number, run: () => void): void {
    const timed = this.calls[path] > 0;
    const clock = wasmGufuncConfig.clock;
    const t0 = timed ? clock() : 0;
    run();
    if (timed) this.best[path] = Math.min(this.best[path], (clock() - t0) / elements);
    this.calls[path]++;
    const n = wasmGufuncConfig.trials;
    if (this.calls.js > n && this.calls.wasm > n)
      this.chosen = this.best.wasm < this.best.js ? 'wasm' : 'js';
  }

  /** A wasm call left a view (the JS loop reran it): JS from now on. */
  leftView(): void {
    this.chosen = 'js';
    this.left = true;
  }

  private left = false;

  /** What was measured, for `inspect`. */
  describe(): string {
    if (this.left) return 'a view index left its view on an earlier call';
    const ns = (ms: number) => (ms * 1e6).toFixed(2);
    return `measured wasm ${ns(this.best.wasm)} ns, JS ${ns(this.best.js)} ns per element (best of ${wasmGufuncConfig.trials} calls each)`;
  }
}

/** The size class of a call's cores (their elements, by factors of 4): a choice holds within one. */
export function sizeClass(coreElements: number): number {
  return Math.floor(Math.log2(coreElements + 1) / 2);
}

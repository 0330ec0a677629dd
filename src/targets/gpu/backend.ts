/**
 * gpu.js loading and backend choice for the `gpu` target. gpu.js is an optional
 * dependency loaded on first use; its backends in Node are `headlessgl` (GLSL through the
 * native `gl` package, which needs a display) and `webasm` (its WebAssembly backend, which
 * runs anywhere). numbats picks headlessgl when a GL context can be made, webasm otherwise,
 * and never gpu.js's silent `cpu` mode: a kernel either runs on a gpu.js backend or the
 * reason it did not is in `gpuStatus()`.
 */

/** A gpu.js backend numbats can run kernels on. */
export type GpuBackend = 'headlessgl' | 'webasm';

/** What `gpuStatus()` reports. */
export interface GpuStatus {
  /** The backend gpu kernels run on now (null when gpu.js could not be loaded). */
  readonly backend: GpuBackend | null;
  /** Why that backend: the override, or why headlessgl was not available. */
  readonly reason: string;
  /** Which backends this process can use. */
  readonly available: { readonly headlessgl: boolean; readonly webasm: boolean };
  /** Ufunc methods that run on `cpu` when a ufunc's target is `gpu`, with the reason. */
  readonly cpuFallbacks: Readonly<Record<string, string>>;
  /** Notes met so far: precision (integers beyond float32's 2^24) and gpu.js cpu fallbacks. */
  readonly notes: readonly string[];
}

/** Ufunc methods that are not lowered to gpu.js, and why. */
export const CPU_FALLBACKS: Readonly<Record<string, string>> = {
  reduce:
    'runs on cpu: a reduction is a sequential fold of the kernel (identity, where, initial, several axes); no parallel reduction is generated for gpu.js',
  accumulate: 'runs on cpu: a running fold is sequential along its axis',
  reduceat: 'runs on cpu: it is a sequence of reductions over index-delimited slices',
  at: 'runs on cpu: unbuffered in-place updates with repeated indices are sequential',
};

/** gpu.js objects (its typings are loose; numbats wraps them). */
export type GpuJs = any;

interface Loaded {
  GPU: GpuJs | null;
  error: string | null;
  headlessgl: boolean;
  glReason: string;
}

let loaded: Loaded | null = null;
let override: GpuBackend | null = null;
const instances = new Map<GpuBackend, GpuJs>();
const notes: string[] = [];

/**
 * `require` for gpu.js (a CommonJS package), from Node's `module` builtin through
 * `process.getBuiltinModule`, so nothing Node-specific is imported at module load.
 */
function nodeRequire(): (id: string) => GpuJs {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:module') as
    | { createRequire(url: string): (id: string) => GpuJs }
    | undefined;
  if (!mod) throw new Error('no CommonJS require here (Node 20.16 or later is needed)');
  return mod.createRequire(import.meta.url);
}

function load(): Loaded {
  if (loaded) return loaded;
  let GPU: GpuJs | null = null;
  let error: string | null = null;
  let req: ((id: string) => GpuJs) | null = null;
  try {
    req = nodeRequire();
    GPU = req('gpu.js').GPU;
  } catch (e) {
    error = `gpu.js could not be loaded (${(e as Error).message.split('\n')[0]}); install it with \`npm install gpu.js\``;
  }
  let headlessgl = false;
  let glReason = '';
  if (GPU) {
    let glLoads = true;
    try {
      req?.('gl');
    } catch (e) {
      glLoads = false;
      glReason = `the native \`gl\` package is not built (${(e as Error).message.split('\n')[0]}); run scripts/setup-gpu.sh`;
    }
    if (glLoads) {
      try {
        headlessgl = Boolean(GPU.isHeadlessGLSupported);
      } catch {
        headlessgl = false;
      }
      if (!headlessgl)
        glReason =
          '`gl` loads but no GL context could be created (its native part is not built, or there is no display: run scripts/setup-gpu.sh, then the tests under xvfb-run)';
    }
  }
  loaded = { GPU, error, headlessgl, glReason };
  return loaded;
}

function envBackend(): GpuBackend | null {
  const v = typeof process !== 'undefined' ? process.env.NUMBATS_GPU_BACKEND : undefined;
  return v === 'headlessgl' || v === 'webasm' ? v : null;
}

/** The backend kernels run on now, and why. */
export function chooseBackend(): { backend: GpuBackend | null; reason: string } {
  const l = load();
  if (!l.GPU) return { backend: null, reason: l.error ?? 'gpu.js unavailable' };
  const forced = override ?? envBackend();
  if (forced === 'headlessgl') {
    if (!l.headlessgl) return { backend: null, reason: `headlessgl requested but ${l.glReason}` };
    return { backend: 'headlessgl', reason: 'headlessgl requested' };
  }
  if (forced === 'webasm') return { backend: 'webasm', reason: 'webasm requested' };
  if (l.headlessgl) return { backend: 'headlessgl', reason: 'a headless-gl context is available' };
  return { backend: 'webasm', reason: `webasm (no headlessgl: ${l.glReason})` };
}

/**
 * Selects the backend for later gpu kernels: `'headlessgl'`, `'webasm'`, or `'auto'`
 * (headlessgl when a GL context can be made, else webasm; the default, also settable with
 * the environment variable `NUMBATS_GPU_BACKEND`). Throws when the backend is unavailable.
 */
export function setGpuBackend(backend: GpuBackend | 'auto'): void {
  if (backend !== 'auto' && backend !== 'headlessgl' && backend !== 'webasm')
    throw new TypeError(
      `gpu backend must be 'headlessgl', 'webasm' or 'auto'; got ${JSON.stringify(backend)}`,
    );
  const l = load();
  if (backend === 'headlessgl' && !l.headlessgl)
    throw new Error(`headlessgl is not available: ${l.glReason || l.error}`);
  if (backend === 'webasm' && !l.GPU) throw new Error(l.error ?? 'gpu.js unavailable');
  override = backend === 'auto' ? null : backend;
}

/** Where `gpu` kernels run, why, and what runs on `cpu` instead. */
export function gpuStatus(): GpuStatus {
  const l = load();
  const { backend, reason } = chooseBackend();
  return {
    backend,
    reason,
    available: { headlessgl: l.headlessgl, webasm: Boolean(l.GPU) },
    cpuFallbacks: CPU_FALLBACKS,
    notes: notes.slice(),
  };
}

/** The gpu.js instance for the current backend (throws when there is none). */
export function gpuInstance(): { gpu: GpuJs; backend: GpuBackend } {
  const { backend, reason } = chooseBackend();
  if (!backend) throw new Error(`target 'gpu': ${reason}`);
  let g = instances.get(backend);
  if (!g) {
    g = new (load().GPU as GpuJs)({ mode: backend });
    instances.set(backend, g);
  }
  return { gpu: g, backend };
}

/** Records a note once (and emits a process warning once per distinct note). */
export function addNote(note: string, type = 'NumbatsGpuPrecision'): void {
  if (notes.includes(note)) return;
  notes.push(note);
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function')
    process.emitWarning(note, type);
}

/**
 * Makes a gpu.js fallback visible: gpu.js replaces a kernel it cannot build on its backend
 * by a CPU kernel with only a console warning; numbats records it in `gpuStatus().notes`.
 */
export function checkRanOnBackend(kern: GpuJs): void {
  const k = kern?.kernel;
  if (k?.constructor?.mode === 'cpu') {
    addNote(
      `gpu: gpu.js ran a kernel on its cpu fallback${k.fallbackReason ? ` (${k.fallbackReason})` : ''}`,
      'NumbatsGpuFallback',
    );
  }
}

/**
 * gpu.js loading and backend choice for the `gpu` target. gpu.js is an optional
 * dependency, found on first use: the `GPU` class the browser entry (`src/browser.ts`, which
 * bundlers pick through package.json's `browser` condition) registers, else a global gpu.js
 * `GPU` (a `<script>` tag with gpu.js's `dist/gpu-browser.js`), else Node's `require`.
 *
 * Its backends in Node are `headlessgl` (GLSL through the native `gl` package, which needs a
 * display) and `webasm` (its WebAssembly backend, which runs anywhere); in a browser
 * `webgl2` and `webgl` (GLSL on the page's WebGL), and `webasm`. numbats picks the first
 * available of headlessgl, webgl2, webgl, webasm, and never gpu.js's silent `cpu` mode: a
 * kernel either runs on a gpu.js backend or the reason it did not is in `gpuStatus()`.
 */

/** A gpu.js backend numbats can run kernels on (`headlessgl` in Node, `webgl2`/`webgl` in a browser, `webasm` in both). */
export type GpuBackend = 'headlessgl' | 'webgl2' | 'webgl' | 'webasm';

/** The backends in the order `'auto'` tries them. */
const ORDER: readonly GpuBackend[] = ['headlessgl', 'webgl2', 'webgl', 'webasm'];

/** What `gpuStatus()` reports. */
export interface GpuStatus {
  /** The backend gpu kernels run on now (null when gpu.js could not be loaded). */
  readonly backend: GpuBackend | null;
  /** Why that backend: the override, or why the backends before it were not available. */
  readonly reason: string;
  /** Which backends this process (or page) can use. */
  readonly available: { readonly [B in GpuBackend]: boolean };
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
  available: Record<GpuBackend, boolean>;
  /** Why each unavailable backend is unavailable. */
  why: Record<GpuBackend, string>;
}

let loaded: Loaded | null = null;
let registered: GpuJs | null = null;
let override: GpuBackend | null = null;
const instances = new Map<GpuBackend, GpuJs>();
const notes: string[] = [];

/**
 * Hands numbats the gpu.js `GPU` class to run `gpu` kernels with (the browser entry passes
 * the one its bundler resolved). Later kernels use it; kernels already built keep theirs.
 */
export function registerGpuJs(GPU: GpuJs): void {
  registered = GPU;
  loaded = null;
  instances.clear();
}

/** gpu.js's `GPU` class set as a global by its browser build (not Chrome's WebGPU `GPU` interface). */
function globalGpuJs(): GpuJs | null {
  const g = (globalThis as { GPU?: GpuJs }).GPU;
  return typeof g === 'function' && typeof g.prototype?.createKernel === 'function' ? g : null;
}

/**
 * `require` for gpu.js (a CommonJS package), from Node's `module` builtin through
 * `process.getBuiltinModule`, so nothing Node-specific is imported at module load; null
 * outside Node.
 */
function nodeRequire(): ((id: string) => GpuJs) | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:module') as
    | { createRequire(url: string): (id: string) => GpuJs }
    | undefined;
  return mod ? mod.createRequire(import.meta.url) : null;
}

/** Whether this is a browser-like context (a DOM or OffscreenCanvas), where WebGL may exist. */
function hasCanvas(): boolean {
  return typeof document !== 'undefined' || typeof OffscreenCanvas !== 'undefined';
}

const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0];

function load(): Loaded {
  if (loaded) return loaded;
  let GPU: GpuJs | null = registered ?? globalGpuJs();
  let error: string | null = null;
  const req = GPU ? null : nodeRequire();
  if (!GPU) {
    if (req) {
      try {
        GPU = req('gpu.js').GPU;
      } catch (e) {
        error = `gpu.js could not be loaded (${firstLine(e)}); install it with \`npm install gpu.js\``;
      }
    } else if (hasCanvas()) {
      error =
        "gpu.js is not loaded: import numbats through a bundler (its browser entry imports gpu.js) or load gpu.js's dist/gpu-browser.js with a <script> tag first";
    } else {
      error =
        'gpu.js could not be loaded: no CommonJS require here (Node 20.16 or later is needed)';
    }
  }
  const available: Record<GpuBackend, boolean> = {
    headlessgl: false,
    webgl2: false,
    webgl: false,
    webasm: false,
  };
  const why: Record<GpuBackend, string> = {
    headlessgl: error ?? '',
    webgl2: error ?? '',
    webgl: error ?? '',
    webasm: error ?? '',
  };
  if (GPU) {
    headlessGl(GPU, req ?? nodeRequire(), available, why);
    if (hasCanvas()) {
      for (const [b, probe] of [
        ['webgl2', 'isWebGL2Supported'],
        ['webgl', 'isWebGLSupported'],
      ] as const) {
        try {
          available[b] = Boolean(GPU[probe]);
        } catch {
          available[b] = false;
        }
        if (!available[b])
          why[b] =
            `no ${b === 'webgl2' ? 'WebGL2' : 'WebGL'} context could be created here (WebGL disabled, or the GPU blocklisted)`;
      }
    } else {
      why.webgl2 = why.webgl = 'not in a browser (no canvas)';
    }
    available.webasm = typeof WebAssembly === 'object';
    if (!available.webasm) why.webasm = 'this context has no WebAssembly';
  }
  loaded = { GPU, error, available, why };
  return loaded;
}

/** Fills in headlessgl's availability: Node with the native `gl` package and a display. */
function headlessGl(
  GPU: GpuJs,
  req: ((id: string) => GpuJs) | null,
  available: Record<GpuBackend, boolean>,
  why: Record<GpuBackend, string>,
): void {
  if (!req) {
    why.headlessgl = 'not in Node (headless-gl is a native Node package)';
    return;
  }
  try {
    req('gl');
  } catch (e) {
    why.headlessgl = `the native \`gl\` package is not built (${firstLine(e)}); run scripts/setup-gpu.sh`;
    return;
  }
  try {
    available.headlessgl = Boolean(GPU.isHeadlessGLSupported);
  } catch {
    available.headlessgl = false;
  }
  if (!available.headlessgl)
    why.headlessgl =
      '`gl` loads but no GL context could be created (its native part is not built, or there is no display: run scripts/setup-gpu.sh, then the tests under xvfb-run)';
}

const isBackend = (v: unknown): v is GpuBackend => ORDER.includes(v as GpuBackend);

function envBackend(): GpuBackend | null {
  const v = typeof process !== 'undefined' ? process.env?.NUMBATS_GPU_BACKEND : undefined;
  return isBackend(v) ? v : null;
}

/** The reason auto-selection skipped past the backends before `b`. */
function autoReason(l: Loaded, b: GpuBackend): string {
  if (b === 'headlessgl') return 'a headless-gl context is available';
  if (b === 'webgl2') return 'a WebGL2 context is available';
  if (b === 'webgl') return `webgl (no webgl2: ${l.why.webgl2})`;
  return hasCanvas()
    ? `webasm (no webgl2 or webgl: ${l.why.webgl})`
    : `webasm (no headlessgl: ${l.why.headlessgl})`;
}

/** The backend kernels run on now, and why. */
export function chooseBackend(): { backend: GpuBackend | null; reason: string } {
  const l = load();
  if (!l.GPU) return { backend: null, reason: l.error ?? 'gpu.js unavailable' };
  const forced = override ?? envBackend();
  if (forced) {
    if (!l.available[forced])
      return { backend: null, reason: `${forced} requested but ${l.why[forced]}` };
    return { backend: forced, reason: `${forced} requested` };
  }
  const b = ORDER.find((x) => l.available[x]);
  if (!b) return { backend: null, reason: `no gpu.js backend is available (${l.why.webasm})` };
  return { backend: b, reason: autoReason(l, b) };
}

/**
 * Selects the backend for later gpu kernels: `'headlessgl'` (Node), `'webgl2'`, `'webgl'`
 * (a browser), `'webasm'` (both), or `'auto'`: the first available of headlessgl, webgl2,
 * webgl, webasm (the default, also settable with the environment variable
 * `NUMBATS_GPU_BACKEND` in Node). Throws when the backend is unavailable here, with why.
 */
export function setGpuBackend(backend: GpuBackend | 'auto'): void {
  if (backend !== 'auto' && !isBackend(backend))
    throw new TypeError(
      `gpu backend must be ${ORDER.map((b) => `'${b}'`).join(', ')} or 'auto'; got ${JSON.stringify(backend)}`,
    );
  const l = load();
  if (backend !== 'auto' && !l.available[backend])
    throw new Error(`${backend} is not available: ${l.why[backend] || l.error}`);
  override = backend === 'auto' ? null : backend;
}

/** Where `gpu` kernels run, why, what could run here, and what runs on `cpu` instead. */
export function gpuStatus(): GpuStatus {
  const l = load();
  const { backend, reason } = chooseBackend();
  return {
    backend,
    reason,
    available: { ...l.available },
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

/**
 * Records a note once, and emits it once per distinct note: a process warning in Node, a
 * console warning in a browser.
 */
export function addNote(note: string, type = 'NumbatsGpuPrecision'): void {
  if (notes.includes(note)) return;
  notes.push(note);
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function')
    process.emitWarning(note, type);
  else if (typeof console !== 'undefined') console.warn(`${type}: ${note}`);
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

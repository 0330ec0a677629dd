/**
 * The `parallel` target's worker pool, started lazily on first use: Node `worker_threads`
 * (every worker `unref()`'d, so the pool never keeps a process alive) or, in a
 * cross-origin-isolated browser page, Web Workers. Nothing is imported from Node at module
 * load (`worker_threads` comes from `process.getBuiltinModule`), so the package loads in a
 * browser bundle; where no pool can run, calls run on `cpu` and `parallelStatus()` says why.
 *
 * A job is a list of chunks over SharedArrayBuffer data, taken by the workers in order from
 * a shared counter. The job's shared control block also carries its outcome: each worker
 * marks its part done and bumps the done counter; the first kernel exception is written
 * there as text. So the caller needs no message from a worker, which matters where it
 * cannot read messages while it waits (a browser worker blocked in `Atomics.wait`).
 *
 * Synchronous calls block in `Atomics.wait` (100 ms slices). A browser's main thread may
 * not block: there only `.async` calls use the workers (they wait with
 * `Atomics.waitAsync`) and synchronous calls run on `cpu`. Between slices the caller checks
 * every worker's shared state slot, which a worker sets when it exits (Node: its `exit`
 * hook; browser: before `close()`): a worker that died is replaced and the call throws
 * instead of hanging.
 */
import { IndexError, TimeoutError, ValueError } from '../../core/errors.js';
import { SpecCache } from '../../core/spec-cache.js';
import { runRemainingInline } from './inline-job.js';
import { workerSource } from './worker-source.js';

type WorkerThreads = typeof import('node:worker_threads');

/** Options of the `parallel` target (see `setParallelOptions`). */
export interface ParallelOptions {
  /**
   * Number of workers (default: `os.availableParallelism()` in Node,
   * `navigator.hardwareConcurrency` in a browser).
   */
  workers?: number;
  /**
   * Calls touching fewer elements than this run inline on the calling thread (default
   * 65536: below it, posting to workers costs more than it saves).
   */
  threshold?: number;
  /**
   * Milliseconds a call may spend on the workers (default: no limit). A call still running
   * then throws a TimeoutError (an `.async` call rejects with it) and its workers are
   * stopped and replaced. Work that runs on the calling thread (calls below `threshold`
   * without a per-call `timeout`) cannot be stopped.
   */
  timeout?: number;
}

/** Whether the `parallel` target can run here, and with how many workers. */
export interface ParallelStatus {
  /** True when large calls can run on the workers (see `syncCalls` for synchronous ones). */
  available: boolean;
  /**
   * Why calls run on `cpu` instead: empty when every call can use the workers; on a
   * browser's main thread it says that only `.async` calls do.
   */
  reason: string;
  /** Where the workers come from: Node `worker_threads`, browser Web Workers, or none. */
  host: 'worker_threads' | 'web-workers' | 'none';
  /**
   * Whether synchronous calls use the workers: false on a browser's main thread, which may
   * not block in `Atomics.wait`; there `ufunc.async(...)` runs on the workers.
   */
  syncCalls: boolean;
  workers: number;
  threshold: number;
  /** The pool's default call timeout in milliseconds (Infinity: none). */
  timeout: number;
  /** Workers currently started (0 until the first parallel call). */
  started: number;
  /** Of those, the workers that are up and taking jobs. */
  ready: number;
  /** Calls (or call steps) that ran on the workers so far. */
  jobs: number;
}

/** A started worker, whichever the host. */
interface HostWorker {
  post(msg: unknown): void;
  terminate(): void;
  /** Node: keep the process alive while an `.async` call waits on it (no-op in browsers). */
  ref(): void;
  unref(): void;
}

/** What differs between Node and a browser. */
interface Host {
  kind: 'worker_threads' | 'web-workers';
  /** False where the calling thread may not block (a browser's main thread). */
  canBlock: boolean;
  defaultWorkers(): number;
  /**
   * Starts a worker that sets `state[0]` to 1 once it takes jobs and to 2 as it exits; the
   * host sets 3 for a worker that failed before it ever ran (see `STARTED`).
   */
  spawn(state: Int32Array): HostWorker;
  /** Why the workers could not start (state 3), once that happened. */
  startFailure?(): string;
}

interface Slot {
  worker: HostWorker;
  /** [0]: 0 starting, 1 taking jobs, 2 exited (set by the worker), 3 could not start. */
  state: Int32Array;
  /** Loop ids this worker has compiled, oldest first (bounded: see MAX_WORKER_LOOPS). */
  known: SpecCache<number, true>;
  /** The heap's WebAssembly.Memory once it has been posted to this worker (once per worker). */
  memory?: object;
  /** Why this worker was stopped on purpose (closePool, a new pool size, a timeout). */
  stopReason?: string;
  /** Pending `.async` jobs this worker takes part in (it is ref()'d while any are). */
  refs: number;
}

/**
 * A WebAssembly loop module as the workers take it: the compiled module (structured-cloneable,
 * so the worker shares its code instead of compiling it again) and the names of its `js`
 * imports, which the worker resolves itself (`wasmImport`). The worker instantiates it on
 * the heap's shared memory and calls its `run(...args)`.
 */
export interface WasmLoopCode {
  /** A `WebAssembly.Module`, typed opaquely so the published types need no WebAssembly lib. */
  module: object;
  imports: readonly string[];
}

/** One worker's share of a job: a loop to run over the job's data as `loop(D, P, ...args)`. */
export interface Task {
  loop: number;
  /** The body of a factory `(H, B, F) => loop`, or a wasm loop module (sent once per worker). */
  src: string | WasmLoopCode;
  P: number[];
  args: unknown[];
}

export interface JobData {
  /** [buffer, TypedArray constructor name, byteOffset, length] per operand. */
  D: [SharedArrayBuffer, string, number, number][];
  /** The chunks: workers take them in order from a shared counter. */
  tasks: Task[];
  /** The heap's memory, for jobs running wasm loops (posted to each worker once). */
  memory?: object;
}

export interface Job {
  id: number;
  ctl: Int32Array;
  /** Where the error area starts in `ctl` (see `controlBlock`). */
  err: number;
  /** The pool slots taking part (indices into the pool when the job was posted). */
  slots: number[];
  /** Their workers at posting time (a replaced worker keeps its dead state here). */
  parts: Slot[];
  /** `performance.now()` after which the call is stopped (Infinity: no timeout). */
  deadline: number;
  /** The timeout it came from, for the error message. */
  timeout: number;
  /** Index of the next-chunk counter in `ctl`. */
  next: number;
  /** What was posted: the calling thread runs it itself if the workers could not start. */
  data: JobData;
}

type WaitAsync = (
  a: Int32Array,
  i: number,
  v: number,
  t: number,
) => { async: boolean; value: Promise<string> | string };

const DEFAULT_THRESHOLD = 65536;
/** A slot's state: taking jobs, exited, and could not start (never ran at all). */
const STARTED = 1;
const EXITED = 2;
const NEVER_STARTED = 3;

let nextLoopId = 1;

/** A fresh id for a loop the workers will cache (JS loop sources and wasm modules alike). */
export function newLoopId(): number {
  return nextLoopId++;
}
/**
 * Loops a worker keeps compiled. A program that makes many distinct parallel ufuncs would
 * otherwise grow every worker's memory without bound; the least recently sent loop is
 * dropped first and sent again if it is needed again.
 */
export const MAX_WORKER_LOOPS = 256;
const CHUNKS_PER_WORKER = 4;
/** UTF-16 code units of a worker exception's `name\nmessage` kept in the control block. */
const ERR_CHARS = 1024;

let host: Host | null | undefined;
let unavailableReason = '';
let options: Required<ParallelOptions> | undefined;
let slots: Slot[] = [];
let nextJob = 1;
/** Test hooks: the next job makes its first worker exit mid-call, or throw. */
let dieNext = false;
let failNext: string | null = null;
let jobsRun = 0;
/** The last job whose chunks the calling thread ran because its workers could not start. */
let rescued = 0;
/** Pending jobs of the `.async` call being set up (see `runDeferred` in deferred.ts). */
let asyncSink: Promise<void>[] | null = null;
/** The timeout of the call being set up (its `timeout` option), or undefined. */
let callTimeout: number | undefined;
/** Jobs posted and not yet settled (only `.async` ones can be pending between calls). */
let inFlight = 0;

/** The parts of a `securitypolicyviolation` event the pool reads. */
interface PolicyViolation {
  blockedURI?: string;
  effectiveDirective?: string;
  originalPolicy?: string;
}

interface GlobalsSeen {
  process?: { getBuiltinModule?: (id: string) => unknown };
  addEventListener?: (type: string, f: (e: PolicyViolation) => void) => void;
  crossOriginIsolated?: boolean;
  Worker?: new (url: string | URL, o?: object) => WebWorker;
  Blob?: new (parts: string[], o?: object) => unknown;
  URL?: { createObjectURL(b: unknown): string };
  navigator?: { hardwareConcurrency?: number };
}

interface WebWorker {
  postMessage(m: unknown): void;
  terminate(): void;
  onerror: ((e: { preventDefault(): void }) => void) | null;
}

const G = globalThis as unknown as GlobalsSeen;

/** True when this thread may block in `Atomics.wait` (browsers forbid it on the main thread). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function nodeHost(wt: WorkerThreads): Host {
  return {
    kind: 'worker_threads',
    canBlock: true,
    defaultWorkers() {
      const os = G.process?.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
      return Math.max(1, os?.availableParallelism?.() ?? os?.cpus?.().length ?? 2);
    },
    spawn(state) {
      const worker = new wt.Worker(workerSource('node'), { eval: true, workerData: { state } });
      worker.unref();
      // An uncaught error in a worker must not crash the caller; its exit hook marks it dead.
      worker.on('error', () => {});
      return {
        post: (m) => worker.postMessage(m),
        terminate: () => void worker.terminate(),
        ref: () => worker.ref(),
        unref: () => worker.unref(),
      };
    },
  };
}

/** What a page must allow for the pool's workers. */
const BLOB_WORKERS_HINT =
  "a page's Content-Security-Policy must allow Blob-URL workers: worker-src blob: (or script-src blob: where worker-src is not set)";

function webHost(): Host {
  let url: string | undefined;
  /** The policy that refused the workers' Blob URL, when the browser reported one. */
  let refusedBy: PolicyViolation | undefined;
  return {
    kind: 'web-workers',
    canBlock: mayBlock(),
    defaultWorkers: () => Math.max(1, G.navigator?.hardwareConcurrency ?? 2),
    spawn(state) {
      // A Blob URL: a bundled package has no second file to locate, and a blob worker
      // inherits the page's cross-origin isolation.
      if (url === undefined) {
        url = G.URL!.createObjectURL(
          new G.Blob!([workerSource('web')], { type: 'text/javascript' }),
        );
        // A Content-Security-Policy refusing the worker reports which directive did.
        G.addEventListener?.('securitypolicyviolation', (e) => {
          if (/^blob/.test(e.blockedURI ?? '') && /worker|script/.test(e.effectiveDirective ?? ''))
            refusedBy ??= e;
        });
      }
      let worker: WebWorker;
      try {
        worker = new G.Worker!(url);
      } catch (e) {
        // Older engines throw a SecurityError here instead of failing the worker later.
        Atomics.store(state, 0, NEVER_STARTED);
        refusedBy ??= { effectiveDirective: undefined, originalPolicy: String(e) };
        return { post: () => {}, terminate: () => {}, ref: () => {}, unref: () => {} };
      }
      worker.onerror = (e) => {
        // An error outside a job: a worker that never ran could not start (a policy refused
        // its script, say); one that ran counts as dead.
        e.preventDefault();
        if (Atomics.compareExchange(state, 0, 0, NEVER_STARTED) !== 0)
          Atomics.store(state, 0, EXITED);
        Atomics.notify(state, 0);
      };
      worker.postMessage({ init: state });
      return {
        post: (m) => worker.postMessage(m),
        terminate: () => worker.terminate(),
        ref: () => {},
        unref: () => {},
      };
    },
    startFailure() {
      const by = refusedBy?.effectiveDirective
        ? `the page's Content-Security-Policy ("${refusedBy.originalPolicy}") refused them by its ${refusedBy.effectiveDirective} directive`
        : refusedBy
          ? `the browser refused them (${refusedBy.originalPolicy})`
          : 'they failed before running any code';
      return `Web Workers could not be started here: ${by}; ${BLOB_WORKERS_HINT}. Calls run on cpu`;
    },
  };
}

/**
 * Gives the pool up when one of its workers could not start: every later call runs on
 * `cpu`, and `parallelStatus().reason` says why. A pool whose workers cannot start would
 * otherwise fail each call and start new workers that fail the same way.
 */
function giveUpIfUnstartable(h: Host): boolean {
  if (!slots.some((s) => Atomics.load(s.state, 0) === NEVER_STARTED)) return false;
  unavailableReason = h.startFailure?.() ?? 'the pool workers could not start; calls run on cpu';
  host = null;
  stopWorkers(unavailableReason);
  return true;
}

function findHost(): Host | null {
  if (host) giveUpIfUnstartable(host);
  if (host !== undefined) return host;
  host = null;
  const getBuiltin = G.process?.getBuiltinModule;
  if (typeof SharedArrayBuffer === 'undefined') {
    unavailableReason =
      G.crossOriginIsolated === false
        ? 'the page is not cross-origin isolated, so there is no SharedArrayBuffer (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); calls run on cpu'
        : 'SharedArrayBuffer is not available here; calls run on cpu';
  } else if (typeof getBuiltin === 'function') {
    const wt = getBuiltin('node:worker_threads') as WorkerThreads | undefined;
    if (!wt?.Worker) unavailableReason = 'worker_threads could not be loaded; calls run on cpu';
    else if (!wt.isMainThread)
      // Pools inside pool workers would multiply threads; nested calls run inline.
      unavailableReason = 'called from a worker thread; calls run on cpu';
    else host = nodeHost(wt);
  } else if (typeof G.Worker === 'function' && typeof G.Blob === 'function' && G.URL) {
    if (G.crossOriginIsolated === false)
      unavailableReason =
        'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); calls run on cpu';
    else host = webHost();
  } else {
    unavailableReason =
      'neither Node worker_threads (Node >= 20.16) nor Web Workers are available; calls run on cpu';
  }
  return host;
}

function opts(): Required<ParallelOptions> {
  options ??= {
    workers: findHost()?.defaultWorkers() ?? 1,
    threshold: DEFAULT_THRESHOLD,
    timeout: Number.POSITIVE_INFINITY,
  };
  return options;
}

/**
 * Configures the `parallel` target: `workers` (pool size; a change restarts the pool on
 * its next use) and `threshold` (element count below which calls run inline).
 */
export function setParallelOptions(o: ParallelOptions): void {
  const cur = opts();
  // Read each option once; check them all before changing anything.
  const { workers, threshold, timeout } = o;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1))
    throw new RangeError(`workers must be a positive integer; got ${String(workers)}`);
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold >= 0))
    throw new RangeError(`threshold must be >= 0; got ${String(threshold)}`);
  if (timeout !== undefined) checkTimeout(timeout, 'timeout');
  if (workers !== undefined && workers !== cur.workers) {
    if (inFlight > 0) {
      throw new Error(
        `setParallelOptions: cannot change workers while ${inFlight} parallel call(s) are running on the pool; await them first`,
      );
    }
    stopWorkers('the pool was resized while this call was running');
    cur.workers = workers;
  }
  if (threshold !== undefined) cur.threshold = threshold;
  if (timeout !== undefined) cur.timeout = timeout;
}

/** Checks a timeout in milliseconds: a positive number (Infinity: no limit). */
export function checkTimeout(t: unknown, what: string): number {
  if (typeof t !== 'number' || !(t > 0)) {
    throw new RangeError(
      `${what} must be a positive number of milliseconds (or Infinity); got ${String(t)}`,
    );
  }
  return t;
}

/**
 * Runs `fn` (a call's setup, which posts its jobs) with `timeout` as the call's limit. A
 * call with its own timeout runs on the workers whatever its size, so it can be stopped.
 */
export function withCallTimeout<T>(timeout: number | undefined, fn: () => T): T {
  if (timeout === undefined) return fn();
  const prev = callTimeout;
  callTimeout = timeout;
  try {
    return fn();
  } finally {
    callTimeout = prev;
  }
}

/** True while a call with its own `timeout` is being set up (it then avoids inline work). */
export function callHasTimeout(): boolean {
  return callTimeout !== undefined;
}

const MAIN_THREAD_NOTE =
  "this is a browser's main thread, which may not block: synchronous calls run on cpu, `.async(...)` calls run on the workers";

/** Whether `parallel` calls use workers here; if not, `reason` says why they run on `cpu`. */
export function parallelStatus(): ParallelStatus {
  const h = findHost();
  return {
    available: h !== null,
    reason: !h ? unavailableReason : h.canBlock ? '' : MAIN_THREAD_NOTE,
    host: h?.kind ?? 'none',
    syncCalls: h?.canBlock ?? false,
    workers: opts().workers,
    threshold: opts().threshold,
    timeout: opts().timeout,
    started: slots.length,
    ready: slots.filter((s) => Atomics.load(s.state, 0) === STARTED).length,
    jobs: jobsRun,
  };
}

/** Stops every worker (the next parallel call starts a new pool); `reason` is what a call still waiting on one is told. */
export function stopWorkers(reason = 'the pool was stopped while this call was running'): void {
  for (const s of slots) {
    // A call still waiting on this worker sees it as exited, and why.
    s.stopReason = reason;
    Atomics.store(s.state, 0, EXITED);
    s.worker.terminate();
  }
  slots = [];
}

/**
 * True when a call this large should go to the workers: above the threshold, a pool is
 * available, and the call is `.async` or this thread may block.
 */
export function useWorkers(size: number): boolean {
  if (size === 0 || (size < opts().threshold && callTimeout === undefined)) return false;
  const h = findHost();
  if (h === null) return false;
  if (asyncSink !== null || h.kind === 'worker_threads') return true;
  if (!h.canBlock) return false;
  // A Web Worker's own workers cannot start while it blocks (a browser starts a nested
  // worker from its parent's event loop): a synchronous call there uses the pool only once
  // every worker is up, and otherwise starts it and runs inline this time.
  ensurePool();
  if (giveUpIfUnstartable(h)) return false;
  return slots.every((s) => Atomics.load(s.state, 0) === STARTED);
}

/** The pending-job list of the `.async` call being set up, or null in a synchronous call. */
export function currentAsyncSink(): Promise<void>[] | null {
  return asyncSink;
}

/** Sets (or clears, with null) the `.async` call being set up; returns the previous one. */
export function setAsyncSink(sink: Promise<void>[] | null): Promise<void>[] | null {
  const prev = asyncSink;
  asyncSink = sink;
  return prev;
}

export function poolSize(): number {
  return opts().workers;
}

/** Test hook: how many loops each started worker holds compiled. */
export function workerLoopCounts(): number[] {
  return slots.map((s) => s.known.size);
}

/** Test hook: the first worker of the next job exits without finishing (simulates a crash). */
export function killWorkerInNextCall(): void {
  dieNext = true;
}

/** Test hook: the first worker of the next job throws a RangeError with this message. */
export function failInNextCall(message: string): void {
  failNext = message;
}

function startSlot(): Slot {
  const state = new Int32Array(new SharedArrayBuffer(4));
  return {
    worker: findHost()!.spawn(state),
    state,
    known: new SpecCache(MAX_WORKER_LOOPS),
    refs: 0,
  };
}

function ensurePool(): void {
  const n = opts().workers;
  while (slots.length < n) slots.push(startSlot());
}

/**
 * A job's shared control block, in Int32 slots: [0] parts done, [1 + slot] that slot's part
 * done, [1 + nslots] next chunk to take, then the error area: a claim flag, a length, and
 * `ERR_CHARS` UTF-16 code units of the first exception's `name\nmessage`.
 */
function controlBlock(nslots: number): { ctl: Int32Array; err: number } {
  const err = 2 + nslots;
  return { ctl: new Int32Array(new SharedArrayBuffer(4 * (err + 2 + ERR_CHARS))), err };
}

/** Posts a job; returns its handle for `waitSync` / `waitAsync`. */
export function post(data: JobData): Job {
  ensurePool();
  const id = nextJob++;
  const n = Math.min(slots.length, data.tasks.length);
  const parts = Array.from({ length: n }, (_, i) => i);
  const { ctl, err } = controlBlock(slots.length);
  const die = dieNext;
  const fail = failNext;
  dieNext = false;
  failNext = null;
  jobsRun++;
  const tasks = data.tasks.map((t) => ({ loop: t.loop, P: t.P, args: t.args }));
  const used = new Set(data.tasks.map((t) => t.loop));
  for (const i of parts) {
    const s = slots[i];
    const newLoops: [number, string | WasmLoopCode][] = [];
    for (const t of data.tasks) {
      // A hit makes the loop most recently used; this job's own loops are never evicted.
      if (s.known.lookup(t.loop) === undefined) {
        s.known.insert(t.loop, true);
        newLoops.push([t.loop, t.src]);
      }
    }
    const evict = s.known.trim((id) => used.has(id));
    // A worker gets the heap's memory once; its wasm instances import it.
    const memory = data.memory !== undefined && s.memory !== data.memory ? data.memory : null;
    if (memory) s.memory = memory;
    s.worker.post({
      memory,
      wasm: data.memory !== undefined,
      evict,
      ctl,
      slot: i,
      next: 1 + slots.length,
      err,
      errChars: ERR_CHARS,
      die: die && i === 0,
      fail: i === 0 ? fail : null,
      newLoops,
      D: data.D,
      tasks,
    });
  }
  const timeout = callTimeout ?? opts().timeout;
  inFlight++;
  return {
    id,
    ctl,
    err,
    slots: parts,
    parts: parts.map((i) => slots[i]),
    deadline: timeout === Number.POSITIVE_INFINITY ? timeout : performance.now() + timeout,
    timeout,
    next: 1 + slots.length,
    data,
  };
}

/**
 * How many chunks to cut `n` units of work into: several per worker, taken by the
 * workers as they go, so a worker slowed down by other load does not hold up the call.
 */
export function chunkCount(n: number): number {
  return Math.max(1, Math.min(n, opts().workers * CHUNKS_PER_WORKER));
}

/** Workers of the job that exited before finishing their part. */
function deadSlots(job: Job): number[] {
  const dead: number[] = [];
  job.slots.forEach((i, n) => {
    if (Atomics.load(job.ctl, 1 + i) === 0 && Atomics.load(job.parts[n].state, 0) >= EXITED)
      dead.push(i);
  });
  return dead;
}

/** True when every part is done or its worker died. */
function settled(job: Job): { done: boolean; dead: number[] } {
  const finished = Atomics.load(job.ctl, 0);
  if (finished >= job.slots.length) return { done: true, dead: [] };
  const dead = deadSlots(job);
  return { done: finished + dead.length >= job.slots.length, dead };
}

/** Blocks until the job is over; throws a worker's exception or a dead-worker error. */
export function waitSync(job: Job): void {
  try {
    for (;;) {
      const cur = Atomics.load(job.ctl, 0);
      if (cur >= job.slots.length) break;
      Atomics.wait(job.ctl, 0, cur, Math.max(1, Math.min(100, job.deadline - performance.now())));
      const st = settled(job);
      if (st.done) {
        if (st.dead.length) settleDead(job, st.dead);
        break;
      }
      if (performance.now() >= job.deadline) throw timedOut(job);
    }
  } finally {
    inFlight--;
  }
  finish(job);
}

/** Waits up to `ms` for `ctl[0]` to leave `cur`, without blocking the thread. */
function sleepAsync(ctl: Int32Array, cur: number, ms: number): Promise<unknown> {
  const wa = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  if (typeof wa === 'function') {
    const r = wa(ctl, 0, cur, ms);
    return r.async ? (r.value as Promise<string>) : Promise.resolve();
  }
  // Browsers without Atomics.waitAsync: poll.
  return new Promise((res) => setTimeout(res, 1));
}

/** Resolves when the job is over, without blocking the caller's thread. */
export async function waitAsync(job: Job): Promise<void> {
  // Keep the process alive while a Promise depends on the workers: a ref()'d worker does
  // while it runs, but not once it has been stopped, and `Atomics.waitAsync` timeouts never
  // do; without this timer a call whose pool was closed would neither settle nor let the
  // process report it.
  for (const s of job.parts) if (s.refs++ === 0) s.worker.ref();
  const keepAlive = setInterval(() => {}, 1000);
  try {
    for (;;) {
      const cur = Atomics.load(job.ctl, 0);
      if (cur >= job.slots.length) break;
      await sleepAsync(job.ctl, cur, Math.max(1, Math.min(100, job.deadline - performance.now())));
      const st = settled(job);
      if (st.done) {
        if (st.dead.length) settleDead(job, st.dead);
        break;
      }
      if (performance.now() >= job.deadline) throw timedOut(job);
    }
  } finally {
    clearInterval(keepAlive);
    inFlight--;
    for (const s of job.parts) if (--s.refs === 0) s.worker.unref();
  }
  finish(job);
}

/** Rethrows the first kernel exception a worker wrote into the job's control block. */
function finish(job: Job): void {
  const { ctl, err } = job;
  if (Atomics.load(ctl, err) === 0) return;
  const len = Atomics.load(ctl, err + 1);
  let text = '';
  for (let i = 0; i < len; i++) text += String.fromCharCode(ctl[err + 2 + i]);
  const nl = text.indexOf('\n');
  throw rebuildError(text.slice(0, nl), text.slice(nl + 1));
}

function rebuildError(name: string, message: string): Error {
  const Ctor =
    name === 'ValueError'
      ? ValueError
      : name === 'IndexError'
        ? IndexError
        : name === 'RangeError'
          ? RangeError
          : name === 'TypeError'
            ? TypeError
            : name === 'ReferenceError'
              ? ReferenceError
              : Error;
  const e = new Ctor(message);
  if (e.name !== name) e.name = name;
  return e;
}

/** Stops and replaces the job's workers that have not finished their part; the call's error. */
function timedOut(job: Job): TimeoutError {
  // Stop taking chunks, so workers that are between chunks end their part quickly.
  Atomics.store(job.ctl, job.next, 1 << 30);
  const stuck = job.slots.filter((i) => Atomics.load(job.ctl, 1 + i) === 0);
  for (const i of stuck) {
    const old = job.parts[job.slots.indexOf(i)];
    old.stopReason = 'another call on this worker timed out, and the worker was replaced';
    Atomics.store(old.state, 0, EXITED);
    old.worker.terminate();
    if (slots[i] === old) slots[i] = startSlot();
  }
  return new TimeoutError(
    `numbats parallel: the call did not finish within its timeout of ${job.timeout} ms; its workers were stopped and replaced`,
  );
}

/**
 * A job some of whose workers are gone: when they never started (the page refuses the
 * pool's workers), the pool is given up and the calling thread runs the chunks they left;
 * otherwise the dead workers are replaced and the call fails.
 */
function settleDead(job: Job, dead: number[]): void {
  const parts = dead.map((i) => job.parts[job.slots.indexOf(i)]);
  if (!parts.every((s) => Atomics.load(s.state, 0) === NEVER_STARTED)) throw replaceDead(job, dead);
  if (host) giveUpIfUnstartable(host);
  rescued = job.id;
  runRemainingInline(job.data, job.ctl, job.next);
}

/** The id the next posted job gets (a call's jobs have ids from it on). */
export function nextJobId(): number {
  return nextJob;
}

/** The last job the calling thread ran itself because its workers could not start (0: none). */
export function lastRescuedJob(): number {
  return rescued;
}

function replaceDead(job: Job, dead: number[]): Error {
  const reasons = new Set<string>();
  for (const i of dead) {
    const old = job.parts[job.slots.indexOf(i)];
    if (old.stopReason) reasons.add(old.stopReason);
    old.worker.terminate();
    if (slots[i] === old) slots[i] = startSlot();
  }
  // Stopped on purpose (closePool, a resize): say so rather than report a crash.
  if (reasons.size > 0) return new Error(`numbats parallel: ${[...reasons].join('; ')}`);
  return new Error(
    `numbats parallel: worker ${dead.join(', ')} exited during the call; it was replaced, ` +
      'and this call’s outputs are incomplete',
  );
}

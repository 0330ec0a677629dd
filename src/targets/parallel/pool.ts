/**
 * The `parallel` target's worker pool: `worker_threads` started lazily on first use, every
 * worker `unref()`'d (the pool never keeps a process alive). Nothing here is imported
 * from Node at module load: `worker_threads` comes from `process.getBuiltinModule`, so the
 * package still loads in a browser bundle, where the target runs on `cpu` and
 * `parallelStatus()` says why.
 *
 * A job is one slice list per worker over SharedArrayBuffer data. The caller posts the
 * slices, then blocks in `Atomics.wait` on the job's shared counter (100 ms slices); each
 * worker reports on its own port, then bumps the counter and notifies. Between slices the
 * caller checks every worker's shared state slot, which a worker sets from its `exit`
 * hook: a worker that died is replaced and the call throws instead of hanging.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { workerSource } from './worker-source.js';

type WorkerThreads = typeof import('node:worker_threads');

/** Options of the `parallel` target (see `setParallelOptions`). */
export interface ParallelOptions {
  /** Number of worker threads (default: `os.availableParallelism()`). */
  workers?: number;
  /**
   * Calls touching fewer elements than this run inline on the calling thread (default
   * 65536: below it, posting to workers costs more than it saves).
   */
  threshold?: number;
}

/** Whether the `parallel` target can run here, and with how many workers. */
export interface ParallelStatus {
  available: boolean;
  /** Why calls run on `cpu` instead (empty when available). */
  reason: string;
  workers: number;
  threshold: number;
  /** Workers currently started (0 until the first parallel call). */
  started: number;
  /** Calls (or call steps) that ran on the workers so far. */
  jobs: number;
}

interface Slot {
  worker: Worker;
  port: MessagePort;
  /** [0]: 0 running, 2 exited (set by the worker's exit hook). */
  state: Int32Array;
  /** Loop ids this worker has compiled. */
  known: Set<number>;
  /** Result messages read for jobs other than the one being waited on. */
  stash: Map<number, WorkerResult>;
  /** Pending `.async` jobs this worker takes part in (it is ref()'d while any are). */
  refs: number;
}

interface WorkerResult {
  job: number;
  err: { name: string; message: string } | null;
}

/** One worker's share of a job: a loop to run over the job's data as `loop(D, P, ...args)`. */
export interface Task {
  loop: number;
  /** The body of a factory `(H, B, F) => loop` (sent once per worker). */
  src: string;
  P: number[];
  args: unknown[];
}

export interface JobData {
  /** [buffer, TypedArray constructor name, byteOffset, length] per operand. */
  D: [SharedArrayBuffer, string, number, number][];
  /** The chunks: workers take them in order from a shared counter. */
  tasks: Task[];
}

export interface Job {
  id: number;
  ctl: Int32Array;
  /** The pool slots taking part (indices into the pool when the job was posted). */
  slots: number[];
  /** Their workers at posting time (a replaced worker keeps its dead state here). */
  parts: Slot[];
}

type WaitAsync = (
  a: Int32Array,
  i: number,
  v: number,
  t: number,
) => { async: boolean; value: Promise<string> | string };

const DEFAULT_THRESHOLD = 65536;
const CHUNKS_PER_WORKER = 4;

let wt: WorkerThreads | null | undefined;
let unavailableReason = '';
let options: Required<ParallelOptions> | undefined;
let slots: Slot[] = [];
let nextJob = 1;
/** Test hooks: the next job makes its first worker exit mid-call, or throw. */
let dieNext = false;
let failNext: string | null = null;
let jobsRun = 0;

function nodeWorkerThreads(): WorkerThreads | null {
  if (wt !== undefined) return wt;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof SharedArrayBuffer === 'undefined') {
    unavailableReason =
      'SharedArrayBuffer is not available (in a browser, the page must be cross-origin isolated)';
    wt = null;
  } else if (typeof proc?.getBuiltinModule !== 'function') {
    unavailableReason =
      'no worker_threads: not Node >= 20.16 (Web Workers are not implemented yet; calls run on cpu)';
    wt = null;
  } else {
    wt = proc.getBuiltinModule('node:worker_threads') as WorkerThreads;
    if (!wt?.Worker) {
      unavailableReason = 'worker_threads could not be loaded';
      wt = null;
    } else if (!wt.isMainThread) {
      // Inside a worker the caller cannot block on Atomics.wait safely for nested pools.
      unavailableReason = 'called from a worker thread';
      wt = null;
    }
  }
  return wt;
}

function defaultWorkers(): number {
  const os = (
    globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
  ).process?.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  const n = os?.availableParallelism?.() ?? os?.cpus?.().length ?? 2;
  return Math.max(1, n);
}

function opts(): Required<ParallelOptions> {
  options ??= { workers: defaultWorkers(), threshold: DEFAULT_THRESHOLD };
  return options;
}

/**
 * Configures the `parallel` target: `workers` (pool size; a change restarts the pool on
 * its next use) and `threshold` (element count below which calls run inline).
 */
export function setParallelOptions(o: ParallelOptions): void {
  const cur = opts();
  if (o.workers !== undefined) {
    if (!Number.isInteger(o.workers) || o.workers < 1)
      throw new RangeError(`workers must be a positive integer; got ${o.workers}`);
    if (o.workers !== cur.workers) {
      stopWorkers();
      cur.workers = o.workers;
    }
  }
  if (o.threshold !== undefined) {
    if (!(o.threshold >= 0)) throw new RangeError(`threshold must be >= 0; got ${o.threshold}`);
    cur.threshold = o.threshold;
  }
}

/** Whether `parallel` calls use workers here; if not, `reason` says why they run on `cpu`. */
export function parallelStatus(): ParallelStatus {
  const ok = nodeWorkerThreads() !== null;
  return {
    available: ok,
    reason: ok ? '' : unavailableReason,
    workers: opts().workers,
    threshold: opts().threshold,
    started: slots.length,
    jobs: jobsRun,
  };
}

/** Stops every worker (the next parallel call starts a new pool). */
export function stopWorkers(): void {
  for (const s of slots) {
    // A call still waiting on this worker sees it as exited.
    Atomics.store(s.state, 0, 2);
    s.port.close();
    void s.worker.terminate();
  }
  slots = [];
}

/** True when calls this large should go to the workers. */
export function useWorkers(size: number): boolean {
  return size >= opts().threshold && size > 0 && nodeWorkerThreads() !== null;
}

export function poolSize(): number {
  return opts().workers;
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
  const w = nodeWorkerThreads()!;
  const { port1, port2 } = new w.MessageChannel();
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new w.Worker(workerSource(), {
    eval: true,
    workerData: { port: port2, state },
    transferList: [port2],
  });
  worker.unref();
  // An uncaught error in a worker must not crash the caller; its exit hook marks it dead.
  worker.on('error', () => {});
  return { worker, port: port1, state, known: new Set(), stash: new Map(), refs: 0 };
}

function ensurePool(): void {
  const n = opts().workers;
  while (slots.length < n) slots.push(startSlot());
}

/** Posts a job; returns its handle for `waitSync` / `waitAsync`. */
export function post(data: JobData): Job {
  ensurePool();
  const id = nextJob++;
  const n = Math.min(slots.length, data.tasks.length);
  const parts = Array.from({ length: n }, (_, i) => i);
  // [0] parts done, [1 + slot] that slot done, [1 + slots] next task to take.
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (2 + slots.length)));
  const die = dieNext;
  const fail = failNext;
  dieNext = false;
  failNext = null;
  jobsRun++;
  const tasks = data.tasks.map((t) => ({ loop: t.loop, P: t.P, args: t.args }));
  for (const i of parts) {
    const s = slots[i];
    const newLoops: [number, string][] = [];
    for (const t of data.tasks) {
      if (!s.known.has(t.loop)) {
        s.known.add(t.loop);
        newLoops.push([t.loop, t.src]);
      }
    }
    s.worker.postMessage({
      job: id,
      ctl,
      slot: i,
      next: 1 + slots.length,
      die: die && i === 0,
      fail: i === 0 ? fail : null,
      newLoops,
      D: data.D,
      tasks,
    });
  }
  return { id, ctl, slots: parts, parts: parts.map((i) => slots[i]) };
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
    if (Atomics.load(job.ctl, 1 + i) === 0 && Atomics.load(job.parts[n].state, 0) === 2)
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
  for (;;) {
    const cur = Atomics.load(job.ctl, 0);
    if (cur >= job.slots.length) break;
    Atomics.wait(job.ctl, 0, cur, 100);
    const st = settled(job);
    if (st.done) {
      if (st.dead.length) throw replaceDead(job, st.dead);
      break;
    }
  }
  finish(job);
}

/** Resolves when the job is over, without blocking the caller's thread. */
export async function waitAsync(job: Job): Promise<void> {
  // Keep the process alive while a Promise depends on the workers.
  for (const s of job.parts) if (s.refs++ === 0) s.worker.ref();
  try {
    for (;;) {
      const cur = Atomics.load(job.ctl, 0);
      if (cur >= job.slots.length) break;
      const r = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(job.ctl, 0, cur, 100);
      if (r.async) await r.value;
      const st = settled(job);
      if (st.done) {
        if (st.dead.length) throw replaceDead(job, st.dead);
        break;
      }
    }
  } finally {
    for (const s of job.parts) if (--s.refs === 0) s.worker.unref();
  }
  finish(job);
}

/** Reads every part's report; rethrows the first kernel exception. */
function finish(job: Job): void {
  const w = nodeWorkerThreads()!;
  let first: WorkerResult['err'] = null;
  for (const s of job.parts) {
    let r = s.stash.get(job.id);
    s.stash.delete(job.id);
    // The report is posted before the counter is bumped, so it is already queued.
    for (let spins = 0; !r && spins < 1000; spins++) {
      const m = w.receiveMessageOnPort(s.port);
      if (!m) continue;
      const msg = m.message as WorkerResult;
      if (msg.job === job.id) r = msg;
      else s.stash.set(msg.job, msg);
    }
    if (r?.err && !first) first = r.err;
  }
  if (first) throw rebuildError(first);
}

function rebuildError(e: { name: string; message: string }): Error {
  const Ctor =
    e.name === 'RangeError'
      ? RangeError
      : e.name === 'TypeError'
        ? TypeError
        : e.name === 'ReferenceError'
          ? ReferenceError
          : Error;
  const err = new Ctor(e.message);
  if (err.name !== e.name) err.name = e.name;
  return err;
}

function replaceDead(job: Job, dead: number[]): Error {
  for (const i of dead) {
    const old = job.parts[job.slots.indexOf(i)];
    old.port.close();
    void old.worker.terminate();
    if (slots[i] === old) slots[i] = startSlot();
  }
  // The surviving parts have reported: read their messages so they do not linger.
  const w = nodeWorkerThreads()!;
  job.parts.forEach((s, n) => {
    if (dead.includes(job.slots[n]) || s.stash.delete(job.id)) return;
    for (let m = w.receiveMessageOnPort(s.port); m; m = w.receiveMessageOnPort(s.port)) {
      const msg = m.message as WorkerResult;
      if (msg.job === job.id) break;
      s.stash.set(msg.job, msg);
    }
  });
  return new Error(
    `numbats parallel: worker ${dead.join(', ')} exited during the call; it was replaced, ` +
      'and this call’s outputs are incomplete',
  );
}

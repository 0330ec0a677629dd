/**
 * Which path `parallel`-target calls took — the worker pool, or inline on the calling
 * thread — and why. Small calls run inline silently (posting to workers would cost more
 * than it saves); `parallelStatus().lastCall` and each kernel's `inspect()` tell it.
 */
import {
  currentAsyncSink,
  lastRescuedJob,
  nextJobId,
  type ParallelStatus,
  parallelStatus as poolStatus,
  useWorkers,
} from './pool.js';

/** How one `parallel`-target call ran. */
export interface ParallelCallReport {
  /** The kernel's name. */
  name: string;
  /** 'workers': split over the pool; 'inline': one loop on the calling thread. */
  path: 'workers' | 'inline';
  /** Elements (or records, or loop iterations) the call covered. */
  elements: number;
  /** Why it took that path, and how to change it. */
  reason: string;
  /**
   * On the workers, over operands the WebAssembly engine could take (on the numbats heap):
   * whether they ran its modules (`wasm on 2 worker(s), …`) or their JS loops, and why
   * (`js on the workers: input 0 is outside the heap`). Absent otherwise.
   */
  engine?: string;
}

/** `parallelStatus()` with the path of the last parallel call. */
export interface ParallelReport extends ParallelStatus {
  /** The last `parallel`-target call (null before the first). */
  lastCall: ParallelCallReport | null;
}

interface Note {
  name: string;
  elements: number;
  workers: boolean;
  async: boolean;
  /** The id of the call's first job (see `lastRescuedJob`). */
  firstJob: number;
  engine?: string;
  /** Set when the pool would have taken the call but its loop could not be cut (see `declined`). */
  unsplit?: string;
}

let last: Note | null = null;
const byKernel = new WeakMap<object, Note>();

/**
 * `useWorkers(size)`, recorded for `kernel` (the reason is worked out only when asked, so a
 * call pays for two stores).
 */
export function decideWorkers(kernel: object, name: string, elements: number): boolean {
  const workers = useWorkers(elements);
  const note = {
    name,
    elements,
    workers,
    async: currentAsyncSink() !== null,
    firstJob: nextJobId(),
  };
  last = note;
  byKernel.set(kernel, note);
  return workers;
}

/** Records which engine the workers run the current call on (see `ParallelCallReport.engine`). */
export function noteEngine(engine: string): void {
  if (last) last.engine = engine;
}

/**
 * The current call was meant for the workers, but its loop cannot be cut into chunks
 * (`why`): the kind runs it inline. Returns false, the splitters' "not split" answer.
 */
export function declined(why: string): false {
  if (last?.workers) last.unsplit = why;
  return false;
}

function report(n: Note): ParallelCallReport {
  const st = poolStatus();
  let reason: string;
  // Posted, but the workers could not start: the calling thread ran the call's chunks.
  const rescued = n.workers && lastRescuedJob() >= n.firstJob;
  if (rescued) {
    reason = `the pool's workers could not start, so the calling thread ran the call: ${st.reason}`;
  } else if (n.unsplit !== undefined) {
    reason = `${n.elements} elements >= threshold ${st.threshold}, but ${n.unsplit}: ran inline`;
  } else if (n.workers) {
    reason = `${n.elements} elements >= threshold ${st.threshold}: split over ${st.workers} worker(s)`;
  } else if (n.elements === 0) reason = 'no elements';
  else if (n.elements < st.threshold) {
    reason = `${n.elements} elements < threshold ${st.threshold}: posting to workers would cost more than it saves (setParallelOptions({ threshold }) changes it)`;
  } else if (!st.available) reason = `no worker pool here: ${st.reason}`;
  else if (!st.syncCalls && !n.async) reason = st.reason;
  else
    reason =
      'the pool was still starting (a nested worker starts between calls); the next call uses it';
  const path = n.workers && !rescued && n.unsplit === undefined ? 'workers' : 'inline';
  const r: ParallelCallReport = { name: n.name, path, elements: n.elements, reason };
  if (n.engine !== undefined && path === 'workers') r.engine = n.engine;
  return r;
}

/** The path of the last parallel call of `kernel` (null when it has not run on `parallel`). */
export function lastParallelCallOf(kernel: object): ParallelCallReport | null {
  const n = byKernel.get(kernel);
  return n ? report(n) : null;
}

/** A comment line for `inspect()` output telling the last call's path. */
export function parallelInspectNote(kernel: object): string {
  const r = lastParallelCallOf(kernel);
  return r
    ? `// parallel target, last call: ran ${r.path === 'workers' ? 'on the workers' : 'inline on the calling thread'} (${r.reason})`
    : '// parallel target: not called yet (calls below the threshold run inline on the calling thread)';
}

/** Whether `parallel` calls use workers here, and the path the last one took. */
export function parallelStatus(): ParallelReport {
  return { ...poolStatus(), lastCall: last ? report(last) : null };
}

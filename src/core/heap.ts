/**
 * The numbats heap: one `WebAssembly.Memory` in which numbats allocates the arrays it
 * creates, so WebAssembly kernels read and write them in place. The memory is shared
 * (its buffer is a SharedArrayBuffer), so growing it never detaches the TypedArray views
 * already handed out, and the `parallel` target's workers use heap arrays without copying.
 * Where SharedArrayBuffer does not exist (a browser page that is not cross-origin
 * isolated) the heap is off and arrays live on ordinary ArrayBuffers, as before.
 *
 * Allocator: 64-byte aligned blocks in size classes (four per power of two above 256
 * bytes, so a block wastes at most a quarter of its size), bump-allocated from the top of
 * the memory and recycled per class through free lists. A block returns to its list when
 * `free(a)` is called, when a `using` binding ends, or when its TypedArray is garbage
 * collected (a FinalizationRegistry; the callbacks run only when the JS event loop turns,
 * so a synchronous loop that drops big results should free them or pass `out`).
 *
 * Garbage collection needs pressure: V8 does not count a WebAssembly.Memory's growth as
 * memory to collect for, and the ndarray objects holding heap views are tiny, so without
 * help a program that drops its results would fill the heap long before V8 collects any
 * of them (measured: 2 GiB of dropped 80 MB results, not one collected). The heap therefore
 * makes V8 feel its allocations (see {@link GcPressure}). When a request does not fit, the
 * allocator first merges adjacent free blocks and splits a larger one, and only then
 * refuses.
 *
 * Growth stops at `maxBytes` (default 2 GiB, at most 4 GiB, the wasm32 limit). An
 * allocation the heap cannot hold is a {@link HeapExhaustedError} (a RangeError) from the
 * allocator; numbats' own allocations then fall back to an ordinary buffer (the array runs
 * on the JS loops) unless `configureHeap({ whenFull: 'throw' })` asks for the error.
 */
import { type DType, STORAGE, type TypedArray } from './dtypes.js';
import { checkOptionKeys } from './option-keys.js';
import { Zeroer } from './zero.js';

/** Bytes in a WebAssembly page. */
const PAGE = 65536;
const MIB = 1024 * 1024;
/** Block alignment (a cache line; also every SIMD width). */
export const ALIGN = 64;
/** wasm32's address space: 65536 pages. */
const MAX_PAGES = 65536;
const FOUR_GIB = MAX_PAGES * PAGE;

/** The heap cannot hold an allocation: the limit is reached or the memory could not grow. */
export class HeapExhaustedError extends RangeError {
  override name = 'HeapExhaustedError';
}

/** What {@link heapStatus} reports, in bytes. */
export interface HeapStatus {
  /** Whether numbats allocates on the heap now. */
  readonly enabled: boolean;
  /** Why the heap is off, when it is. */
  readonly reason?: string;
  /** Size of the WebAssembly memory (0 before the first heap allocation). */
  readonly size: number;
  /** Bytes in live blocks (rounded up to their size class). */
  readonly used: number;
  /** Bytes in freed blocks waiting for reuse, plus the never-used rest of the memory. */
  readonly free: number;
  /** Live blocks. */
  readonly blocks: number;
  /** The growth limit. */
  readonly maxBytes: number;
  /** Allocations that did not fit and went to an ordinary buffer instead. */
  readonly fallbacks: number;
}

/** Options of {@link configureHeap}. */
export interface HeapOptions {
  /** Allocate numbats' arrays on the heap (default: true, unless NUMBATS_HEAP=off). */
  enabled?: boolean;
  /** Growth limit in bytes (default 2 GiB; at most 4 GiB). */
  maxBytes?: number;
  /**
   * When an allocation does not fit under the limit: `'fallback'` (default) puts that array
   * on an ordinary buffer, where it runs the JS loops; `'throw'` raises a HeapExhaustedError.
   */
  whenFull?: 'fallback' | 'throw';
  /**
   * Arrays smaller than this many bytes stay on ordinary buffers (default 4096). Small
   * arrays gain nothing from WebAssembly kernels, and a heap block costs a little more to
   * create than a small buffer (its garbage-collection registration), which a call on a
   * few elements would feel.
   */
  minBytes?: number;
}

/** A block of the heap. `freed` guards against releasing it twice. */
interface Block {
  readonly addr: number;
  readonly size: number;
  freed: boolean;
}

/** The size class (block size) of a request. */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return bytes <= ALIGN ? ALIGN : Math.ceil(bytes / ALIGN) * ALIGN;
  // Four classes per power of two: steps of a quarter of the power below.
  const p = 2 ** Math.floor(Math.log2(bytes - 1));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}

/** NUMBATS_HEAP: `off` turns the heap off, `all` puts every array on it (minBytes 0). */
function envSetting(): 'off' | 'all' | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const v = env?.NUMBATS_HEAP?.trim().toLowerCase();
  if (v === undefined) return undefined;
  if (/^(off|0|false|no)$/.test(v)) return 'off';
  return v === 'all' ? 'all' : undefined;
}

/**
 * The part of a `WebAssembly.Memory` the heap and its kernels use. Declared here so that
 * numbats' published types need neither the DOM nor Node's type library.
 */
export interface HeapMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

/**
 * Makes V8 collect garbage at the pace the heap hands out memory. V8 starts a collection
 * when memory outside its JS heap grows by its external limit (64 MB) since the last one,
 * and an ordinary ArrayBuffer counts towards it while a WebAssembly.Memory's growth does
 * not. So after every `step` bytes of heap blocks that were neither freed nor collected,
 * the heap allocates one throwaway ArrayBuffer of `ballast` bytes and drops it: a large
 * buffer is mapped lazily by the system allocator (no page is touched, ~10 µs), and it
 * pushes V8 past its limit, so a collection follows and the FinalizationRegistry returns
 * the blocks of the arrays it found dead. Measured (1e7-element float64 results dropped
 * in a loop that yields to the event loop): without it the 2 GiB heap filled after 25
 * results and none came back; with it, hundreds of results, every one on the heap, with
 * the heap below 1 GB.
 */
export class GcPressure {
  /** Bytes handed out since the last nudge, less what came back. */
  private pending = 0;
  /** Nudges so far (tests read it). */
  nudges = 0;
  /** Tests turn the pressure off to see the heap without it. */
  enabled = true;

  /**
   * @param step outstanding bytes between nudges
   * @param ballast size of the throwaway buffer: above V8's 64 MB external limit
   */
  constructor(
    private readonly step: number,
    private readonly ballast = 128 * 1024 * 1024,
  ) {}

  /**
   * `bytes` were handed out, `headroom` bytes remain below the limit. Nudges V8 once `step`
   * bytes are outstanding, or a quarter of the headroom (at least 1 MiB) when that is less:
   * near the limit a collection must start sooner, and repeated nudges while V8 is marking
   * make it advance the marking, so the blocks come back before the heap is full.
   */
  allocated(bytes: number, headroom: number): void {
    this.pending += bytes;
    if (this.pending >= Math.min(this.step, Math.max(MIB, headroom / 4))) this.nudge();
  }

  /** `bytes` came back (freed or collected): they need no collection any more. */
  returned(bytes: number): void {
    this.pending = Math.max(0, this.pending - bytes);
  }

  /** Allocates and drops the ballast buffer (V8 counts it as external memory). */
  nudge(): void {
    if (!this.enabled) return;
    this.pending = 0;
    this.nudges++;
    try {
      void new ArrayBuffer(this.ballast);
    } catch {
      // No room for even a lazily mapped buffer: the collection it would start is moot.
    }
  }
}

/** The allocator over one shared WebAssembly.Memory. */
export class Heap {
  readonly memory: HeapMemory;
  /** The current buffer (refreshed after growth; older buffers alias the same memory). */
  private buf: SharedArrayBuffer;
  /** Every buffer object this memory has handed out (one per size). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private top = ALIGN;
  /** Highest address ever handed out: memory above it is still zero. */
  private dirty = ALIGN;
  private readonly lists = new Map<number, number[]>();
  private readonly owners = new WeakMap<object, Block>();
  private readonly registry: FinalizationRegistry<Block>;
  /** Paces garbage collection to the heap's allocations (see GcPressure). */
  readonly pressure: GcPressure;
  /** Zeroes reused memory (memory.fill; see zero.ts). */
  readonly zeroer: Zeroer;
  used = 0;
  blocks = 0;
  freeListBytes = 0;

  constructor(
    initialBytes: number,
    private readonly maxBytes: number,
  ) {
    const max = Math.min(MAX_PAGES, Math.ceil(maxBytes / PAGE));
    this.memory = new WebAssembly.Memory({
      initial: Math.min(max, Math.max(1, Math.ceil(initialBytes / PAGE))),
      maximum: max,
      shared: true,
    });
    this.buf = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(this.buf);
    this.registry = new FinalizationRegistry((b) => this.release(b));
    this.zeroer = new Zeroer(this.memory);
    // A quarter of the limit, at most 64 MB: a collection is asked for well before the
    // heap is full, and not more often than V8's own external limit would.
    this.pressure = new GcPressure(
      Math.max(PAGE, Math.min(64 * 1024 * 1024, Math.floor(maxBytes / 4))),
    );
  }

  /** Size of the memory in bytes. */
  get size(): number {
    return this.buf.byteLength;
  }

  /** True when `data` is a view of this heap's memory. */
  owns(data: TypedArray): boolean {
    const b = data.buffer;
    return b === this.buf || this.buffers.has(b);
  }

  /** A zero-filled TypedArray of `n` elements of `dtype` in a fresh block. */
  alloc(dtype: DType, n: number): TypedArray {
    const Ctor = STORAGE[dtype];
    const bytes = n * Ctor.BYTES_PER_ELEMENT;
    const size = sizeClass(Math.max(bytes, 1));
    let addr: number;
    const list = this.lists.get(size);
    if (list !== undefined && list.length > 0) {
      addr = list.pop()!;
      this.freeListBytes -= size;
      this.zeroer.zero(this.buf, addr, bytes);
    } else {
      addr = this.bumpOrReuse(size);
      if (addr < this.dirty) this.zeroer.zero(this.buf, addr, Math.min(bytes, this.dirty - addr));
      if (addr + size > this.dirty) this.dirty = addr + size;
    }
    this.pressure.allocated(size, Math.min(this.maxBytes, FOUR_GIB) - this.used - size);
    const data = new Ctor(this.buf, addr, n);
    const block: Block = { addr, size, freed: false };
    this.owners.set(data, block);
    this.registry.register(data, block, block);
    this.used += size;
    this.blocks++;
    return data;
  }

  /**
   * A block from the bump region, growing the memory up to the limit; when that would pass
   * the limit, a block carved from the free lists (adjacent free blocks merged first).
   */
  private bumpOrReuse(size: number): number {
    try {
      return this.bump(size);
    } catch (e) {
      if (!(e instanceof HeapExhaustedError)) throw e;
      const addr = this.carve(size);
      if (addr === undefined) throw e;
      return addr;
    }
  }

  /**
   * Merges adjacent free blocks (a run ending at the bump top goes back to the bump region),
   * then takes the smallest free block of at least `size` bytes, returning its rest to the
   * lists. Runs only when the heap is at its limit, so its sort is off the common path.
   */
  private carve(size: number): number | undefined {
    const spans: [number, number][] = [];
    for (const [s, list] of this.lists) for (const a of list) spans.push([a, s]);
    if (spans.length === 0) return undefined;
    spans.sort((x, y) => x[0] - y[0]);
    this.lists.clear();
    this.freeListBytes = 0;
    const merged: [number, number][] = [];
    for (const [a, s] of spans) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === a) last[1] += s;
      else merged.push([a, s]);
    }
    const top = merged[merged.length - 1];
    if (top[0] + top[1] === this.top) {
      this.top = top[0];
      merged.pop();
    }
    let best = -1;
    for (let i = 0; i < merged.length; i++)
      if (merged[i][1] >= size && (best < 0 || merged[i][1] < merged[best][1])) best = i;
    for (let i = 0; i < merged.length; i++) {
      const [a, s] = merged[i];
      if (i === best) {
        if (s > size) this.pushFree(a + size, s - size);
      } else this.pushFree(a, s);
    }
    if (best >= 0) return merged[best][0];
    // The bump region may have grown back enough to hold it.
    if (this.top + size <= this.buf.byteLength) return this.bump(size);
    return undefined;
  }

  private pushFree(addr: number, size: number): void {
    let list = this.lists.get(size);
    if (!list) {
      list = [];
      this.lists.set(size, list);
    }
    list.push(addr);
    this.freeListBytes += size;
  }

  private bump(size: number): number {
    const addr = this.top;
    const end = addr + size;
    if (end > this.buf.byteLength) this.grow(end);
    this.top = end;
    return addr;
  }

  private grow(end: number): void {
    const limit = Math.min(this.maxBytes, FOUR_GIB);
    if (end > limit) {
      throw new HeapExhaustedError(
        `numbats heap: cannot allocate ${end - this.top} bytes: the heap would grow to ${end} bytes, over its limit of ${limit} bytes (${this.used} in use); free arrays with free(a), pass out, or raise configureHeap({ maxBytes })`,
      );
    }
    // Grow at least by half the current size, so a run of allocations grows rarely.
    const cur = this.buf.byteLength;
    const want = Math.min(limit, Math.max(end, cur + (cur >> 1)));
    const pages = Math.ceil(want / PAGE) - cur / PAGE;
    const need = Math.ceil(end / PAGE) - cur / PAGE;
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(need);
      } catch (e) {
        throw new HeapExhaustedError(
          `numbats heap: the WebAssembly memory could not grow from ${cur} to ${end} bytes (${(e as Error).message})`,
        );
      }
    }
    this.buf = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(this.buf);
  }

  /** Returns the block behind `data` (its own, from `alloc`); false when it is not one. */
  free(data: TypedArray): boolean {
    const b = this.owners.get(data);
    if (!b || b.freed) return false;
    this.registry.unregister(b);
    this.release(b);
    return true;
  }

  private release(b: Block): void {
    if (b.freed) return;
    b.freed = true;
    this.used -= b.size;
    this.blocks--;
    this.pressure.returned(b.size);
    if (b.addr + b.size === this.top) {
      // The topmost block goes back to the bump region (its bytes are dirty now).
      this.top = b.addr;
      return;
    }
    this.pushFree(b.addr, b.size);
  }

  /** Whether `data` is a live block of this heap. */
  isLive(data: TypedArray): boolean {
    const b = this.owners.get(data);
    return b !== undefined && !b.freed;
  }
}

const DEFAULT_MAX = 2 * 1024 ** 3;

/**
 * Why there is no heap (and no wasm engine) in a JavaScript engine without WebAssembly:
 * V8 started with `--jitless` (Chromium's `--js-flags=--jitless`, Node's `--jitless`)
 * has no `WebAssembly` object at all.
 */
export const NO_WEBASSEMBLY =
  'no WebAssembly here (this JavaScript engine runs without it, as V8 does with --jitless)';

const config = {
  enabled: true,
  maxBytes: DEFAULT_MAX,
  whenFull: 'fallback' as 'fallback' | 'throw',
  minBytes: 4096,
};
let fallbacks = 0;
let reasonOff: string | undefined;
if (typeof WebAssembly === 'undefined') {
  config.enabled = false;
  reasonOff = `${NO_WEBASSEMBLY}, so arrays live on ordinary buffers`;
} else if (typeof SharedArrayBuffer === 'undefined') {
  config.enabled = false;
  reasonOff =
    'no SharedArrayBuffer here (a browser page must be cross-origin isolated), so arrays live on ordinary buffers';
} else if (envSetting() === 'off') {
  config.enabled = false;
  reasonOff = 'turned off by NUMBATS_HEAP=off';
} else if (envSetting() === 'all') {
  config.minBytes = 0;
}
const available = reasonOff === undefined || reasonOff.startsWith('turned off');

let heap: Heap | undefined;

/** The heap, created on first use (undefined while the heap is off). */
export function currentHeap(): Heap | undefined {
  if (!config.enabled) return undefined;
  if (!heap) heap = new Heap(16 * 1024 * 1024, config.maxBytes);
  return heap;
}

/** The heap if it exists, even while new allocations are off (for `free` and kernels). */
export function existingHeap(): Heap | undefined {
  return heap;
}

/** True when numbats allocates on the heap now. */
export function heapEnabled(): boolean {
  return config.enabled;
}

/**
 * Storage for `n` elements of `dtype` on the heap, or undefined when the array should go on
 * an ordinary buffer (heap off, below `minBytes`, or full with `whenFull: 'fallback'`).
 */
export function heapAllocData(dtype: DType, n: number): TypedArray | undefined {
  if (!config.enabled) return undefined;
  if (n * STORAGE[dtype].BYTES_PER_ELEMENT < config.minBytes) return undefined;
  const h = currentHeap()!;
  try {
    return h.alloc(dtype, n);
  } catch (e) {
    if (e instanceof HeapExhaustedError && config.whenFull === 'fallback') {
      fallbacks++;
      // The heap is full of blocks V8 may not have collected yet: ask for a collection now,
      // so the arrays after this one find their blocks back once the event loop turns.
      h.pressure.nudge();
      return undefined;
    }
    throw e;
  }
}

/** True when `data` lives on the numbats heap (so WebAssembly kernels can read it in place). */
export function onHeap(data: TypedArray): boolean {
  return heap?.owns(data) === true;
}

/**
 * Returns an array's heap block at once (NumPy has no equivalent; TypeScript's `using`
 * does the same at the end of a block). The array must not be used afterwards: its memory
 * goes to the next allocation of its size. Arrays not allocated by numbats on the heap
 * (views of user buffers, arrays made while the heap was off) are left alone. Views of a
 * freed array are freed with it (they share its data). Returns whether a block was freed.
 */
export function free(a: { data: unknown } | TypedArray): boolean {
  if (!heap || a === null || typeof a !== 'object') return false;
  const data = (ArrayBuffer.isView(a) ? a : (a as { data: unknown }).data) as TypedArray;
  if (!ArrayBuffer.isView(data)) return false;
  return heap.free(data);
}

/** Size, use and free space of the numbats heap, in bytes. */
export function heapStatus(): HeapStatus {
  const size = heap?.size ?? 0;
  const used = heap?.used ?? 0;
  const base = {
    enabled: config.enabled,
    size,
    used,
    free: size - used,
    blocks: heap?.blocks ?? 0,
    maxBytes: config.maxBytes,
    fallbacks,
  };
  return config.enabled ? base : { ...base, reason: reasonOff ?? 'turned off by configureHeap' };
}

const HEAP_OPTION_KEYS = new Set(['enabled', 'maxBytes', 'whenFull', 'minBytes']);

/**
 * Turns the heap on or off and sets its limits; returns the settings now in force. Turning it
 * off affects later allocations only: arrays already on the heap stay valid. `maxBytes`
 * applies to a heap not created yet (the first heap allocation creates it).
 */
export function configureHeap(options: HeapOptions = {}): Required<HeapOptions> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('configureHeap: options must be an object');
  checkOptionKeys(options, HEAP_OPTION_KEYS, 'configureHeap', {});
  const { enabled, maxBytes, whenFull, minBytes } = options;
  if (enabled !== undefined) {
    if (typeof enabled !== 'boolean')
      throw new TypeError('configureHeap: enabled must be a boolean');
    if (enabled && !available)
      throw new TypeError(`configureHeap: the heap cannot be turned on: ${reasonOff}`);
    config.enabled = enabled;
    if (!enabled && reasonOff === undefined) reasonOff = 'turned off by configureHeap';
    if (enabled) reasonOff = undefined;
  }
  if (maxBytes !== undefined) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < PAGE || maxBytes > FOUR_GIB)
      throw new RangeError(
        `configureHeap: maxBytes must be an integer from ${PAGE} to ${FOUR_GIB} (4 GiB, the wasm32 limit); got ${maxBytes}`,
      );
    if (heap && maxBytes !== config.maxBytes)
      throw new TypeError(
        'configureHeap: maxBytes must be set before the first heap allocation (the memory is created with its maximum)',
      );
    config.maxBytes = maxBytes;
  }
  if (whenFull !== undefined) {
    if (whenFull !== 'fallback' && whenFull !== 'throw')
      throw new TypeError(`configureHeap: whenFull must be 'fallback' or 'throw'`);
    config.whenFull = whenFull;
  }
  if (minBytes !== undefined) {
    if (!Number.isSafeInteger(minBytes) || minBytes < 0)
      throw new RangeError('configureHeap: minBytes must be a non-negative integer');
    config.minBytes = minBytes;
  }
  return { ...config };
}

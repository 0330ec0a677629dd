/**
 * The one cache of compiled specialisations. Every kind keeps what it compiled per key
 * (typed kernels by parameter dtypes, loops by layout key, jit versions by argument key,
 * gpu.js kernels by launch key, the loops a worker holds by loop id) in a `SpecCache`; the
 * key's meaning stays with its owner, the cache only keeps, orders and bounds.
 *
 * Unbounded caches (the default) keep insertion order, which `types` and `inspect()` list
 * in. Bounded ones are least-recently-used first: a hit moves the entry to the end, and
 * entries past the limit are dropped oldest first, each handed to `evict` (gpu.js kernels
 * hold textures and must be destroyed). A hit on an unbounded cache is one `Map.get`, so
 * the per-call lookups of the hot paths cost no more than the maps they replace.
 */
export class SpecCache<K, V> {
  private readonly entries = new Map<K, V>();

  /**
   * @param limit - how many entries to keep (`Infinity`: all, in insertion order)
   * @param evict - called with each entry the bound drops
   */
  constructor(
    private readonly limit = Number.POSITIVE_INFINITY,
    private readonly evict?: (value: V, key: K) => void,
  ) {}

  /** The entry for `key`, made by `make` on a miss (a `make` that throws caches nothing). */
  get(key: K, make: () => V): V {
    const hit = this.lookup(key);
    if (hit !== undefined) return hit;
    const v = make();
    this.entries.set(key, v);
    this.trim();
    return v;
  }

  /** The entry for `key` if there is one (counts as a use of it). */
  lookup(key: K): V | undefined {
    const v = this.entries.get(key);
    if (v !== undefined && this.limit !== Number.POSITIVE_INFINITY) {
      // Map order is the LRU order: re-insert on use.
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  /** The entry for `key` without counting a use. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Adds an entry without applying the bound (`trim` applies it). */
  insert(key: K, value: V): void {
    this.entries.set(key, value);
  }

  /**
   * Drops entries past the limit, oldest first, skipping those `keep` holds on to (a job's
   * own loops); returns the keys dropped.
   */
  trim(keep?: (key: K) => boolean): K[] {
    const dropped: K[] = [];
    if (this.entries.size <= this.limit) return dropped;
    for (const k of this.entries.keys()) {
      if (this.entries.size - dropped.length <= this.limit) break;
      if (!keep?.(k)) dropped.push(k);
    }
    for (const k of dropped) {
      const v = this.entries.get(k) as V;
      this.entries.delete(k);
      this.evict?.(v, k);
    }
    return dropped;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entries' values, oldest first. */
  values(): IterableIterator<V> {
    return this.entries.values();
  }
}

/**
 * Caches per owner object (a typed kernel's gpu.js kernels, its wasm loops), each made on
 * first use with the same bound; an owner that is collected takes its cache with it.
 */
export class OwnedCaches<O extends object, K, V> {
  private readonly caches = new WeakMap<O, SpecCache<K, V>>();

  constructor(
    private readonly limit = Number.POSITIVE_INFINITY,
    private readonly evict?: (value: V, key: K) => void,
  ) {}

  /** The cache of `owner`, made empty on first use (bounded by `limit` if given, else by the default). */
  of(owner: O, limit = this.limit): SpecCache<K, V> {
    let c = this.caches.get(owner);
    if (!c) {
      c = new SpecCache(limit, this.evict);
      this.caches.set(owner, c);
    }
    return c;
  }

  /** The cache of `owner` if it has one. */
  peek(owner: O): SpecCache<K, V> | undefined {
    return this.caches.get(owner);
  }
}

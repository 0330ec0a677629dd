/**
 * Reading user-supplied objects exactly once. An options object may carry getters or be a
 * Proxy that answers differently on every read; if a value were checked on one read and
 * used (or printed into generated code) on another, the check would prove nothing. So
 * every options object is copied first — each own enumerable key read once — and only the
 * copy is validated and used. A getter or Proxy trap that throws becomes a TypeError that
 * names the option.
 */

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A plain copy (null prototype) of `o`'s own enumerable string keys, each value read once.
 * Inherited and non-enumerable properties are not options.
 */
export function snapshotOptions(o: object, what: string): Record<string, unknown> {
  // A copy made here is plain data already (an outer wrapper passes its copy on).
  if (COPIES.has(o)) return o as Record<string, unknown>;
  let keys: string[];
  try {
    keys = Object.keys(o);
  } catch (e) {
    throw new TypeError(`${what}: the options object could not be read (${message(e)})`, {
      cause: e,
    });
  }
  const copy = new Copy();
  for (const k of keys) {
    // A key seen twice (a Proxy's ownKeys may repeat) keeps its first value.
    if (Object.hasOwn(copy, k)) continue;
    try {
      copy[k] = (o as Record<string, unknown>)[k];
    } catch (e) {
      throw new TypeError(`${what}: reading option '${k}' threw (${message(e)})`, { cause: e });
    }
  }
  COPIES.add(copy);
  return copy;
}

/**
 * What a copy is made of: no Object.prototype in its chain (so `__proto__` is a plain key
 * and a polluted Object.prototype supplies no option), yet a constructor V8 keeps in fast
 * mode (an `Object.create(null)` object starts as a slow dictionary).
 */
const Copy = function Copy() {} as unknown as new () => Record<string, unknown>;
Copy.prototype = Object.create(null);

/** The copies `snapshotOptions` made (holding plain values). */
const COPIES = new WeakSet<object>();

/** `o[k]` read once, with a getter's or trap's exception turned into a TypeError naming `what`. */
export function readOnce(o: object, k: string, what: string): unknown {
  try {
    return (o as Record<string, unknown>)[k];
  } catch (e) {
    throw new TypeError(`${what}: reading '${k}' threw (${message(e)})`, { cause: e });
  }
}

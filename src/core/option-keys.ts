/**
 * One check for the option objects of every entry point (the compilers, their calls and
 * methods, the array creation and random functions): an unknown key is a TypeError that
 * lists the valid ones, and for the compilers a Numba option numbats has no use for says
 * why, so a port from Numba learns what to drop instead of having it ignored silently.
 */

/** Why a Numba option has no numbats counterpart (or where its job is done instead). */
export const NUMBA_NOTES: Readonly<Record<string, string>> = {
  cache:
    "numbats compiles a kernel in about a millisecond on first use and keeps it for the process's lifetime, so there is no on-disk cache to enable",
  nopython:
    'numbats kernels are always compiled (there is no object mode to fall back to), so nopython is always on',
  forceobj: 'numbats has no object mode: kernels are always compiled',
  looplift: 'numbats has no object mode, so there are no loops to lift out of it',
  nogil:
    "JavaScript has no GIL; to use every core, pass target: 'parallel' (for jit: parallel: true, with prange loops)",
  parallel: "for the elementwise compilers pass target: 'parallel' (the worker pool)",
  fastmath:
    'elementwise kernels use plain IEEE arithmetic and have no reduction to reassociate, so there is nothing for fastmath to relax here',
  error_model:
    "arithmetic in a kernel never raises: division by zero gives NumPy's array results (inf, nan, or 0 for integers)",
  locals: 'local variable types are inferred from their assignments; there is no override',
  boundscheck: 'this kernel has no indexing of its own to check (only guvectorize views index)',
  debug: 'inspect the generated loop source with .inspect() instead',
  inline: 'kernels are single functions; there is nothing to inline',
  writable_args: 'outputs are passed as writable views and inputs are never written',
};

/**
 * Throws a TypeError naming `what`, the unknown key, the valid keys and, for a key `notes`
 * explains (by default the Numba options), why numbats does not take it. Entry points that
 * are not compilers pass `{}`: a Numba note would be about a different function.
 */
export function checkOptionKeys(
  o: object,
  allowed: ReadonlySet<string>,
  what: string,
  notes: Readonly<Record<string, string>> = NUMBA_NOTES,
): void {
  for (const k of Object.keys(o)) {
    if (allowed.has(k)) continue;
    const valid = [...allowed].join(', ');
    const note = Object.hasOwn(notes, k) ? `; '${k}' is a Numba option: ${notes[k]}` : '';
    // The key is user input: quote it through JSON so the message stays one plain line.
    throw new TypeError(`${what}: unknown option ${quoteKey(k)} (expected ${valid})${note}`);
  }
}

function quoteKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k)
    ? `'${k}'`
    : JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k);
}

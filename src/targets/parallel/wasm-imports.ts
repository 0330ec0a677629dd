/**
 * The functions behind a wasm loop module's `js` imports, found from the import's name. A
 * module's imports are JS functions of the thread that built it and cannot be posted, so a
 * worker rebuilds them from their names with this same function: its source is copied into
 * the worker (worker-source.ts), so it must read nothing but its arguments and globals.
 * The names are the ones `targets/wasm/lower.ts` registers: `toInt32`, `mod`, `pow`, `ipow`,
 * `Math.<fn>/<arity>` and `Number.<predicate>/<arity>`. Each returns the same function (or
 * one computing exactly the same value) as the calling thread's import, so a module gives
 * the same bits on every thread.
 *
 * @param name the import's name
 * @param H the loop helpers (`ipow` raises NumPy's ValueError through them)
 * @throws TypeError for a name no worker provides (the call then runs the JS loops)
 */
export function wasmImport(name: string, H: { ipow: (a: number, b: number) => number }): unknown {
  if (name === 'toInt32') return (x: number) => x | 0;
  if (name === 'mod') return (a: number, b: number) => a % b;
  if (name === 'pow') return (a: number, b: number) => a ** b;
  if (name === 'ipow') return H.ipow.bind(H);
  const m = /^(Math|Number)\.([A-Za-z0-9]+)\/\d+$/.exec(name);
  const owner = m ? ((m[1] === 'Math' ? Math : Number) as unknown as Record<string, unknown>) : {};
  const fn = m ? owner[m[2]] : undefined;
  if (!m || typeof fn !== 'function')
    throw new TypeError(`numbats parallel: no worker import for a wasm module's ${name}`);
  if (m[1] === 'Number') return (...xs: number[]) => ((fn as Function)(...xs) ? 1 : 0);
  return fn;
}

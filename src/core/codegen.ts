/**
 * Compiling generated JavaScript (`new Function`), which numbats does for every loop it
 * makes and, through the `ndarray` package, for every array layout. A page whose
 * Content-Security-Policy lacks 'unsafe-eval' in `script-src` refuses it with an EvalError
 * whose text depends on the browser (so does Node under
 * `--disallow-code-generation-from-strings`); numbats raises an EvalError that says what numbats
 * needs and which directive to change, with the browser's error as its `cause`. (A policy
 * with 'wasm-unsafe-eval' alone allows WebAssembly but still refuses this: numbats' wasm
 * engine runs beside JS loops, and arrays need the generated constructors, so there is no
 * string-evaluation-free path.)
 */

import ndarrayPackage from 'ndarray';

/** The message of a refused string evaluation (also used by tests). */
export const EVAL_REFUSED =
  "numbats cannot run here: it compiles JavaScript at run time (new Function) for its arrays and loops, and this environment refuses string evaluation; in a web page, add 'unsafe-eval' to the Content-Security-Policy's script-src directive ('wasm-unsafe-eval' alone allows only WebAssembly)";

/**
 * `e` as the caller should see it: a refused string evaluation (an EvalError) becomes
 * numbats' EvalError naming the directive; anything else is returned unchanged.
 */
export function explainEvalError(e: unknown): unknown {
  if (!(e instanceof EvalError) || e.message.startsWith('numbats')) return e;
  return new EvalError(`${EVAL_REFUSED}. The engine said: ${e.message}`, { cause: e });
}

/**
 * `new Function(...params, body)` for generated code; a page that refuses string
 * evaluation gets numbats' EvalError (see {@link explainEvalError}). `body` must be code
 * numbats generated, never a user string.
 */
export function compileGenerated(...paramsAndBody: string[]): Function {
  try {
    return new Function(...paramsAndBody);
  } catch (e) {
    throw explainEvalError(e);
  }
}

/**
 * The `ndarray` package's constructor, whose first view of each dtype and dimension
 * count compiles a class with `new Function`: a refusal there is explained the same way.
 */
export const ndarray: typeof ndarrayPackage = ((data, shape, stride, offset) => {
  try {
    return ndarrayPackage(data, shape, stride, offset);
  } catch (e) {
    throw explainEvalError(e);
  }
}) as typeof ndarrayPackage;

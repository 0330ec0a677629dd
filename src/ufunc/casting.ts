/**
 * NumPy's `casting` rule for ufunc calls: which conversions of inputs into the selected loop,
 * and of the loop's results into `out`, a call allows. Checked before anything is written.
 */
import { dtypeOf } from '../core/array.js';
import type { Operand } from '../core/call-args.js';
import { canCastSafely, canCastSameKind, type DType, describe, INFO } from '../core/dtypes.js';

/** NumPy's casting rules, strictest first. */
export type Casting = 'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe';

export const CASTINGS: readonly Casting[] = ['no', 'equiv', 'safe', 'same_kind', 'unsafe'];

/** Validates a `casting` option (NumPy's message for an unknown rule). */
export function checkCasting(x: unknown): Casting {
  if (typeof x === 'string' && (CASTINGS as readonly string[]).includes(x)) return x as Casting;
  throw new TypeError(
    `casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got ${describe(x)})`,
  );
}

/** NumPy's `can_cast(from, to, casting)` over numbats dtypes (no byte orders: equiv is no). */
export function canCast(from: DType, to: DType, casting: Casting): boolean {
  switch (casting) {
    case 'no':
    case 'equiv':
      return from === to;
    case 'safe':
      return canCastSafely(from, to);
    case 'same_kind':
      return canCastSameKind(from, to);
    case 'unsafe':
      return true;
  }
}

/** NumPy's `UFuncTypeError` text for a cast the rule forbids. */
export function castErrorMessage(
  ufunc: string,
  what: string,
  from: DType,
  to: DType,
  casting: Casting,
): string {
  return `Cannot cast ufunc '${ufunc}' ${what} from dtype('${from}') to dtype('${to}') with casting rule '${casting}'`;
}

/**
 * Checks that every input converts into the loop's parameter type under `casting`. Weak JS
 * scalars follow NumPy 2's Python-scalar rule: an integer-valued number fits any integer or
 * float loop whose range holds it (otherwise NumPy's OverflowError, a RangeError here), any
 * other number any float loop; booleans are bool.
 */
export function checkInputCasts(
  ufunc: string,
  ops: readonly Operand[],
  loopTypes: readonly DType[],
  casting: Casting,
): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const to = loopTypes[i];
    const info = INFO[to];
    let from: DType;
    if (op.kind === 'array') from = dtypeOf(op.a);
    else if (op.bool) from = 'bool';
    else if (Number.isInteger(op.v) && info.kind !== 'b') {
      if (info.kind !== 'f' && (op.v < info.min || op.v > info.max)) {
        throw new RangeError(
          `JS integer ${op.v} is out of bounds for ${to} (NumPy 2 raises OverflowError here)`,
        );
      }
      continue;
    } else if (info.kind === 'f' || casting === 'unsafe') continue;
    else from = Number.isInteger(op.v) ? 'int32' : 'float64';
    if (!canCast(from, to, casting)) {
      throw new TypeError(castErrorMessage(ufunc, `input ${i}`, from, to, casting));
    }
  }
}

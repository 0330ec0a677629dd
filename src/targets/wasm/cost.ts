/**
 * When the JS loop beats the wasm loop for an elementwise kernel. `Math` functions without
 * a wasm instruction (exp, sin, log, hypot, …), `Number.isNaN` and the like, and `%` / `**`
 * on floats are calls from wasm into JS per element (lower.ts), and each such call costs
 * more than the same call in a JS loop, where V8 inlines it. Such a kernel also has no SIMD
 * loop. So a kernel whose calls are not outweighed by its other arithmetic runs faster on
 * the JS loop. Measured on 1e6 float64 elements (2-core machine, loaded): `exp(x)*sin(x)`
 * 1.23× and `exp(x)` 1.16× slower on wasm, `exp` of a 4-operation polynomial 0.77×, of a
 * 32-operation one 0.9×. The rule: the JS loop when the kernel makes calls and has fewer
 * than {@link OPS_PER_CALL} other operations per call. `sqrt`, `abs`, `floor`, `ceil`,
 * `trunc`, `min`, `max`, `fround` are wasm instructions and count as arithmetic.
 */

import { type Expr, isWeak, type Ty, type TypedKernel } from '../../compiler/ir.js';
import { NUMBER_PREDICATES } from '../../compiler/types.js';
import { FLOAT_INSTR } from './lower.js';

const isFloat = (t: Ty) => t === 'float64' || t === 'float32' || isWeak(t);

/** Operations per call from which wasm is at least as fast (between 1 and 4 by measurement). */
export const OPS_PER_CALL = 2;

/** Calls into JS and other operations of a kernel (counted once per node, loops once). */
export interface KernelCost {
  /** Per-element calls into JS, by name (`Math.exp`, `%`, …), each node once. */
  readonly calls: readonly string[];
  /** Other operations: arithmetic, comparisons, conditionals, instruction Math. */
  readonly ops: number;
}

const costs = new WeakMap<TypedKernel, KernelCost>();

/** The kernel's calls into JS and other operations (computed once per kernel). */
export function kernelCost(k: TypedKernel): KernelCost {
  let c = costs.get(k);
  if (!c) {
    const calls: string[] = [];
    let ops = 0;
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const x of node) visit(x);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const n = node as { k?: string } & Record<string, unknown>;
      if (typeof n.k === 'string') {
        const call = callOf(n as Expr);
        if (call) calls.push(call);
        else if (isOperation(n as Expr)) ops++;
      }
      // Children: every field but the type and an extension node's payload.
      for (const key in n) if (key !== 'ty' && key !== 'data' && key !== 'k') visit(n[key]);
    };
    visit(k.body);
    c = { calls, ops };
    costs.set(k, c);
  }
  return c;
}

/** The JS function a node calls from wasm per evaluation, if any. */
function callOf(e: Expr): string | undefined {
  if (e.k === 'math') {
    if (NUMBER_PREDICATES.has(e.fn)) return `Number.${e.fn}`;
    if (
      !isFloat(e.ty) ||
      FLOAT_INSTR.has(e.fn) ||
      e.fn === 'min' ||
      e.fn === 'max' ||
      e.fn === 'fround'
    )
      return undefined;
    return `Math.${e.fn}`;
  }
  // `%` of floats is JS's; `**` of any type is (integers through the JS loops' ipow).
  if (e.k === 'binary' && ((e.op === '%' && isFloat(e.ty)) || e.op === '**')) return e.op;
  return undefined;
}

function isOperation(e: Expr): boolean {
  switch (e.k) {
    case 'binary':
    case 'compare':
    case 'logical':
    case 'cond':
    case 'math':
      return true;
    case 'unary':
      return e.op !== '+';
    default:
      return false;
  }
}

/**
 * Why the JS loop runs an elementwise kernel faster than wasm, or undefined when wasm is
 * at least as fast (see the module comment).
 */
export function jsFasterReason(k: TypedKernel): string | undefined {
  const { calls, ops } = kernelCost(k);
  if (calls.length === 0 || ops >= OPS_PER_CALL * calls.length) return undefined;
  const names = [...new Set(calls)].join(', ');
  const op = `${ops} other operation${ops === 1 ? '' : 's'}`;
  return `its ${calls.length} JS call${calls.length === 1 ? '' : 's'} per element (${names}) outweigh ${op} on wasm: the JS loop is faster`;
}

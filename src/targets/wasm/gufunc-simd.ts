/**
 * SIMD rows in the gufunc wasm loop. An innermost counted loop (`for (let i = A; i < B;
 * i++)`, the counter held as i32 with every index proved in bounds, counters.ts) whose body
 * is one float64 (or float32) view write `o.set(…, i, value)`, `value` made of view reads
 * `x.get(…, i)`, locals, constants, `+ - * /`, negation, `Math.sqrt` and `Math.abs`, all of
 * that one type, computes each element independently of the others: two at a time in f64x2
 * lanes (four in f32x4) give the same bits, each lane operation being the scalar IEEE one
 * (which for float32 equals `Math.fround` of the double operation, as the scalar lowering
 * relies on too). The loop is rewritten as `let i = A; simdRow; for (; i < B; i++) body`:
 * `simdRow` runs groups while `i + lanes - 1 < B` when every view it touches is
 * unit-stride along that dim (checked per call), and the scalar loop finishes from where
 * it stopped. The write cannot alias the reads: the
 * runner keeps outputs that overlap inputs, and kernels that read outputs, on the JS loop.
 */
import type { Expr, Stmt, TypedKernel } from '../../compiler/ir.js';
import type { CheckedViewRef } from './counters.js';

/** What a `simdRow` node carries: the counter, its bound and the one write of the body. */
export interface SimdRowData {
  /** The lanes' dtype: float64 (f64x2) or float32 (f32x4). */
  readonly t: 'float64' | 'float32';
  readonly id: number;
  readonly bound: Expr;
  readonly write: Extract<Expr, { k: 'ext' }>;
}

declare module '../../compiler/ir.js' {
  interface ExtPayloads {
    /** The SIMD part of a row loop (gufunc wasm loops only; never lowered to JS). */
    simdRow: SimdRowData;
  }
}

/** `k` with its SIMD-able row loops given a `simdRow` part; `rows` counts them. */
export function withSimdRows(
  k: TypedKernel,
  /** The dtype of view parameter p when its array and the kernel see one float dtype. */
  viewType: (p: number) => 'float64' | 'float32' | undefined,
): { kernel: TypedKernel; rows: number } {
  let rows = 0;
  let t: 'float64' | 'float32' = 'float64';
  const ofT = (p: number) => viewType(p) === t;
  const lanes = (e: Expr, id: number): boolean => {
    if (e.ty !== t) return false;
    switch (e.k) {
      case 'ext':
        return e.op === 'get' && rowAccess(e, id, e.args.length, ofT);
      case 'local':
        return e.id !== id;
      case 'const':
        return t === 'float64' || Math.fround(e.value) === e.value;
      case 'cast':
        // A constant cast to the lanes' type: its value as that type.
        return e.arg.k === 'const';
      case 'binary':
        return '+-*/'.includes(e.op) && lanes(e.l, id) && lanes(e.r, id);
      case 'unary':
        return (e.op === '-' || e.op === '+') && lanes(e.arg, id);
      case 'math':
        return (e.fn === 'sqrt' || e.fn === 'abs') && e.args.length === 1 && lanes(e.args[0], id);
      default:
        return false;
    }
  };
  const stmt = (s: Stmt): Stmt => {
    switch (s.k) {
      case 'if':
        return { ...s, cons: list(s.cons), alt: s.alt && list(s.alt) };
      case 'while':
      case 'dowhile':
      case 'block':
        return { ...s, body: list(s.body) };
      case 'for': {
        const row = rowOf(s);
        if (!row) return { ...s, body: list(s.body) };
        const { init, id, bound, write } = row;
        const value = write.args[write.args.length - 1];
        const wt = viewType((write.data as CheckedViewRef).p);
        if (wt) t = wt;
        if (
          !wt ||
          !rowAccess(write, id, write.args.length - 1, ofT) ||
          value.ty !== t ||
          !lanes(value, id)
        )
          return { ...s, body: list(s.body) };
        rows++;
        const node: Expr = {
          k: 'ext',
          op: 'simdRow',
          args: [],
          data: { t, id, bound, write },
          ty: 'int32',
        };
        return { k: 'block', body: [init, { k: 'expr', e: node }, { ...s, init: [] }] };
      }
      default:
        return s;
    }
  };
  const list = (l: readonly Stmt[]): Stmt[] => l.map(stmt);
  const body = list(k.body);
  return rows ? { kernel: { ...k, body }, rows } : { kernel: k, rows };
}

/** A rewritten counted loop `for (let i = A; i < B; i++) o.set(…, i, v)`, its parts. */
function rowOf(s: Extract<Stmt, { k: 'for' }>) {
  const [init] = s.init;
  const t = s.test;
  const u = s.update;
  const [only] = s.body;
  if (s.init.length !== 1 || init.k !== 'let' || init.init?.ty !== 'int32') return;
  const id = init.id;
  if (t?.k !== 'compare' || t.op !== '<' || t.l.k !== 'local' || t.l.id !== id) return;
  if (t.l.ty !== 'int32' || t.r.ty !== 'int32') return;
  if (u?.k !== 'update' || u.id !== id || u.delta !== 1 || u.ty !== 'int32') return;
  if (s.body.length !== 1 || only.k !== 'expr') return;
  const w = only.e;
  if (w.k !== 'ext' || w.op !== 'set') return;
  return { init, id, bound: t.r, write: w };
}

/**
 * Whether a view access (its first `n` args are indices) is a view of the lanes' type
 * indexed in bounds throughout, by the counter `id` along its last dim and by other locals
 * before it.
 */
function rowAccess(
  e: Extract<Expr, { k: 'ext' }>,
  id: number,
  n: number,
  ofT: (p: number) => boolean,
): boolean {
  const { p, inBounds } = e.data as CheckedViewRef;
  if (!ofT(p) || !inBounds || inBounds.length !== n || !inBounds.every(Boolean)) return false;
  for (let d = 0; d < n; d++) {
    const x = e.args[d];
    if (x.k !== 'local' || (d === n - 1) !== (x.id === id)) return false;
  }
  return n > 0;
}

/**
 * `parallel: true` for `jit`: which `prange` loops run on the worker pool, and how.
 *
 * The analysis (`planParallel`) looks at each outermost `prange` loop of a typed function
 * (a `prange` nested inside another runs serially inside a chunk, as in Numba) and sorts
 * every local the body touches:
 * - locals declared inside the body are private to a chunk;
 * - outer scalars only read are passed in by value;
 * - outer scalars only updated by statements of one reduction operator (`+=`/`-=`, `*=`,
 *   `&=`, `|=`, `^=`, `s = Math.min(s, …)`, `s = Math.max(s, …)`, at any depth, under `if`
 *   too) are reductions: each chunk folds its own partial, and the caller combines the
 *   partials in chunk order (chunk 0 starts from the value before the loop, so with one
 *   chunk the result is the serial one bit for bit);
 * - other outer scalars assigned in the body take the last chunk's value, and are reported
 *   as a possible race when they are read after the loop;
 * - arrays declared outside are passed as their parts; a write whose index has no axis that
 *   is the loop variable (plus or minus an invariant) is reported as a possible race.
 * A loop that returns, breaks out of the `prange`, calls a `functions` helper (compiled on
 * this thread only) or rebinds an outer array variable runs serially, and says why.
 *
 * At run time (`runPrange`) the loop goes to the `parallel` target's `runRange`
 * (`targets/parallel/range.ts`), which cuts the iterations into contiguous chunks, posts
 * them, and has each chunk write its reduction partials into a shared Float64Array.
 */

import { cast } from '../compiler/infer.js';
import type { BinaryOp, Expr, Stmt, Ty, Value } from '../compiler/ir.js';
import { isStmtList, someValue, stmtChildren, subValues } from '../compiler/visit.js';
import type { TypedArray } from '../core/dtypes.js';
import type { RangeCall, RangeSite } from '../plan/range.js';
import { targetFor } from '../targets/registry.js';
import type { TypedFunction } from './infer.js';
import { arithType, INT64, isArrayType } from './types.js';

type RangeStmt = Extract<Stmt, { k: 'range' }>;

/** A reduction operator as diagnostics name it. */
export type ReductionOperator = '+=' | '*=' | '&=' | '|=' | '^=' | 'min' | 'max';

/** A reduction found in a parallel loop. */
export interface ReductionReport {
  /** The local reduced into. */
  readonly variable: string;
  /** `+=` (also `-=`, `++`, `--`), `*=`, `&=`, `|=`, `^=`, `min` or `max`. */
  readonly operator: ReductionOperator;
}

/** A write that may race between iterations run on different workers. */
export interface RaceReport {
  /** The array or local written. */
  readonly variable: string;
  /** `'array'`: an element write; `'local'`: a scalar assigned in the loop and read after it. */
  readonly kind: 'array' | 'local';
  /** Why it may race. */
  readonly why: string;
}

/** One `prange` loop of a compiled version (Numba's `parallel_diagnostics`). */
export interface PrangeLoopReport {
  /** Loop number, in source order (1-based). */
  readonly loop: number;
  /** The 1-based line of the `for (const i of prange(…))` in the function's source. */
  readonly line: number;
  /** The loop variable. */
  readonly variable: string;
  /**
   * True when the loop is split over the worker pool (with `parallel: true`, an outermost
   * prange that nothing forces to run serially). Calls below the pool's threshold still run
   * inline: `lastRun` says what the last call did.
   */
  readonly parallel: boolean;
  /** Why the loop runs the way it does. */
  readonly why: string;
  readonly reductions: readonly ReductionReport[];
  readonly races: readonly RaceReport[];
  /** Locals and arrays passed in from the caller (read-only inside the loop). */
  readonly inputs: readonly string[];
  /** How the last call ran this loop, or null before one did. */
  readonly lastRun: { readonly path: 'workers' | 'inline'; readonly reason: string } | null;
}

/** What `dispatcher.diagnostics()` returns for one compiled version. */
export interface ParallelDiagnostics {
  /** The version, in Numba's notation. */
  readonly signature: string;
  /** The `parallel` option. */
  readonly parallel: boolean;
  /** The `fastmath` option. */
  readonly fastmath: boolean;
  readonly loops: readonly PrangeLoopReport[];
  /** The same as readable text. */
  readonly text: string;
}

export interface Reduction {
  id: number;
  op: ReductionOperator;
  /** The (cast-free) binary operator that combines two partials; null for min/max. */
  bop: BinaryOp | null;
}

/** How one parallel loop is compiled. */
export interface LoopPlan {
  readonly index: number;
  readonly stmt: RangeStmt;
  /** Outer scalar locals read in the body (passed by value), in order. */
  readonly scalars: readonly number[];
  /** Outer array locals used in the body: read-only first, then written. */
  readonly arrays: readonly number[];
  readonly written: number;
  readonly reductions: readonly Reduction[];
  /** Outer scalars assigned that are not reductions: the last chunk's value is kept. */
  readonly lastValue: readonly number[];
  /** The body contains a loop: each iteration is worth many elements (see `workEstimate`). */
  readonly heavy: boolean;
}

interface LoopInfo {
  report: Omit<PrangeLoopReport, 'lastRun'>;
  plan: LoopPlan | null;
}

/** The parallel loops of a typed function, and the report of every prange loop. */
export interface ParallelPlan {
  readonly plans: ReadonlyMap<RangeStmt, LoopPlan>;
  readonly loops: readonly Omit<PrangeLoopReport, 'lastRun'>[];
}

const IDENTITY: Record<ReductionOperator, number> = {
  '+=': 0,
  '*=': 1,
  '&=': -1,
  '|=': 0,
  '^=': 0,
  min: Number.POSITIVE_INFINITY,
  max: Number.NEGATIVE_INFINITY,
};

function strip(e: Expr): Expr {
  while (e.k === 'cast') e = e.arg;
  return e;
}

/** Every local id an expression reads (scalars and arrays), into `out`. */
function readsOf(e: Value, out: Set<number>): void {
  if (e.k === 'local' || e.k === 'alocal' || e.k === 'update') out.add(e.id);
  else if (e.k === 'load' || e.k === 'store' || e.k === 'dim') out.add(e.arr);
  for (const c of subValues(e)) readsOf(c, out);
}

/** A readable rendering of an index expression for diagnostics (names from the source). */
function show(e: Expr, names: readonly string[]): string {
  const s = strip(e);
  switch (s.k) {
    case 'const':
      return String(s.value);
    case 'local':
      return names[s.id];
    case 'binary':
      return `${show(s.l, names)} ${s.op} ${show(s.r, names)}`;
    case 'unary':
      return `${s.op}${show(s.arg, names)}`;
    case 'math':
      return `Math.${s.fn}(${s.args.map((a) => show(a, names)).join(', ')})`;
    case 'load':
      return `${names[s.arr]}.get(${s.index.map((a) => show(a, names)).join(', ')})`;
    case 'dim':
      return s.axis < 0 ? `${names[s.arr]}.size` : `${names[s.arr]}.shape[${s.axis}]`;
    default:
      return '…';
  }
}

/** Is `e` a reduction update of local `id`: the operator, or null. */
export function reductionOf(e: Expr, id: number): ReductionOperator | null {
  if (e.k === 'update') return e.id === id ? '+=' : null;
  if (e.k !== 'assign' || e.id !== id) return null;
  const v = strip(e.value);
  const mentions = (x: Expr) => {
    const r = new Set<number>();
    readsOf(x, r);
    return r.has(id);
  };
  const isSelf = (x: Expr) => {
    const s = strip(x);
    return s.k === 'local' && s.id === id;
  };
  if (v.k === 'binary') {
    const commutative =
      v.op === '+' || v.op === '*' || v.op === '&' || v.op === '|' || v.op === '^';
    const ok = (isSelf(v.l) && !mentions(v.r)) || (commutative && isSelf(v.r) && !mentions(v.l));
    if (!ok) return null;
    switch (v.op) {
      case '+':
      case '-':
        return '+=';
      case '*':
        return '*=';
      case '&':
        return '&=';
      case '|':
        return '|=';
      case '^':
        return '^=';
      default:
        return null;
    }
  }
  if (v.k === 'math' && (v.fn === 'min' || v.fn === 'max') && v.args.length === 2) {
    const [a, b] = v.args;
    if ((isSelf(a) && !mentions(b)) || (isSelf(b) && !mentions(a))) return v.fn;
  }
  return null;
}

/** Statement-level expressions, statements and nested structure of a loop body. */
interface BodyFacts {
  declared: Set<number>;
  /** Every read of an outer local outside a reduction update, with the reduction statements' own operands. */
  reads: Set<number>;
  /** Outer scalars assigned, with each statement-level update's reduction operator (or null). */
  assigned: Map<number, (ReductionOperator | null)[]>;
  stores: { arr: number; index: Expr[] }[];
  /** Arrays rebound (`b = a`) inside the body. */
  rebound: Set<number>;
  blockers: string[];
  heavy: boolean;
  nested: RangeStmt[];
}

function bodyFacts(body: readonly Stmt[], loopVar: number): BodyFacts {
  const f: BodyFacts = {
    declared: new Set([loopVar]),
    reads: new Set(),
    assigned: new Map(),
    stores: [],
    rebound: new Set(),
    blockers: [],
    heavy: false,
    nested: [],
  };
  const note = (id: number, op: ReductionOperator | null) => {
    const l = f.assigned.get(id);
    if (l) l.push(op);
    else f.assigned.set(id, [op]);
  };
  /** Walks an expression; `top`: it is a whole statement (a reduction may sit there). */
  const expr = (e: Expr, top: boolean): void => {
    if (top && (e.k === 'assign' || e.k === 'update')) {
      const op = reductionOf(e, e.id);
      note(e.id, op);
      if (e.k === 'assign') {
        // The reduction's own read of the accumulator does not count as a read.
        const r = new Set<number>();
        readsOf(e.value, r);
        if (op) r.delete(e.id);
        for (const id of r) f.reads.add(id);
        walkInner(e.value);
      }
      return;
    }
    walkInner(e);
    readsOf(e, f.reads);
  };
  const walkInner = (e: Value): void => {
    switch (e.k) {
      case 'assign':
        note(e.id, null);
        walkInner(e.value);
        return;
      case 'update':
        note(e.id, null);
        return;
      case 'store':
        f.stores.push({ arr: e.arr, index: e.index });
        for (const a of e.index) walkInner(a);
        walkInner(e.value);
        return;
      case 'call':
        f.blockers.push(
          'it calls a function passed in `functions` (those run on the calling thread only)',
        );
        return;
      default:
        for (const c of subValues(e)) walkInner(c);
    }
  };
  const stmts = (list: readonly Stmt[], loopDepth: number): void => {
    for (const s of list) stmt(s, loopDepth);
  };
  const stmt = (s: Stmt, depth: number): void => {
    switch (s.k) {
      case 'let':
        f.declared.add(s.id);
        if (s.init) expr(s.init, false);
        return;
      case 'expr':
        expr(s.e, true);
        return;
      case 'if':
        expr(s.test, false);
        stmts(s.cons, depth);
        if (s.alt) stmts(s.alt, depth);
        return;
      case 'for':
        f.heavy = true;
        stmts(s.init, depth + 1);
        if (s.test) expr(s.test, false);
        if (s.update) expr(s.update, true);
        stmts(s.body, depth + 1);
        return;
      case 'while':
      case 'dowhile':
        f.heavy = true;
        expr(s.test, false);
        stmts(s.body, depth + 1);
        return;
      case 'range':
        f.heavy = true;
        f.declared.add(s.id);
        if (s.parallel) f.nested.push(s);
        expr(s.start, false);
        expr(s.stop, false);
        expr(s.step, false);
        stmts(s.body, depth + 1);
        return;
      case 'break':
        if (depth === 0) f.blockers.push('it breaks out of the prange loop');
        return;
      case 'continue':
      case 'return':
        return;
      case 'result':
        f.blockers.push('it returns from inside the loop');
        return;
      case 'block':
        stmts(s.body, depth);
        return;
      case 'aset': {
        if (s.decl) f.declared.add(s.id);
        else f.rebound.add(s.id);
        readsOf(s.value, f.reads);
        if (s.value.k === 'alloc') for (const e of s.value.shape) walkInner(e);
        return;
      }
    }
  };
  stmts(body, 0);
  return f;
}

/** `i`, `i ± c` or `c + i` with `c` invariant in the loop: an index only iteration `i` writes. */
function isOwnIndex(e: Expr, loopVar: number, variant: ReadonlySet<number>): boolean {
  const s = strip(e);
  if (s.k === 'local') return s.id === loopVar;
  if (s.k !== 'binary' || (s.op !== '+' && s.op !== '-')) return false;
  const invariant = (x: Expr) => {
    const r = new Set<number>();
    readsOf(x, r);
    for (const id of r) if (id === loopVar || variant.has(id)) return false;
    return !exprHasEffects(x);
  };
  if (isOwnIndex(s.l, loopVar, variant) && strip(s.l).k === 'local') return invariant(s.r);
  if (s.op === '+' && strip(s.r).k === 'local' && (strip(s.r) as { id: number }).id === loopVar)
    return invariant(s.l);
  return false;
}

/** Does evaluating `e` write anything (a local, an element) or call out? */
export function exprHasEffects(e: Expr): boolean {
  return someValue(
    e,
    (v) => v.k === 'assign' || v.k === 'update' || v.k === 'store' || v.k === 'call',
  );
}

/** Reads of every local, in statement order, with the position of each loop statement. */
function readPositions(body: readonly Stmt[]) {
  const reads: { id: number; at: number }[] = [];
  const spans = new Map<Stmt, [number, number]>();
  let at = 0;
  const visitExpr = (e: Value) => {
    const r = new Set<number>();
    readsOf(e, r);
    for (const id of r) reads.push({ id, at: at++ });
  };
  const visit = (list: readonly Stmt[]) => {
    for (const s of list) {
      const start = at++;
      for (const c of stmtChildren(s)) {
        if (isStmtList(c)) visit(c);
        else visitExpr(c);
      }
      spans.set(s, [start, at++]);
    }
  };
  visit(body);
  return { reads, spans };
}

/** Plans every outermost prange loop of `f` (and reports each prange loop). */
export function planParallel(f: TypedFunction, parallel: boolean): ParallelPlan {
  const plans = new Map<RangeStmt, LoopPlan>();
  const loops: Omit<PrangeLoopReport, 'lastRun'>[] = [];
  const names = f.localNames;
  const { reads, spans } = readPositions(f.body);

  /** `enclosing`: the outermost serial loop around this point (reads there repeat). */
  const visit = (list: readonly Stmt[], enclosing: Stmt | null, inPrange: RangeStmt | null) => {
    for (const s of list) {
      const outer =
        enclosing ??
        (s.k === 'for' || s.k === 'while' || s.k === 'dowhile' || s.k === 'range' ? s : null);
      switch (s.k) {
        case 'if':
          visit(s.cons, enclosing, inPrange);
          if (s.alt) visit(s.alt, enclosing, inPrange);
          break;
        case 'block':
          visit(s.body, enclosing, inPrange);
          break;
        case 'for':
          visit(s.init, outer, inPrange);
          visit(s.body, outer, inPrange);
          break;
        case 'while':
        case 'dowhile':
          visit(s.body, outer, inPrange);
          break;
        case 'range':
          if (s.parallel) {
            const info = inPrange ? nestedInfo(s, inPrange) : analyse(s, enclosing, parallel);
            loops.push(info.report);
            if (info.plan) plans.set(s, info.plan);
          }
          visit(s.body, outer, inPrange ?? (s.parallel ? s : null));
          break;
        default:
          break;
      }
    }
  };

  const lineOf = (s: RangeStmt) => f.localLines[s.id] ?? 0;

  const nestedInfo = (s: RangeStmt, outer: RangeStmt): LoopInfo => ({
    plan: null,
    report: {
      loop: loops.length + 1,
      line: lineOf(s),
      variable: names[s.id],
      parallel: false,
      why: `nested in the prange loop over '${names[outer.id]}' (line ${lineOf(outer)}): runs serially inside each chunk`,
      reductions: [],
      races: [],
      inputs: [],
    },
  });

  const analyse = (s: RangeStmt, enclosing: Stmt | null, on: boolean): LoopInfo => {
    const facts = bodyFacts(s.body, s.id);
    const [lo, hi] = spans.get(s)!;
    const outerSpan = enclosing ? spans.get(enclosing)! : null;
    const readOutside = (id: number) =>
      reads.some(
        (r) =>
          r.id === id &&
          (r.at > hi ||
            (outerSpan !== null &&
              r.at >= outerSpan[0] &&
              r.at <= outerSpan[1] &&
              (r.at < lo || r.at > hi))),
      );
    const isOuter = (id: number) => !facts.declared.has(id);
    const reductions: Reduction[] = [];
    const lastValue: number[] = [];
    const races: RaceReport[] = [];
    const variant = new Set<number>();
    for (const [id, ops] of [...facts.assigned].sort((x, y) => x[0] - y[0])) {
      if (!isOuter(id)) {
        variant.add(id);
        continue;
      }
      variant.add(id);
      const op = ops[0];
      const same = op !== null && ops.every((o) => o === op);
      if (same && !facts.reads.has(id)) {
        reductions.push({ id, op, bop: binaryFor(op) });
        continue;
      }
      lastValue.push(id);
      if (readOutside(id)) {
        races.push({
          variable: names[id],
          kind: 'local',
          why: same
            ? `'${names[id]}' is updated with ${op} but also read inside the loop, so it is not a reduction; each chunk has its own copy and the value after the loop is the last chunk's`
            : `'${names[id]}' is assigned in the loop (not a reduction: ${describeOps(ops)}) and read after it; each chunk has its own copy and the value after the loop is the last chunk's`,
        });
      }
    }
    for (const st of facts.stores) {
      if (!isOuter(st.arr)) continue;
      if (st.index.some((ix) => isOwnIndex(ix, s.id, variant))) continue;
      const idx = st.index.map((ix) => show(ix, names)).join(', ');
      races.push({
        variable: names[st.arr],
        kind: 'array',
        why: `${names[st.arr]}.set(${idx}, …): no index is the loop variable '${names[s.id]}' (plus or minus an invariant), so two iterations may write the same element`,
      });
    }
    const blockers = [...new Set(facts.blockers)];
    for (const id of facts.rebound) {
      if (isOuter(id))
        blockers.push(`it rebinds the array variable '${names[id]}' declared outside`);
    }
    const inputs: number[] = [];
    const arraysR: number[] = [];
    const arraysW: number[] = [];
    const storedArrays = new Set(facts.stores.map((st) => st.arr));
    const touched = new Set<number>([...facts.reads, ...facts.assigned.keys()]);
    for (const id of [...touched].sort((a, b) => a - b)) {
      if (!isOuter(id)) continue;
      const t = f.localTypes[id];
      if (isArrayType(t)) (storedArrays.has(id) ? arraysW : arraysR).push(id);
      else if (!reductions.some((r) => r.id === id)) inputs.push(id);
    }
    const report = {
      loop: loops.length + 1,
      line: lineOf(s),
      variable: names[s.id],
      parallel: on && blockers.length === 0,
      why: !on
        ? 'parallel is off: prange runs as a plain range'
        : blockers.length
          ? `runs serially: ${blockers.join('; ')}`
          : `outermost prange: iterations split over the worker pool${facts.heavy ? '' : ` (calls with fewer than the pool's threshold of iterations run inline)`}`,
      reductions: reductions.map((r) => ({ variable: names[r.id], operator: r.op })),
      races,
      inputs: [...inputs, ...arraysR, ...arraysW].map((id) => names[id]),
    };
    const plan: LoopPlan | null = report.parallel
      ? {
          index: loops.length,
          stmt: s,
          scalars: [...inputs, ...lastValue.filter((id) => !inputs.includes(id))],
          arrays: [...arraysR, ...arraysW],
          written: arraysW.length,
          reductions,
          lastValue,
          heavy: facts.heavy,
        }
      : null;
    return { report, plan };
  };

  visit(f.body, null, null);
  return { plans, loops };
}

function describeOps(ops: readonly (ReductionOperator | null)[]): string {
  const set = new Set(ops.map((o) => o ?? 'plain assignment'));
  return [...set].join(', ');
}

function binaryFor(op: ReductionOperator): BinaryOp | null {
  switch (op) {
    case '+=':
      return '+';
    case '*=':
      return '*';
    case '&=':
      return '&';
    case '|=':
      return '|';
    case '^=':
      return '^';
    default:
      return null;
  }
}

/** The identity a chunk after the first starts its partial from. */
export function identityOf(op: ReductionOperator, ty: Ty): number {
  if (op === '&=' && ty === 'bool') return 1;
  return IDENTITY[op];
}

/**
 * The IR that folds partial `p` (a local of the accumulator's type) into accumulator `id`,
 * typed as the loop's own update is: `s = s op p` or `s = Math.min(s, p)`.
 */
export function combineExpr(r: Reduction, ty: Ty, p: number): Expr {
  const s: Expr = { k: 'local', id: r.id, ty };
  const q: Expr = { k: 'local', id: p, ty };
  if (r.bop) {
    const bt: Ty =
      r.bop === '&' || r.bop === '|' || r.bop === '^'
        ? ty === 'bool'
          ? 'bool'
          : INT64
        : arithType(ty, ty);
    const value: Expr = { k: 'binary', op: r.bop, l: cast(s, bt), r: cast(q, bt), ty: bt };
    return { k: 'assign', id: r.id, value: cast(value, ty), ty };
  }
  const mt: Ty = ty === 'wfloat' ? 'float64' : ty;
  const value: Expr = {
    k: 'math',
    fn: r.op === 'min' ? 'min' : 'max',
    args: [cast(s, mt), cast(q, mt)],
    ty: mt,
  };
  return { k: 'assign', id: r.id, value: cast(value, ty), ty };
}

// ---- run time ---------------------------------------------------------------------------

/** How the last call ran each loop, per compiled version. */
const lastRuns = new WeakMap<object, Map<number, { path: 'workers' | 'inline'; reason: string }>>();

export function lastRunOf(
  owner: object,
  loop: number,
): { path: 'workers' | 'inline'; reason: string } | null {
  return lastRuns.get(owner)?.get(loop) ?? null;
}

function noteRun(owner: object, loop: number, path: 'workers' | 'inline', reason: string): void {
  let m = lastRuns.get(owner);
  if (!m) lastRuns.set(owner, (m = new Map()));
  m.set(loop, { path, reason });
}

/** A parallel loop as the generated code hands it to `runPrange`. */
export type PrangeSite = RangeSite;

/** The target `prange` loops run on (found in the registry, as every kind finds its target). */
const PARALLEL = targetFor('parallel');

/** The run of a loop site, recording its path in the version's diagnostics. */
function rangeCall(
  site: PrangeSite,
  start: number,
  stop: number,
  step: number,
  data: readonly TypedArray[],
  sc: readonly number[],
  red: readonly number[],
): RangeCall {
  return {
    site,
    start,
    stop,
    step,
    data,
    sc,
    red,
    note: (path, reason) => noteRun(site.owner, site.loop, path, reason),
  };
}

/**
 * Runs a parallel loop on the `parallel` target's pool: the partials (chunk-major, `nred`
 * per chunk), or null when the loop should run inline (small, or no pool here).
 */
export function runPrange(
  site: PrangeSite,
  start: number,
  stop: number,
  step: number,
  data: readonly TypedArray[],
  sc: readonly number[],
  red: readonly number[],
): Float64Array | null {
  return PARALLEL.runRange!(rangeCall(site, start, stop, step, data, sc, red));
}

/** `runPrange` for an `.async` call (the jobs are waited for without blocking the thread). */
export function runPrangeAsync(
  site: PrangeSite,
  start: number,
  stop: number,
  step: number,
  data: readonly TypedArray[],
  sc: readonly number[],
  red: readonly number[],
): Promise<Float64Array | null> {
  return PARALLEL.runRangeAsync!(rangeCall(site, start, stop, step, data, sc, red));
}

/** Test hook: cut every parallel loop into this many chunks (null: the pool's own count). */
export function setPrangeChunks(n: number | null): void {
  PARALLEL.setRangeChunks!(n);
}

/**
 * Worker-side helpers of jit code (the caller's are `JIT_HELPERS` in emit.ts): written out
 * here, not taken from that object's source, so a bundler's renaming cannot break them.
 * The messages are the same as on the calling thread.
 */
export const WORKER_JIT_HELPERS = `class IndexError extends RangeError { constructor(m) { super(m); this.name = 'IndexError'; } }
const J = Object.create(H);
J.dim = function (n) {
  if (!(n >= 0) || !Number.isInteger(n)) throw new H.ValueError(n < 0 ? 'negative dimensions are not allowed (got ' + n + ')' : 'array dimensions must be integers (got ' + n + ')');
  return n;
};
J.bc = function (i, axis, shape) {
  if (i >= 0 && i < shape[axis]) return i;
  throw new IndexError('index ' + i + ' is out of bounds for axis ' + axis + ' with size ' + shape[axis] + ' (array shape [' + shape.join(', ') + '])');
};
J.zeroStep = function () { throw new H.ValueError('prange() step must not be zero'); };
const S = { float64: Float64Array, float32: Float32Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint8_clamped: Uint8ClampedArray, bool: Uint8Array };`;

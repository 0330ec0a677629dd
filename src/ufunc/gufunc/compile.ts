/**
 * Type inference of a gufunc kernel for one combination of types. Core-dim operands are
 * views (see views.ts), `()` inputs are numbers, and outputs are either view parameters
 * written with `.set` or, when every output is `()` and the kernel takes only the inputs,
 * its return values. Without fixed output types (dynamic typing), an output view's dtype
 * is the join of the values stored into it, found by iterating to a fixed point, just as a
 * returned output's dtype is the join of the returned values.
 */
import type { KernelFunctions } from '../../compiler/callable.js';
import { type Constants, inferKernel } from '../../compiler/infer.js';
import { materialize, type Stmt, type Ty, type TypedKernel } from '../../compiler/ir.js';
import type { ParsedKernel } from '../../compiler/parse.js';
import { join } from '../../compiler/types.js';
import { forEachValue } from '../../compiler/visit.js';
import { WeakIntFlow } from '../../compiler/weak-int.js';
import { type DType, promoteAll } from '../../core/dtypes.js';
import { CompileError } from '../../core/errors.js';
import type { GufuncLayout, TypedGufunc, ViewParam } from '../../plan/gufunc.js';
import { viewExtension } from './views.js';

/** What every kernel of one gufunc shares. */
export interface GufuncForm {
  readonly name: string;
  readonly parsed: ParsedKernel;
  readonly layout: GufuncLayout;
  readonly constants: Constants;
  /** jit functions and ufuncs the kernel calls by name. */
  readonly functions: KernelFunctions;
  /** Outputs are the kernel's return values (all are `()`), not parameters. */
  readonly returns: boolean;
}

const MAX_PASSES = 16;

/** Types `form`'s kernel; `outTypes` fixes the outputs (signatures, `dtype`), else they are inferred. */
export function typeGufunc(
  form: GufuncForm,
  inTypes: readonly DType[],
  outTypes?: readonly DType[],
): TypedGufunc {
  const { layout, returns } = form;
  const nout = layout.nout;
  const inViews = inTypes.map((t, i): ViewParam | null => {
    const rank = layout.operands[i].length;
    return rank === 0 ? null : { rank, output: false, elemTy: t };
  });
  if (returns) {
    const typed = infer(form, inTypes, inViews, []);
    if (typed.outTypes.length !== nout) {
      throw new CompileError(
        `${form.name}: the kernel returns ${typed.outTypes.length} value(s) but layout '${layout.source}' has ${nout} output(s)`,
      );
    }
    const outs = outTypes ?? typed.outTypes;
    return { typed: { ...typed, outTypes: outs.slice() }, inTypes, outTypes: outs, views: inViews };
  }
  const outView = (j: number, t: Ty): ViewParam => ({
    rank: layout.operands[layout.nin + j].length,
    output: true,
    elemTy: t,
  });
  const fallback = inTypes.length > 0 ? promoteAll(inTypes) : 'float64';
  // Unknown output types start at the bottom of the lattice ('wint' joins to anything).
  let guess: (DType | undefined)[] = outTypes ? outTypes.slice() : new Array(nout).fill(undefined);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const setTypes: (Ty | undefined)[] = [];
    const views = [...inViews, ...guess.map((t, j) => outView(j, t ?? 'wint'))];
    let typed = infer(form, [...inTypes, ...guess.map((t) => t ?? fallback)], views, setTypes);
    if (form.parsed.expressionBody) typed = discardValue(typed);
    if (typed.outTypes.length > 0) {
      throw new CompileError(
        `${form.name}: the kernel takes its outputs as parameters, so it must not return a value; write them with .set(…)`,
      );
    }
    if (outTypes) return { typed, inTypes, outTypes, views };
    const computed = computedStores(typed.body, layout.nin);
    const next = guess.map((g, j) => {
      const s = setTypes[layout.nin + j];
      if (s === undefined) return g ?? fallback;
      const t = g === undefined ? s : join(g, s);
      // A computed weak integer (a count, a sum) is stored exactly, as float64, not wrapped.
      return t === 'wint' && computed.has(layout.nin + j) ? 'float64' : materialize(t);
    });
    if (next.every((t, j) => t === guess[j])) {
      return { typed, inTypes, outTypes: next as DType[], views };
    }
    guess = next;
  }
  throw new CompileError(`${form.name}: output type inference did not converge`);
}

/** Views (by parameter) that some `.set` stores a computed weak integer into. */
function computedStores(body: readonly Stmt[], nin: number): Set<number> {
  const flow = new WeakIntFlow(body);
  const found = new Set<number>();
  forEachValue(body, (e) => {
    if (e.k !== 'ext' || e.op !== 'set') return;
    const { p } = e.data;
    const value = e.args[e.args.length - 1];
    if (p >= nin && value.ty === 'wint' && flow.computed(value)) found.add(p);
  });
  return found;
}

/**
 * `(x, o) => o.set(0, …)`: an arrow's expression body is a statement here, its value (what
 * `.set` gives back) is not an output.
 */
function discardValue(typed: TypedKernel): TypedKernel {
  const body = typed.body.flatMap((st): Stmt[] =>
    st.k === 'return' ? st.values.map((e) => ({ k: 'expr', e })) : [st],
  );
  return { ...typed, body, outTypes: [] };
}

function infer(
  form: GufuncForm,
  paramTypes: readonly DType[],
  views: readonly (ViewParam | null)[],
  setTypes: (Ty | undefined)[],
): TypedKernel {
  const typed = inferKernel(
    form.parsed,
    paramTypes,
    form.constants,
    viewExtension(views, setTypes),
    form.functions,
  );
  if (typed.freeNames.length > 0) {
    const names = typed.freeNames.join(', ');
    throw new CompileError(
      `${form.name}: the kernel reads ${names} from its enclosing scope; pass ${typed.freeNames.length > 1 ? 'them' : 'it'} as constants: { ${typed.freeNames.map((n) => `${n}: …`).join(', ')} }`,
      undefined,
      typed.freeNames.slice(),
    );
  }
  return typed;
}

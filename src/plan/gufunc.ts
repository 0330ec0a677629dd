/**
 * What the guvectorize kind hands a target: the parsed layout of a gufunc, the core and
 * loop shapes of one call, and the typed kernel with its view parameters. Targets import
 * these types; the kind produces them (ufunc/gufunc/layout.ts, shapes.ts, compile.ts).
 */
import type { Ty, TypedKernel } from '../compiler/ir.js';
import type { NdArray } from '../core/array.js';
import type { DType, TypedArray } from '../core/dtypes.js';

/** What a view node carries: the view parameter it reads or writes. */
export interface ViewRef {
  readonly p: number;
}

/** What a `shape` view node carries: the view parameter and the core dim. */
export interface ViewDim extends ViewRef {
  readonly dim: number;
}

declare module '../compiler/ir.js' {
  interface ExtPayloads {
    /** `x.shape[k]` of a gufunc view. */
    shape: ViewDim;
    /** `x.get(i, …)`: an element of a gufunc view. */
    get: ViewRef;
    /** `x.set(i, …, v)`: a write to a gufunc output view. */
    set: ViewRef;
  }
}

/** One distinct core dimension of a layout (a label shared by every operand that names it). */
export interface CoreDim {
  /** The name as written (without `?`), or the size's digits for a fixed dim. */
  readonly name: string;
  /** The size of a fixed dim such as `(3)`. */
  readonly fixed?: number;
  /** `?`: operands may lack it (NumPy's flexible dims); it then has size 1 in the kernel. */
  readonly optional: boolean;
}

/** A parsed layout. */
export interface GufuncLayout {
  /** The layout as given (NumPy quotes it unchanged in its messages). */
  readonly source: string;
  /** Distinct core dims, in order of first appearance. */
  readonly dims: readonly CoreDim[];
  /** For each input, then each output: the labels (indices into `dims`) of its core dims. */
  readonly operands: readonly (readonly number[])[];
  readonly nin: number;
  readonly nout: number;
}

/** The shapes of one gufunc call, from its operands and the layout. */
export interface ShapePlan {
  /** The broadcast loop dims. */
  readonly loopShape: number[];
  /** Size of every core dim label (1 for a missing optional dim). */
  readonly sizes: number[];
  /** Per label: an optional dim absent from this call. */
  readonly missing: boolean[];
  /** Per operand: how many of its trailing dims are core dims in this call. */
  readonly coreNum: number[];
}

/** A kernel parameter that is a view. */
export interface ViewParam {
  /** Number of core dims (the view's rank, fixed by the layout). */
  readonly rank: number;
  /** Outputs may be written; inputs only read. */
  readonly output: boolean;
  /** Element type the kernel sees. */
  readonly elemTy: Ty;
}

/** A kernel typed for one combination of input and output types. */
export interface TypedGufunc {
  readonly typed: TypedKernel;
  /** Types the kernel sees for each input. */
  readonly inTypes: readonly DType[];
  /** Types the kernel produces for each output. */
  readonly outTypes: readonly DType[];
  /** Per parameter: its view, or null for a number. */
  readonly views: readonly (ViewParam | null)[];
}

/**
 * One planned gufunc call as a loop engine runs it (ufunc/gufunc/run.ts builds it): the
 * loop nest over the broadcast dims, and the core sizes and strides the views index with.
 */
export interface GufuncCall {
  readonly kernel: TypedGufunc;
  readonly layout: GufuncLayout;
  /** dtype of each operand's array (inputs, then outputs). */
  readonly arrTypes: readonly DType[];
  /** Per label: an optional dim absent from this call (extent 1). */
  readonly missing: readonly boolean[];
  /** Data of each operand (inputs, then outputs). */
  readonly D: readonly TypedArray[];
  /** Start offsets, in elements. */
  readonly P: readonly number[];
  /** Loop extents, outermost first. */
  readonly N: readonly number[];
  /** Loop strides in elements, flattened [op][level]. */
  readonly S: readonly number[];
  /** The size of every core dim label, then every operand's core strides (in elements). */
  readonly C: readonly number[];
  /** Runs this call on the JS loop (an engine that times both paths calls it). */
  readonly runJs?: () => void;
}

/**
 * A planned gufunc call as a target that runs loops takes it (`Target.runGufunc`): the call,
 * its JS loop (compiled, and as source for workers), and whether it was planned for chunks.
 */
export interface GufuncLoopCall extends GufuncCall {
  /** The compiled gufunc: owner of the loop sources the workers compile. */
  readonly owner: object;
  /** Layout key of the JS loop. */
  readonly key: string;
  /** The JS loop's factory source. */
  source(): string;
  readonly runJs: () => void;
  /** Every operand (inputs, then outputs). */
  readonly all: readonly NdArray[];
  /** Planned for the target's workers (its `workersFor` said so). */
  readonly split: boolean;
  /** The wasm engine may run it (not under `boundscheck`, whose checks only the JS loop has). */
  readonly wasmAllowed: boolean;
}

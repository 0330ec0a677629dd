/**
 * A ufunc's compiled kernels: one per combination of parameter types, each holding its
 * typed IR, its JS lowering, and the loops generated for it so far (per layout key).
 */

import type { KernelFunctions } from '../compiler/callable.js';
import { HELPERS } from '../compiler/emit-js.js';
import { type Constants, inferKernel } from '../compiler/infer.js';
import type { TypedKernel } from '../compiler/ir.js';
import { kernelMayThrow } from '../compiler/may-throw.js';
import type { ParsedKernel } from '../compiler/parse.js';
import { compileGenerated } from '../core/codegen.js';
import type { DType } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import { SpecCache } from '../core/spec-cache.js';
import type { MapKernel, MapPlan } from '../plan/map.js';
import {
  buildLoop,
  type LoopFn,
  type LoopKernel,
  type LoopSpec,
  loopFunctionsSource,
} from '../targets/cpu/loops.js';
import { printLoops } from '../targets/cpu/lower-loops.js';
import { elementwiseLoop } from './loop-nest.js';

export class CompiledKernel implements MapKernel {
  readonly typed: TypedKernel;
  /** The kernel as the loop nests inline it. */
  readonly body: LoopKernel;
  /** True when the kernel reads free variables and is called as a function per element. */
  readonly callsFunction: boolean;
  /** True when a loop of this kernel can throw part-way (see `kernelMayThrow`). */
  readonly mayThrow: boolean;
  private readonly loops = new SpecCache<string, LoopFn>();
  private scalar?: (...args: number[]) => number;

  constructor(
    readonly fn: Function,
    parsed: ParsedKernel,
    readonly inTypes: readonly DType[],
    constants: Constants,
    /** Output types fixed by a signature (the kernel's result is cast to them). */
    outTypes?: readonly DType[],
    functions: KernelFunctions = {},
  ) {
    let typed = inferKernel(parsed, inTypes, constants, undefined, functions);
    if (outTypes) {
      if (outTypes.length !== typed.outTypes.length) {
        throw new CompileError(
          `signature gives ${outTypes.length} output(s) but the kernel returns ${typed.outTypes.length}`,
        );
      }
      typed = { ...typed, outTypes: outTypes.slice() };
    }
    this.typed = typed;
    this.callsFunction = typed.freeNames.length > 0;
    this.mayThrow = kernelMayThrow(typed);
    this.body = { typed, callsFunction: this.callsFunction };
  }

  get outTypes(): readonly DType[] {
    return this.typed.outTypes;
  }

  /** The loop for a layout key, generated from `spec()` on first use. */
  loopByKey(key: string, spec: () => Omit<LoopSpec, 'kernel'>): LoopFn {
    return this.loops.get(key, () =>
      buildLoop(elementwiseLoop({ ...spec(), kernel: this.body }), this.fn),
    );
  }

  /** The JS loop of a plan (MapKernel). */
  loop(plan: MapPlan): LoopFn {
    return this.loopByKey(plan.key, () => plan.spec(this, plan));
  }

  /** Source of a loop (for `inspect`). */
  source(spec: Omit<LoopSpec, 'kernel'>): string {
    return loopFunctionsSource(elementwiseLoop({ ...spec, kernel: this.body }));
  }

  /** The kernel as a plain function of typed scalars returning output 0 (for `at`). */
  scalarFn(): (...args: number[]) => number {
    if (!this.scalar) {
      const params = this.inTypes.map((_, i) => `a${i}`);
      const outs = this.outTypes.map((_, j) => `r${j}`);
      const body = printLoops([
        {
          k: 'kernel',
          kernel: this.typed,
          inputs: params.map((name) => ({ k: 'name', name })),
          outs,
          callsFunction: this.callsFunction,
        },
      ]);
      const src = `'use strict';return function(${params.join(',')}){let ${outs.join(',')};${body}return r0;}`;
      this.scalar = compileGenerated('H', 'F', src)(HELPERS, this.fn);
    }
    return this.scalar!;
  }
}

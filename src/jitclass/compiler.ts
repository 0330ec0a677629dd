/**
 * The per-class cache of compiled `.call` loops: checks a call's method name and
 * arguments, compiles the method once per argument-type list, and keeps the factory that
 * record arrays instantiate over their own columns.
 */

import { HELPERS, type Helpers } from '../compiler/emit-js.js';
import { compileGenerated } from '../core/codegen.js';
import type { DType, TypedArray } from '../core/dtypes.js';
import { describe } from '../core/dtypes.js';
import { CompileError } from '../core/errors.js';
import { SpecCache } from '../core/spec-cache.js';
import type { RecordLoopSource } from '../plan/records.js';
import { loopSource } from './emit.js';
import { memberKernel } from './member-kernel.js';
import type { ClassModel } from './model.js';
import { reachableHelpers, Unit, usedColumns } from './unit.js';

/** The loop over `n` records; `R` receives the results of a value-returning method. */
export type RecordLoop = (n: number, ...args: (number | TypedArray)[]) => void;

export interface CompiledCall extends RecordLoopSource {
  readonly method: string;
  readonly argTypes: readonly DType[];
  /** dtype of the results, or undefined for a void method. */
  readonly outType: DType | undefined;
  /** The factory's source (see `emit.ts`). */
  readonly source: string;
  /** Helper functions in the source and the members they compile (`f1` → `Particle.speed (getter)`). */
  readonly helpers: readonly { readonly name: string; readonly label: string }[];
  /** The loop over one record array's columns. */
  instantiate(columns: readonly TypedArray[]): RecordLoop;
}

export class ClassCompiler {
  private readonly cache = new SpecCache<string, CompiledCall>();

  constructor(private readonly model: ClassModel) {}

  /**
   * Checks `.call(method, ...args)` and returns the compiled loop and the argument values
   * as the loop takes them (booleans as 0/1).
   */
  prepare(method: unknown, args: readonly unknown[]): { call: CompiledCall; values: number[] } {
    const model = this.model;
    const member = typeof method === 'string' ? model.members.get(method) : undefined;
    if (!member?.method) {
      const what = member ? `'${member.name}' is an accessor, not a method` : 'no such method';
      throw new TypeError(
        `${model.name} has no method ${describe(method)} (${what}); methods: ${model.methodNames.join(', ') || '(none)'}`,
      );
    }
    const arity = memberKernel(model, member, 'method').parsed.params.length;
    if (args.length !== arity) {
      throw new TypeError(
        `${model.name}.${member.name} takes ${arity} argument(s), got ${args.length}`,
      );
    }
    const values = new Array<number>(args.length);
    const types = new Array<DType>(args.length);
    for (let k = 0; k < args.length; k++) {
      const v = args[k];
      if (typeof v === 'number') {
        values[k] = v;
        types[k] = 'float64';
      } else if (typeof v === 'boolean') {
        values[k] = v ? 1 : 0;
        types[k] = 'bool';
      } else {
        throw new TypeError(
          `argument ${k + 1} of ${model.name}.${member.name} must be a number or boolean; got ${describe(v)}`,
        );
      }
    }
    const key = `${member.name}(${types.join(',')})`;
    const call = this.cache.get(key, () => this.compile(member.name, types));
    return { call, values };
  }

  private compile(method: string, argTypes: DType[]): CompiledCall {
    const member = this.model.members.get(method)!;
    const unit = new Unit(this.model);
    const top = unit.compile(member, 'method', argTypes, (msg) => {
      throw new CompileError(msg);
    });
    const helpers = reachableHelpers(top.typed!.body).filter((h) => h !== top);
    const columns = usedColumns(top.typed!.body, helpers);
    const { source, outType } = loopSource(top, helpers, columns);
    let factory: (H: Helpers, C: readonly TypedArray[]) => RecordLoop;
    try {
      factory = compileGenerated('H', 'C', source) as typeof factory;
    } catch (e) {
      if (e instanceof EvalError) throw e; // the page refuses new Function (core/codegen.ts)
      throw new Error(`internal: generated code for ${this.model.name}.${method} does not parse`, {
        cause: e,
      });
    }
    return {
      method,
      argTypes,
      outType,
      source,
      helpers: helpers.map((h) => ({
        name: h.name,
        label: h.mk.kind === 'get' ? h.mk.label : `${h.mk.label}(${h.paramTypes.join(', ')})`,
      })),
      instantiate: (columns) => factory(HELPERS, columns),
    };
  }

  /** `inspect`'s text: a legend of columns and helpers, then the factory source. */
  describe(call: CompiledCall): string {
    const m = this.model;
    const legend = m.fields.map((f) => `//   c${f.col} = ${f.name} (${f.dtype})`);
    return [
      `// ${m.name}.${call.method}(${call.argTypes.join(', ')}) -> ${call.outType ?? 'void'}`,
      '// columns:',
      ...legend,
      ...(call.helpers.length ? ['// helpers:'] : []),
      ...call.helpers.map((h) => `//   ${h.name} = ${h.label}`),
      call.source,
    ].join('\n');
  }
}

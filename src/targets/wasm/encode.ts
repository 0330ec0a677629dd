/**
 * A small WebAssembly binary emitter: one module with imported memory and functions, and
 * exported functions whose bodies are written instruction by instruction. Every
 * instruction is recorded with its mnemonic too, so `inspect()` can show the module as
 * text. Only what the numbats lowerings use is here (MVP, sign-extension, saturating
 * conversions and the fixed-width SIMD proposal).
 */

const UTF8 = new TextEncoder();
const INDENT = Array.from({ length: 16 }, (_, i) => '  '.repeat(i));

/** Value types. */
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Opcodes of single-byte (and 0xfc/0xfd-prefixed) instructions, by mnemonic. */
const OPS: Record<string, number[]> = {
  unreachable: [0x00],
  nop: [0x01],
  else: [0x05],
  end: [0x0b],
  return: [0x0f],
  drop: [0x1a],
  select: [0x1b],
  'i32.eqz': [0x45],
  'i32.eq': [0x46],
  'i32.ne': [0x47],
  'i32.lt_s': [0x48],
  'i32.lt_u': [0x49],
  'i32.gt_s': [0x4a],
  'i32.gt_u': [0x4b],
  'i32.le_s': [0x4c],
  'i32.le_u': [0x4d],
  'i32.ge_s': [0x4e],
  'i32.ge_u': [0x4f],
  'f32.eq': [0x5b],
  'f32.ne': [0x5c],
  'f32.lt': [0x5d],
  'f32.gt': [0x5e],
  'f32.le': [0x5f],
  'f32.ge': [0x60],
  'f64.eq': [0x61],
  'f64.ne': [0x62],
  'f64.lt': [0x63],
  'f64.gt': [0x64],
  'f64.le': [0x65],
  'f64.ge': [0x66],
  'i64.eqz': [0x50],
  'i64.eq': [0x51],
  'i64.ne': [0x52],
  'i64.lt_s': [0x53],
  'i64.lt_u': [0x54],
  'i64.gt_s': [0x55],
  'i64.gt_u': [0x56],
  'i64.le_s': [0x57],
  'i64.ge_s': [0x59],
  'i64.add': [0x7c],
  'i64.sub': [0x7d],
  'i64.mul': [0x7e],
  'i64.shl': [0x86],
  'i64.extend_i32_s': [0xac],
  'i64.extend_i32_u': [0xad],
  'f64.convert_i64_s': [0xb9],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.mul': [0x6c],
  'i32.rem_s': [0x6f],
  'i32.rem_u': [0x70],
  'i32.and': [0x71],
  'i32.or': [0x72],
  'i32.xor': [0x73],
  'i32.shl': [0x74],
  'i32.shr_s': [0x75],
  'i32.shr_u': [0x76],
  'f32.abs': [0x8b],
  'f32.neg': [0x8c],
  'f32.ceil': [0x8d],
  'f32.floor': [0x8e],
  'f32.trunc': [0x8f],
  'f32.sqrt': [0x91],
  'f32.add': [0x92],
  'f32.sub': [0x93],
  'f32.mul': [0x94],
  'f32.div': [0x95],
  'f32.min': [0x96],
  'f32.max': [0x97],
  'f64.abs': [0x99],
  'f64.neg': [0x9a],
  'f64.ceil': [0x9b],
  'f64.floor': [0x9c],
  'f64.trunc': [0x9d],
  'f64.sqrt': [0x9f],
  'f64.add': [0xa0],
  'f64.sub': [0xa1],
  'f64.mul': [0xa2],
  'f64.div': [0xa3],
  'f64.min': [0xa4],
  'f64.max': [0xa5],
  'i32.wrap_i64': [0xa7],
  'i64.trunc_f64_s': [0xb0],
  'f32.convert_i32_s': [0xb2],
  'f32.convert_i32_u': [0xb3],
  'f32.demote_f64': [0xb6],
  'f64.convert_i32_s': [0xb7],
  'f64.convert_i32_u': [0xb8],
  'f64.promote_f32': [0xbb],
  'i32.extend8_s': [0xc0],
  'i32.extend16_s': [0xc1],
  // SIMD (0xfd prefix; opcodes are LEB128 u32 after the prefix)
  'v128.not': [0xfd, 77],
  'v128.and': [0xfd, 78],
  'v128.or': [0xfd, 80],
  'v128.xor': [0xfd, 81],
  'v128.bitselect': [0xfd, 82],
  'i8x16.splat': [0xfd, 15],
  'i16x8.splat': [0xfd, 16],
  'i32x4.splat': [0xfd, 17],
  'f32x4.splat': [0xfd, 19],
  'f64x2.splat': [0xfd, 20],
  'i8x16.eq': [0xfd, 35],
  'i8x16.ne': [0xfd, 36],
  'i8x16.lt_s': [0xfd, 37],
  'i8x16.lt_u': [0xfd, 38],
  'i8x16.gt_s': [0xfd, 39],
  'i8x16.gt_u': [0xfd, 40],
  'i8x16.le_s': [0xfd, 41],
  'i8x16.le_u': [0xfd, 42],
  'i8x16.ge_s': [0xfd, 43],
  'i8x16.ge_u': [0xfd, 44],
  'i16x8.eq': [0xfd, 45],
  'i16x8.ne': [0xfd, 46],
  'i16x8.lt_s': [0xfd, 47],
  'i16x8.lt_u': [0xfd, 48],
  'i16x8.gt_s': [0xfd, 49],
  'i16x8.gt_u': [0xfd, 50],
  'i16x8.le_s': [0xfd, 51],
  'i16x8.le_u': [0xfd, 52],
  'i16x8.ge_s': [0xfd, 53],
  'i16x8.ge_u': [0xfd, 54],
  'i32x4.eq': [0xfd, 55],
  'i32x4.ne': [0xfd, 56],
  'i32x4.lt_s': [0xfd, 57],
  'i32x4.lt_u': [0xfd, 58],
  'i32x4.gt_s': [0xfd, 59],
  'i32x4.gt_u': [0xfd, 60],
  'i32x4.le_s': [0xfd, 61],
  'i32x4.le_u': [0xfd, 62],
  'i32x4.ge_s': [0xfd, 63],
  'i32x4.ge_u': [0xfd, 64],
  'f32x4.eq': [0xfd, 65],
  'f32x4.ne': [0xfd, 66],
  'f32x4.lt': [0xfd, 67],
  'f32x4.gt': [0xfd, 68],
  'f32x4.le': [0xfd, 69],
  'f32x4.ge': [0xfd, 70],
  'f64x2.eq': [0xfd, 71],
  'f64x2.ne': [0xfd, 72],
  'f64x2.lt': [0xfd, 73],
  'f64x2.gt': [0xfd, 74],
  'f64x2.le': [0xfd, 75],
  'f64x2.ge': [0xfd, 76],
  'i8x16.abs': [0xfd, 96],
  'i8x16.neg': [0xfd, 97],
  'i8x16.shl': [0xfd, 107],
  'i8x16.shr_s': [0xfd, 108],
  'i8x16.shr_u': [0xfd, 109],
  'i8x16.add': [0xfd, 110],
  'i8x16.sub': [0xfd, 113],
  'i8x16.min_s': [0xfd, 118],
  'i8x16.min_u': [0xfd, 119],
  'i8x16.max_s': [0xfd, 120],
  'i8x16.max_u': [0xfd, 121],
  'i16x8.abs': [0xfd, 128],
  'i16x8.neg': [0xfd, 129],
  'i16x8.shl': [0xfd, 139],
  'i16x8.shr_s': [0xfd, 140],
  'i16x8.shr_u': [0xfd, 141],
  'i16x8.add': [0xfd, 142],
  'i16x8.sub': [0xfd, 145],
  'i16x8.mul': [0xfd, 149],
  'i16x8.extmul_low_i8x16_s': [0xfd, 156],
  'i16x8.extmul_high_i8x16_s': [0xfd, 157],
  'i16x8.extmul_low_i8x16_u': [0xfd, 158],
  'i16x8.extmul_high_i8x16_u': [0xfd, 159],
  'i16x8.min_s': [0xfd, 150],
  'i16x8.min_u': [0xfd, 151],
  'i16x8.max_s': [0xfd, 152],
  'i16x8.max_u': [0xfd, 153],
  'i32x4.abs': [0xfd, 160],
  'i32x4.neg': [0xfd, 161],
  'i32x4.shl': [0xfd, 171],
  'i32x4.shr_s': [0xfd, 172],
  'i32x4.shr_u': [0xfd, 173],
  'i32x4.add': [0xfd, 174],
  'i32x4.sub': [0xfd, 177],
  'i32x4.mul': [0xfd, 181],
  'i32x4.min_s': [0xfd, 182],
  'i32x4.min_u': [0xfd, 183],
  'i32x4.max_s': [0xfd, 184],
  'i32x4.max_u': [0xfd, 185],
  'f32x4.ceil': [0xfd, 103],
  'f32x4.floor': [0xfd, 104],
  'f32x4.trunc': [0xfd, 105],
  'f64x2.ceil': [0xfd, 116],
  'f64x2.floor': [0xfd, 117],
  'f64x2.trunc': [0xfd, 122],
  'f32x4.abs': [0xfd, 224],
  'f32x4.neg': [0xfd, 225],
  'f32x4.sqrt': [0xfd, 227],
  'f32x4.add': [0xfd, 228],
  'f32x4.sub': [0xfd, 229],
  'f32x4.mul': [0xfd, 230],
  'f32x4.div': [0xfd, 231],
  'f32x4.min': [0xfd, 232],
  'f32x4.max': [0xfd, 233],
  'f64x2.abs': [0xfd, 236],
  'f64x2.neg': [0xfd, 237],
  'f64x2.sqrt': [0xfd, 239],
  'f64x2.add': [0xfd, 240],
  'f64x2.sub': [0xfd, 241],
  'f64x2.mul': [0xfd, 242],
  'f64x2.div': [0xfd, 243],
  'f64x2.min': [0xfd, 244],
  'f64x2.max': [0xfd, 245],
};

/** Lane instructions (0xfd prefix, then a lane index byte). */
const LANE_OPS: Record<string, number> = {
  'i8x16.extract_lane_s': 21,
  'i8x16.extract_lane_u': 22,
  'i16x8.extract_lane_s': 24,
  'i16x8.extract_lane_u': 25,
  'i32x4.extract_lane': 27,
  'f32x4.extract_lane': 31,
  'f64x2.extract_lane': 33,
};

/** Memory instructions: opcode and natural alignment (log2 bytes). */
const MEM_OPS: Record<string, [number[], number]> = {
  'i32.load': [[0x28], 2],
  'i64.load': [[0x29], 3],
  'f32.load': [[0x2a], 2],
  'f64.load': [[0x2b], 3],
  'i32.load8_s': [[0x2c], 0],
  'i32.load8_u': [[0x2d], 0],
  'i32.load16_s': [[0x2e], 1],
  'i32.load16_u': [[0x2f], 1],
  'i32.store': [[0x36], 2],
  'f32.store': [[0x38], 2],
  'f64.store': [[0x39], 3],
  'i32.store8': [[0x3a], 0],
  'i32.store16': [[0x3b], 1],
  'v128.load': [[0xfd, 0], 4],
  'v128.store': [[0xfd, 11], 4],
};

function uleb(out: number[], v: number): void {
  let x = v >>> 0;
  if (v > 0xffffffff || v < 0) throw new Error(`internal: uleb of ${v}`);
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x !== 0) b |= 0x80;
    out.push(b);
  } while (x !== 0);
}

function sleb(out: number[], v: number): void {
  // v is an i32 (the only signed immediates the lowerings emit).
  let x = v | 0;
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Signed LEB128 of a safe integer (beyond i32: i64 constants), with number arithmetic. */
function sleb53(out: number[], v: number): void {
  let x = v;
  for (;;) {
    const q = Math.floor(x / 128);
    const b = x - q * 128;
    x = q;
    if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

const F64 = new Float64Array(1);
const F64B = new Uint8Array(F64.buffer);
const F32 = new Float32Array(1);
const F32B = new Uint8Array(F32.buffer);

/** A function body under construction: locals and instructions, binary and text side by side. */
export class FuncBuilder {
  readonly code: number[] = [];
  /** The instructions as text: (indent, mnemonic and immediates) pairs. */
  readonly text: string[] = [];
  private readonly locals: ValType[] = [];
  private depth = 1;

  constructor(
    readonly name: string,
    readonly params: readonly ValType[],
    readonly results: readonly ValType[],
  ) {}

  /** A new local of type `t`; returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }

  private line(s: string): void {
    this.text.push(INDENT[this.depth] ?? '  '.repeat(this.depth), s);
  }

  /** A plain instruction by mnemonic. */
  op(name: string): this {
    const bytes = OPS[name];
    if (!bytes) throw new Error(`internal: unknown wasm instruction ${name}`);
    if (bytes[0] === 0xfd) {
      this.code.push(0xfd);
      uleb(this.code, bytes[1]);
    } else this.code.push(...bytes);
    if (name === 'end' || name === 'else') this.depth--;
    this.line(name);
    if (name === 'else') this.depth++;
    return this;
  }

  /** A memory access at `offset` bytes from the address on the stack. */
  mem(name: string, offset = 0, align?: number): this {
    const m = MEM_OPS[name];
    if (!m) throw new Error(`internal: unknown wasm memory instruction ${name}`);
    const [bytes, natural] = m;
    if (bytes[0] === 0xfd) {
      this.code.push(0xfd);
      uleb(this.code, bytes[1]);
    } else this.code.push(...bytes);
    const a = align ?? natural;
    uleb(this.code, a);
    uleb(this.code, offset);
    this.line(
      `${name}${offset ? ` offset=${offset}` : ''}${a !== natural ? ` align=${2 ** a}` : ''}`,
    );
    return this;
  }

  /** A SIMD lane instruction with its lane index immediate (extract_lane). */
  lane(name: string, index: number): this {
    const code = LANE_OPS[name];
    if (code === undefined) throw new Error(`internal: unknown lane instruction ${name}`);
    this.code.push(0xfd);
    uleb(this.code, code);
    this.code.push(index);
    this.line(`${name} ${index}`);
    return this;
  }

  /**
   * `i8x16.shuffle`: byte k of the result is byte `lanes[k]` of the two vectors on the stack
   * (0–15 the first, 16–31 the second).
   */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((x) => !(x >= 0 && x < 32 && Number.isInteger(x))))
      throw new Error(`internal: i8x16.shuffle lanes ${lanes.join(' ')}`);
    this.code.push(0xfd);
    uleb(this.code, 13);
    this.code.push(...lanes);
    this.line(`i8x16.shuffle ${lanes.join(' ')}`);
    return this;
  }

  i32(v: number): this {
    this.code.push(0x41);
    sleb(this.code, v | 0);
    this.line(`i32.const ${v | 0}`);
    return this;
  }

  /** An i64 constant: any integer a double holds exactly (|v| <= 2^53). */
  i64(v: number): this {
    if (!Number.isSafeInteger(v)) throw new Error(`internal: i64 constant ${v}`);
    this.code.push(0x42);
    sleb53(this.code, v);
    this.line(`i64.const ${v}`);
    return this;
  }

  f64(v: number): this {
    this.code.push(0x44);
    F64[0] = v;
    this.code.push(...F64B);
    this.line(`f64.const ${Object.is(v, -0) ? '-0' : String(v)}`);
    return this;
  }

  f32(v: number): this {
    this.code.push(0x43);
    F32[0] = v;
    this.code.push(...F32B);
    this.line(`f32.const ${Object.is(v, -0) ? '-0' : String(v)}`);
    return this;
  }

  get(i: number): this {
    this.code.push(0x20);
    uleb(this.code, i);
    this.line(`local.get ${i}`);
    return this;
  }

  set(i: number): this {
    this.code.push(0x21);
    uleb(this.code, i);
    this.line(`local.set ${i}`);
    return this;
  }

  tee(i: number): this {
    this.code.push(0x22);
    uleb(this.code, i);
    this.line(`local.tee ${i}`);
    return this;
  }

  call(fn: number, label: string): this {
    this.code.push(0x10);
    uleb(this.code, fn);
    this.line(`call ${fn} ;; ${label}`);
    return this;
  }

  /** `block`, `loop` or `if`, with an optional result type. */
  open(kind: 'block' | 'loop' | 'if', result?: ValType): this {
    this.code.push(kind === 'block' ? 0x02 : kind === 'loop' ? 0x03 : 0x04);
    this.code.push(result ? VALTYPE[result] : 0x40);
    this.line(`${kind}${result ? ` (result ${result})` : ''}`);
    this.depth++;
    return this;
  }

  br(depth: number): this {
    this.code.push(0x0c);
    uleb(this.code, depth);
    this.line(`br ${depth}`);
    return this;
  }

  brIf(depth: number): this {
    this.code.push(0x0d);
    uleb(this.code, depth);
    this.line(`br_if ${depth}`);
    return this;
  }

  /** The current end of the code (at the function's top level), for {@link insertAt}. */
  mark(): { readonly code: number; readonly text: number } {
    if (this.depth !== 1) throw new Error('internal: a mark inside a block');
    return { code: this.code.length, text: this.text.length };
  }

  /**
   * Inserts, at a mark, the instructions `emit` writes into a scratch builder (they may use
   * this function's locals, not open blocks): code hoisted in front of a loop once the
   * loop's body has said what it needs.
   */
  insertAt(m: { readonly code: number; readonly text: number }, emit: (g: FuncBuilder) => void) {
    const g = new FuncBuilder(this.name, this.params, this.results);
    emit(g);
    if (g.depth !== 1 || g.locals.length) throw new Error('internal: inserted code opens blocks');
    this.code.splice(m.code, 0, ...g.code);
    this.text.splice(m.text, 0, ...g.text);
  }

  /** The function body's bytes (locals, code, final `end`). */
  body(): number[] {
    const out: number[] = [];
    // Run-length groups of locals.
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const g = groups[groups.length - 1];
      if (g && g[1] === t) g[0]++;
      else groups.push([1, t]);
    }
    uleb(out, groups.length);
    for (const [n, t] of groups) {
      uleb(out, n);
      out.push(VALTYPE[t]);
    }
    for (let i = 0; i < this.code.length; i++) out.push(this.code[i]);
    out.push(0x0b);
    const size: number[] = [];
    uleb(size, out.length);
    return [...size, ...out];
  }

  localTypes(): readonly ValType[] {
    return this.locals;
  }
}

/** An imported function. */
export interface FuncImport {
  readonly module: string;
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

function str(out: number[], s: string): void {
  const b = UTF8.encode(s);
  uleb(out, b.length);
  out.push(...b);
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  uleb(out, content.length);
  for (let i = 0; i < content.length; i++) out.push(content[i]);
}

function funcType(out: number[], params: readonly ValType[], results: readonly ValType[]): void {
  out.push(0x60);
  uleb(out, params.length);
  for (const p of params) out.push(VALTYPE[p]);
  uleb(out, results.length);
  for (const r of results) out.push(VALTYPE[r]);
}

/**
 * A module: imports `env.memory` (shared, `maxPages`), the given functions, and defines and
 * exports `funcs` (function index = imports first, then funcs in order).
 */
export function encodeModule(
  imports: readonly FuncImport[],
  funcs: readonly FuncBuilder[],
  maxPages: number,
): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  const sigs = [...imports, ...funcs];
  uleb(types, sigs.length);
  for (const s of sigs) funcType(types, s.params, s.results);
  section(out, 1, types);
  const imp: number[] = [];
  uleb(imp, imports.length + 1);
  str(imp, 'env');
  str(imp, 'memory');
  imp.push(0x02, 0x03); // memory, limits: shared with a maximum
  uleb(imp, 1);
  uleb(imp, maxPages);
  imports.forEach((f, i) => {
    str(imp, f.module);
    str(imp, f.name);
    imp.push(0x00);
    uleb(imp, i);
  });
  section(out, 2, imp);
  const fsec: number[] = [];
  uleb(fsec, funcs.length);
  for (let i = 0; i < funcs.length; i++) uleb(fsec, imports.length + i);
  section(out, 3, fsec);
  const exp: number[] = [];
  uleb(exp, funcs.length);
  funcs.forEach((f, i) => {
    str(exp, f.name);
    exp.push(0x00);
    uleb(exp, imports.length + i);
  });
  section(out, 7, exp);
  const code: number[] = [];
  uleb(code, funcs.length);
  for (const f of funcs) for (const b of f.body()) code.push(b);
  section(out, 10, code);
  return new Uint8Array(out);
}

/** The module as text (for `inspect`): imports, then each function's instructions. */
export function moduleText(imports: readonly FuncImport[], funcs: readonly FuncBuilder[]): string {
  const lines = ['(module', '  (import "env" "memory" (memory shared))'];
  imports.forEach((f, i) => {
    lines.push(
      `  (import "${f.module}" "${f.name}" (func ${i} (param ${f.params.join(' ')}) (result ${f.results.join(' ')})))`,
    );
  });
  funcs.forEach((f, i) => {
    lines.push(
      `  (func ${imports.length + i} (export "${f.name}") (param ${f.params.join(' ')})${f.results.length ? ` (result ${f.results.join(' ')})` : ''}`,
    );
    if (f.localTypes().length) lines.push(`    (local ${f.localTypes().join(' ')})`);
    // `text` holds (indent, instruction) pairs.
    for (let i = 0; i < f.text.length; i += 2) lines.push(`  ${f.text[i]}${f.text[i + 1]}`);
    lines.push('  )');
  });
  lines.push(')');
  return lines.join('\n');
}

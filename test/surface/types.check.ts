import { asarray, type NdArray, vectorize, zeros } from '../../src/index.js';

type Eq<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const yes = <T extends true>(_?: T) => {};
const add = vectorize((a: number, b: number) => a + b);
const sd = vectorize((a: number, b: number): [number, number] => [a + b, a - b]);
const r1 = add(asarray([1]), 2);
yes<Eq<typeof r1, NdArray>>();
const r2 = add(1, 2);
yes<Eq<typeof r2, number>>();
const r3 = add([1, 2], 2, { dtype: 'float32' });
yes<Eq<typeof r3, NdArray>>();
const r4 = add(1, 2, { out: zeros([]) });
yes<Eq<typeof r4, NdArray>>();
const r5 = sd(asarray([1]), 1);
yes<Eq<typeof r5, [NdArray, NdArray]>>();
const r6 = sd(1, 1);
yes<Eq<typeof r6, [number, number]>>();
const r7 = add.outer([1], [2]);
yes<Eq<typeof r7, NdArray>>();
const p = add.async(asarray([1]), 1);
yes<Eq<typeof p, Promise<NdArray>>>();
const u: number | NdArray = 3 as number | NdArray;
const r8 = add(u, 1);
yes<Eq<typeof r8, NdArray | number>>();

import { guvectorize, stencil, type View } from '../../src/index.js';

const rowDot = guvectorize((x: View, y: View) => x.get(0) * y.get(0), '(n),(n)->()');
const g1 = rowDot(asarray([[1]]), [1]);
yes<Eq<typeof g1, NdArray>>();
const mm = guvectorize((x: View, lo: View, hi: View) => {
  lo.set(x.get(0));
  hi.set(x.get(0));
}, '(n)->(),()');
const [lo, hi] = mm(asarray([1]));
yes<Eq<typeof lo, NdArray>>();
yes<Eq<typeof hi, NdArray>>();
const sc = guvectorize((x: number) => x, '()->()');
const g2 = sc(2);
yes<Eq<typeof g2, number>>();
const lap = stencil((u: (i: number) => number) => u(-1) + u(1));
const s1 = lap(asarray([1, 2, 3]));
yes<Eq<typeof s1, NdArray>>();

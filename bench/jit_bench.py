"""Numba side of the jit workloads in `npm run bench` (medians, ms).

Prints one JSON object on its last line: {"jitGoFast4.Numba": ms, ...}. The programs are
the ones of examples/jit/tutorials.ts, compiled with @njit (warm: compiled before timing),
on inputs of the same sizes; the first-call row compiles a fresh dispatcher each sample
(a warm process: Numba itself is already imported). Needs numba; prints {} without it.
"""
import json
import math
import sys
import time

import numpy as np
from pytiming import med


def go_fast_py(a):
    trace = 0.0
    for i in range(a.shape[0]):
        trace += np.tanh(a[i])
    out = np.empty(a.shape, np.float64)
    for i in range(a.shape[0]):
        out[i] = a[i] + trace
    return out


def matmul_py(A, B, C):
    m, n = A.shape
    p = B.shape[1]
    for i in range(m):
        for j in range(p):
            s = 0.0
            for k in range(n):
                s += A[i, k] * B[k, j]
            C[i, j] = s


def pi_py(samples, seed):
    s = seed
    inside = 0
    for i in range(samples):
        s = (s * 1664525 + 1013904223) % 4294967296
        x = (s / 4294967296) * 2 - 1
        s = (s * 1664525 + 1013904223) % 4294967296
        y = (s / 4294967296) * 2 - 1
        if x * x + y * y < 1:
            inside += 1
    return 4 * inside / samples


def closest_py(points):
    n = points.shape[0]
    best = 999999.0
    bi = 0
    bj = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx = points[i, 0] - points[j, 0]
            dy = points[i, 1] - points[j, 1]
            d2 = dx * dx + dy * dy
            if d2 < best:
                best = d2
                bi = i
                bj = j
    return points[bi].copy(), points[bj].copy(), math.sqrt(best)


def life_py(a, out):
    n, m = a.shape
    alive = 0
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            c = (a[i - 1, j - 1] + a[i - 1, j] + a[i - 1, j + 1] + a[i, j - 1] + a[i, j + 1]
                 + a[i + 1, j - 1] + a[i + 1, j] + a[i + 1, j + 1])
            v = 1 if c == 3 or (c == 2 and a[i, j] == 1) else 0
            out[i, j] = v
            alive += v
    return alive


def psum_py(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s


def tanh_trace_py(a):
    trace = 0.0
    for i in prange(a.shape[0]):
        trace += np.tanh(a[i])
    return trace


def pmatmul_py(A, B, C):
    n = A.shape[0]
    p = B.shape[1]
    m = A.shape[1]
    for i in prange(n):
        for j in prange(p):
            tmp = 0.0
            for k in prange(m):
                tmp += A[i, k] * B[k, j]
            C[i, j] = tmp


def prow_means_py(a):
    n, m = a.shape
    res = np.zeros(n)
    for i in prange(n):
        s = 0.0
        for j in range(m):
            s += a[i, j] * a[i, j]
        res[i] = s / m
    return res


def pclosest_py(points):
    n = points.shape[0]
    best = np.zeros(n)
    partner = np.zeros(n, np.int32)
    for i in prange(n):
        d = np.inf
        k = -1
        for j in range(i + 1, n):
            dx = points[i, 0] - points[j, 0]
            dy = points[i, 1] - points[j, 1]
            d2 = dx * dx + dy * dy
            if d2 < d:
                d = d2
                k = j
        best[i] = d
        partner[i] = k
    bi = 0
    for i in range(1, n):
        if best[i] < best[bi]:
            bi = i
    bj = partner[bi]
    return points[bi].copy(), points[bj].copy(), math.sqrt(best[bi])


def prange(*args):
    # Replaced by numba.prange in main(); a plain range for the pure-Python reading.
    return range(*args)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    try:
        from numba import njit
    except ImportError:
        print(json.dumps({}))
        return
    rng = np.random.default_rng(1)
    r = {}
    go_fast = njit(go_fast_py)
    for key, n in (('jitGoFast4', 10_000), ('jitGoFast6', 1_000_000)):
        a = rng.random(n)
        r[f'{key}.Numba'] = med(lambda: go_fast(a), rounds, warmup=2)
    N = 512
    A, B, C = rng.random((N, N)), rng.random((N, N)), np.zeros((N, N))
    mm = njit(matmul_py)
    r['jitMatmul.Numba'] = med(lambda: mm(A, B, C), rounds, warmup=1)
    pi = njit(pi_py)
    r['jitPi.Numba'] = med(lambda: pi(10_000_000, 12345), rounds, warmup=1)
    pts = rng.random((4000, 2))
    cl = njit(closest_py)
    r['jitClosest.Numba'] = med(lambda: cl(pts), rounds, warmup=1)
    board = (rng.random((2048, 2048)) < 0.3).astype(np.uint8)
    out = np.zeros_like(board)
    lf = njit(life_py)
    r['jitLife.Numba'] = med(lambda: lf(board, out), rounds, warmup=1)
    # prange rows: @njit(parallel=True), the same programs as examples/jit/prange.ts.
    import numba
    g = globals()
    g['prange'] = numba.prange
    x = rng.random(10_000_000)
    ps = njit(parallel=True, fastmath=True)(psum_py)
    r['prangeSum.Numba'] = med(lambda: ps(x), rounds, warmup=1)
    tt = njit(parallel=True, fastmath=True)(tanh_trace_py)
    r['prangeTanh.Numba'] = med(lambda: tt(x), rounds, warmup=1)
    pm = njit(parallel=True)(pmatmul_py)
    r['prangeMatmul.Numba'] = med(lambda: pm(A, B, C), rounds, warmup=1)
    pc = njit(parallel=True)(pclosest_py)
    r['prangeClosest.Numba'] = med(lambda: pc(pts), rounds, warmup=1)
    rows = rng.random((100_000, 64))
    pr = njit(parallel=True)(prow_means_py)
    r['prangeRowMeans.Numba'] = med(lambda: pr(rows), rounds, warmup=1)
    a = rng.random(10_000)
    r['jitFirstCall.Numba'] = med(lambda: njit(go_fast_py)(a), 3, warmup=0)
    print(json.dumps(r))


if __name__ == '__main__':
    main()

"""Numba side of the jit-on-wasm rows in `npm run bench` (medians, ms).

Prints one JSON object on its last line: {"jitWasmSum.Numba": ms, ...}: the programs of
bench/jit-wasm.bench.ts compiled with @njit (warm), on inputs of the same sizes. Numba's
go_fast allocates its result (np.empty), as in the tutorial. Prints {} without numba.
"""
import json
import math
import sys

import numpy as np
from pytiming import med


def sum2d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def go_fast(a):
    trace = 0.0
    for i in range(a.shape[0]):
        trace += math.tanh(a[i])
    out = np.empty(a.shape, np.float64)
    for i in range(a.shape[0]):
        out[i] = a[i] + trace
    return out


def matmul(A, B, C):
    m, n = A.shape
    p = B.shape[1]
    for i in range(m):
        for j in range(p):
            s = 0.0
            for k in range(n):
                s += A[i, k] * B[k, j]
            C[i, j] = s


def laplacian(u, out):
    n, m = u.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4 * u[i, j]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    try:
        from numba import njit
    except ImportError:
        print(json.dumps({}))
        return
    rng = np.random.default_rng(1)
    r = {}
    big = rng.random((4000, 4000))
    f = njit(sum2d)
    r['jitWasmSum.Numba'] = med(lambda: f(big), rounds, warmup=1)
    x = rng.random(1_000_000)
    g = njit(go_fast)
    r['jitWasmGoFast6.Numba'] = med(lambda: g(x), rounds, warmup=2)
    N = 512
    A, B, C = rng.random((N, N)), rng.random((N, N)), np.zeros((N, N))
    mm = njit(matmul)
    r['jitWasmMatmul.Numba'] = med(lambda: mm(A, B, C), rounds, warmup=1)
    u = rng.random((4096, 4096))
    out = np.zeros_like(u)
    lp = njit(laplacian)
    r['jitWasmLaplacian.Numba'] = med(lambda: lp(u, out), rounds, warmup=1)
    print(json.dumps(r))


if __name__ == '__main__':
    main()

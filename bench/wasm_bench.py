"""NumPy side of the `wasm` bench suite: its workloads timed inside Python (medians, ms)."""
import json
import sys

import numpy as np
from pytiming import med

try:
    from numba import njit
except ImportError:  # NumPy figures only
    njit = None


def life_numpy(a, out):
    """One Life step over the interior with NumPy slicing: eight shifted views summed."""
    n = (a[:-2, :-2] + a[:-2, 1:-1] + a[:-2, 2:] + a[1:-1, :-2] + a[1:-1, 2:]
         + a[2:, :-2] + a[2:, 1:-1] + a[2:, 2:])
    out[1:-1, 1:-1] = (n == 3) | ((a[1:-1, 1:-1] == 1) & (n == 2))


def numba_loops():
    """Plain @njit double loops over the interior (Numba's @stencil is slower than these)."""
    @njit(cache=False)
    def laplacian(u, out):
        for i in range(1, u.shape[0] - 1):
            for j in range(1, u.shape[1] - 1):
                out[i, j] = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]

    @njit(cache=False)
    def life(a, out):
        for i in range(1, a.shape[0] - 1):
            for j in range(1, a.shape[1] - 1):
                n = (a[i - 1, j - 1] + a[i - 1, j] + a[i - 1, j + 1] + a[i, j - 1] + a[i, j + 1]
                     + a[i + 1, j - 1] + a[i + 1, j] + a[i + 1, j + 1])
                out[i, j] = 1 if n == 3 or (n == 2 and a[i, j] == 1) else 0

    return laplacian, life


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    r = {}
    n = 10**7
    a = np.random.rand(n); b = np.random.rand(n); c = np.empty(n)
    r['heapAdd'] = med(lambda: np.add(a, b, out=c), rounds)
    m = np.random.rand(4000, 4000); o1 = np.empty(4000)
    r['heapSum0'] = med(lambda: np.add.reduce(m, axis=0, out=o1), rounds)
    r['heapSum1'] = med(lambda: np.add.reduce(m, axis=1, out=o1), rounds)
    r['heapSumAll'] = med(lambda: np.add.reduce(m, axis=None), rounds)
    g = 4096
    u = np.random.rand(g, g); lo = np.zeros_like(u)
    board = (np.random.rand(g, g) < 0.3).astype(np.uint8); bo = np.zeros_like(board)
    r['heapLifeNumPy'] = med(lambda: life_numpy(board, bo), rounds)
    if njit is not None:
        laplacian, life = numba_loops()
        r['heapLaplacianNumba'] = med(lambda: laplacian(u, lo), rounds)
        r['heapLifeNumba'] = med(lambda: life(board, bo), rounds)
    om = np.empty((4000, 4000))
    r['heapCumsum1'] = med(lambda: np.add.accumulate(m, axis=1, out=om), rounds)
    print(json.dumps(r))


if __name__ == '__main__':
    main()

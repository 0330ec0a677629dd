"""SciPy and Numba side of the stencil workloads in `npm run bench` (medians, ms).

Prints one JSON object on its last line: {"laplacian": {"SciPy": ms, "Numba": ms},
"life": {...}, "notes": [...]}. Numba is measured only when it imports.
"""
import json
import sys
import time

import numpy as np
from pytiming import med
import scipy.ndimage as ndi

N = 4096


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    r = {'laplacian': {}, 'life': {}, 'notes': []}
    rng = np.random.default_rng(0)
    u = rng.random((N, N))
    lap_out = np.empty_like(u)
    # The generic route a SciPy user takes for a 5-point stencil: correlate with its weights.
    w5 = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64)
    r['laplacian']['SciPy'] = med(
        lambda: ndi.correlate(u, w5, output=lap_out, mode='constant'), rounds)

    cells = (rng.random((N, N)) < 0.3).astype(np.uint8)
    w8 = np.ones((3, 3), dtype=np.uint8)
    w8[1, 1] = 0
    life_out = np.empty_like(cells)

    def scipy_life():
        n = ndi.correlate(cells, w8, mode='wrap')
        np.logical_or(n == 3, np.logical_and(n == 2, cells == 1), out=life_out.view(bool))

    r['life']['SciPy'] = med(scipy_life, rounds)

    try:
        import numba
    except ImportError:
        r['notes'].append('Numba not importable: not measured')
        print(json.dumps(r))
        return

    @numba.stencil
    def lap_kernel(a):
        return a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1] - 4 * a[0, 0]

    @numba.njit
    def numba_lap(a, out):
        lap_kernel(a, out=out)

    @numba.stencil
    def life_kernel(c):
        n = (c[-1, -1] + c[-1, 0] + c[-1, 1] + c[0, -1] + c[0, 1]
             + c[1, -1] + c[1, 0] + c[1, 1])
        # uint8 results: @stencil requires the kernel type to match out's dtype.
        return np.uint8(1) if n == 3 or (n == 2 and c[0, 0] == 1) else np.uint8(0)

    @numba.njit
    def numba_life(c, out):
        life_kernel(c, out=out)

    r['laplacian']['Numba'] = med(lambda: numba_lap(u, lap_out), rounds)
    r['life']['Numba'] = med(lambda: numba_life(cells, life_out), rounds)
    r['notes'].append("Numba's @stencil has no 'wrap' mode: its Life step skips the border")
    print(json.dumps(r))


if __name__ == '__main__':
    main()

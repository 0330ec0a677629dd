"""Numba side of bench/wasm-laplacian-ab.ts: the plain @njit loops of wasm_bench.py on 4096²
float64 (Laplacian) and uint8 (Life), medians in ms, one JSON object on the last line."""
import json
import sys

import numpy as np
from pytiming import med
from wasm_bench import numba_loops


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    g = 4096
    u = np.random.rand(g, g)
    lo = np.zeros_like(u)
    board = (np.random.rand(g, g) < 0.3).astype(np.uint8)
    bo = np.zeros_like(board)
    laplacian, life = numba_loops()
    print(json.dumps({'laplacian': med(lambda: laplacian(u, lo), rounds),
                      'life': med(lambda: life(board, bo), rounds)}))


if __name__ == '__main__':
    main()

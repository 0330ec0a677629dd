"""NumPy side of the guvectorize workloads in `npm run bench` (medians, ms).

Prints one JSON object whose keys are `<row key>:<peer>`, e.g. `rowdot:NumPy einsum`.
"""
import json
import sys
import time

import numpy as np
from pytiming import med


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    r = {}
    x = np.random.rand(100_000, 64)
    y = np.random.rand(100_000, 64)
    dots = np.empty(100_000)
    r['rowdot:NumPy einsum'] = med(lambda: np.einsum('ij,ij->i', x, y, out=dots), rounds)
    if hasattr(np, 'vecdot'):  # NumPy >= 2.0
        r['rowdot:NumPy vecdot'] = med(lambda: np.vecdot(x, y, out=dots), rounds)
    a = np.random.rand(100_000, 4, 4)
    b = np.random.rand(100_000, 4, 4)
    c = np.empty((100_000, 4, 4))
    r['matmul4:NumPy matmul'] = med(lambda: np.matmul(a, b, out=c), rounds)
    r['matmul4:NumPy einsum'] = med(lambda: np.einsum('nij,njk->nik', a, b, out=c), rounds)
    print(json.dumps(r))


if __name__ == '__main__':
    main()

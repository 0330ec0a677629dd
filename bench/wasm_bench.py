"""NumPy side of the `wasm` bench suite: its workloads timed inside Python (medians, ms)."""
import json
import sys

import numpy as np
from pytiming import med


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
    om = np.empty((4000, 4000))
    r['heapCumsum1'] = med(lambda: np.add.accumulate(m, axis=1, out=om), rounds)
    print(json.dumps(r))


if __name__ == '__main__':
    main()

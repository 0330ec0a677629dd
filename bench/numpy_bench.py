"""NumPy side of `npm run bench`: the same workloads, timed inside Python (medians, ms)."""
import json
import sys
import time

import numpy as np
from pytiming import med


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    r = {}
    n = 10**7
    a = np.random.rand(n); b = np.random.rand(n); c = np.empty(n)
    r['add'] = med(lambda: np.add(a, b, out=c), rounds)
    r['sincos'] = med(lambda: np.multiply(np.sin(a), np.cos(b), out=c), max(3, rounds // 2))
    x = np.random.rand(2000, 1); y = np.random.rand(1, 2000); o = np.empty((2000, 2000))
    r['broadcast'] = med(lambda: np.add(x, y, out=o), rounds)
    p = np.random.rand(2000, 2000); q = np.random.rand(2000, 2000)
    r['transposed'] = med(lambda: np.add(p.T, q, out=o), rounds)
    m = np.random.rand(4000, 4000); o1 = np.empty(4000)
    r['sum0'] = med(lambda: np.add.reduce(m, axis=0, out=o1), rounds)
    r['sum1'] = med(lambda: np.add.reduce(m, axis=1, out=o1), rounds)
    r['sumall'] = med(lambda: np.add.reduce(m, axis=None), rounds)
    om = np.empty((4000, 4000))
    r['cumsum1'] = med(lambda: np.add.accumulate(m, axis=1, out=om), rounds)
    d = np.random.rand(n); e = np.random.rand(n)
    r['fiveinput'] = med(lambda: np.subtract(a * b + c * d, e, out=c), rounds)
    s1 = np.random.rand(16); s2 = np.random.rand(16); s3 = np.empty(16)
    t0 = time.perf_counter(); k = 0
    while time.perf_counter() - t0 < 0.3:
        np.add(s1, s2, out=s3); k += 1
    r['small'] = (time.perf_counter() - t0) * 1e3 / k
    print(json.dumps(r))


if __name__ == '__main__':
    main()

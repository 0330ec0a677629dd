"""NumPy and Numba side of the jitclass workloads in `npm run bench` (medians, ms).

Prints one JSON object on its last line: {"jitStep.NumPy": ms, "jitStep.Numba": ms,
"jitFall.NumPy": ms, "jitFall.Numba": ms}. The Numba figures use a jitclass holding the
four columns, whose method loops over the records (Numba's struct-of-arrays idiom);
NumPy updates whole columns. Numba is measured only when it imports.
"""
import json
import sys
import time

import numpy as np
from pytiming import med

N = 1_000_000


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    i = np.arange(N, dtype=np.float64)
    x = i % 1000
    y = 1 + (i * 7) % 100
    vx = np.sin(i)
    vy = np.cos(i)
    dt, g = 1e-3, 9.81
    r = {}

    def np_step():
        x.__iadd__(vx * dt)
        y.__iadd__(vy * dt)

    def np_fall():
        vy.__isub__(g * dt)
        x.__iadd__(vx * dt)
        y.__iadd__(vy * dt)
        under = y < 0
        y[under] = -y[under]
        vy[under] = -0.9 * vy[under]

    r['jitStep.NumPy'] = med(np_step, rounds, warmup=2)
    r['jitFall.NumPy'] = med(np_fall, rounds, warmup=2)

    try:
        from numba import float64
        from numba.experimental import jitclass
    except ImportError:
        print(json.dumps(r))
        return

    @jitclass([('x', float64[:]), ('y', float64[:]), ('vx', float64[:]), ('vy', float64[:])])
    class Particles:
        def __init__(self, x, y, vx, vy):
            self.x = x
            self.y = y
            self.vx = vx
            self.vy = vy

        def step(self, dt):
            for k in range(self.x.shape[0]):
                self.x[k] += self.vx[k] * dt
                self.y[k] += self.vy[k] * dt

        def fall(self, dt, g):
            for k in range(self.x.shape[0]):
                self.vy[k] -= g * dt
                self.x[k] += self.vx[k] * dt
                self.y[k] += self.vy[k] * dt
                if self.y[k] < 0:
                    self.y[k] = -self.y[k]
                    self.vy[k] = -0.9 * self.vy[k]

    ps = Particles(x, y, vx, vy)
    r['jitStep.Numba'] = med(lambda: ps.step(dt), rounds, warmup=2)
    r['jitFall.Numba'] = med(lambda: ps.fall(dt, g), rounds, warmup=2)
    print(json.dumps(r))


if __name__ == '__main__':
    main()

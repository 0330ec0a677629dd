"""Numba side of the `parallel` workloads in `npm run bench` (medians, ms).

Prints one JSON object on its last line: {"<key>": {"Numba cpu": ms, "Numba parallel": ms}}.
Needs numba; exits with an error otherwise (the bench then reports the peer as missing).
"""
import json
import sys

import numpy as np
from numba import njit, stencil, vectorize
from pytiming import med


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    r = {}
    rng = np.random.default_rng(0)

    n = 10_000_000
    a = rng.random(n)
    b = rng.random(n)
    out = np.empty(n)
    sig = ['float64(float64, float64)']

    def sc(x, y):
        return np.sin(x) * np.cos(y)

    sc_cpu = vectorize(sig, target='cpu')(sc)
    sc_par = vectorize(sig, target='parallel')(sc)
    r['sincos'] = {
        'Numba cpu': med(lambda: sc_cpu(a, b, out=out), rounds),
        'Numba parallel': med(lambda: sc_par(a, b, out=out), rounds),
    }

    def mandel(cr, ci):
        zr = 0.0
        zi = 0.0
        k = 0
        while k < 100 and zr * zr + zi * zi <= 4.0:
            t = zr * zr - zi * zi + cr
            zi = 2.0 * zr * zi + ci
            zr = t
            k += 1
        return k

    m = 2048
    cr = np.linspace(-2.0, 0.6, m).reshape(1, m)
    ci = np.linspace(-1.3, 1.3, m).reshape(m, 1)
    mout = np.empty((m, m))
    msig = ['float64(float64, float64)']
    m_cpu = vectorize(msig, target='cpu')(mandel)
    m_par = vectorize(msig, target='parallel')(mandel)
    r['mandelbrot'] = {
        'Numba cpu': med(lambda: m_cpu(cr, ci, out=mout), rounds),
        'Numba parallel': med(lambda: m_par(cr, ci, out=mout), rounds),
    }

    @stencil
    def lap(u):
        return u[-1, 0] + u[1, 0] + u[0, -1] + u[0, 1] - 4.0 * u[0, 0]

    @njit
    def lap_cpu(u, o):
        return lap(u, out=o)

    @njit(parallel=True)
    def lap_par(u, o):
        return lap(u, out=o)

    u = rng.random((4096, 4096))
    lout = np.zeros_like(u)
    r['laplacian'] = {
        'Numba cpu': med(lambda: lap_cpu(u, lout), rounds),
        'Numba parallel': med(lambda: lap_par(u, lout), rounds),
    }
    print(json.dumps(r))


if __name__ == '__main__':
    main()

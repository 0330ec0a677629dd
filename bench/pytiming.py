"""Shared timing helper of the Python peers in `npm run bench`."""
import time


def med(f, rounds, warmup=1):
    """Median wall time of `f()` in milliseconds, after `warmup` untimed calls."""
    for _ in range(warmup):
        f()
    ts = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return ts[len(ts) // 2]

"""Golden values for numbats' seeded random helpers, from an independent Python port of
the generator (xoshiro128** seeded by SplitMix32) and of its transforms. Matching these
shows the streams are defined by integer and IEEE basic arithmetic alone — the reason they
are the same in Node and every browser. Run from the repository root:

    python3 test/core/golden/make_random_golden.py > test/core/golden/random.json
"""
import json
import math

M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Xoshiro128:
    def __init__(self, seed):
        lo = seed & M32
        hi = (seed >> 32) & M32
        self.a = lo

        def mix():
            self.a = (self.a + 0x9E3779B9) & M32
            t = self.a ^ (self.a >> 16)
            t = imul(t, 0x21F0AAAD)
            t ^= t >> 15
            t = imul(t, 0x735A2D97)
            return (t ^ (t >> 15)) & M32

        s0 = mix()
        s1 = mix()
        self.a ^= hi
        s2 = mix()
        s3 = mix()
        if (s0 | s1 | s2 | s3) == 0:
            s0 = 1
        self.s = [s0, s1, s2, s3]

    def next(self):
        s0, s1, s2, s3 = self.s
        r = imul(rotl(imul(s1, 5), 7), 9)
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return r

    def float64(self):
        a = self.next() >> 5
        b = self.next() >> 6
        return (a * 67108864.0 + b) / 9007199254740992.0

    def float32(self):
        return (self.next() >> 8) / 16777216.0


LN2_HI = 6.93147180369123816490e-1
LN2_LO = 1.90821492927058770002e-10
SQRT1_2 = math.sqrt(0.5)


def portable_log(x):
    m, e = x, 0
    while m < SQRT1_2:
        m *= 2
        e -= 1
    while m >= 2 * SQRT1_2:
        m /= 2
        e += 1
    s = (m - 1) / (m + 1)
    s2 = s * s
    acc = 0.0
    for k in range(23, 2, -2):
        acc = (acc + 1 / k) * s2
    logm = 2 * s + 2 * s * acc
    return e * LN2_HI + (logm + e * LN2_LO)


def normal(n, seed, loc, scale):
    g = Xoshiro128(seed)
    out = []
    while len(out) < n:
        while True:
            u = 2 * g.float64() - 1
            v = 2 * g.float64() - 1
            r = u * u + v * v
            if r < 1 and r != 0:
                break
        f = math.sqrt((-2 * portable_log(r)) / r)
        out.append(loc + scale * u * f)
        if len(out) < n:
            out.append(loc + scale * v * f)
    return out


def integers(low, high, n, seed):
    g = Xoshiro128(seed)
    rng = high - 1 - low + 1
    out = []
    if rng <= 2**32:
        limit = 2**32 - (2**32 % rng)
        for _ in range(n):
            u = g.next()
            while u >= limit:
                u = g.next()
            out.append(low + u % rng)
    else:
        limit = 2**53 - (2**53 % rng)
        for _ in range(n):
            while True:
                u = (g.next() >> 5) * 67108864 + (g.next() >> 6)
                if u < limit:
                    break
            out.append(low + u % rng)
    return out


def f32(x):
    import struct

    return struct.unpack("f", struct.pack("f", x))[0]


g = Xoshiro128(42)
g32 = Xoshiro128(42)
out = {
    "random": [g.float64() for _ in range(6)],
    "random32": [f32(g32.float32()) for _ in range(4)],
    "normal": normal(5, 7, 10, 2),
    "integers": integers(-3, 4, 8, 2**40 + 5),
    "wide": integers(0, 2**40, 3, 9),
    "zeroSeedFirst": Xoshiro128(0).next(),
}
print(json.dumps(out))

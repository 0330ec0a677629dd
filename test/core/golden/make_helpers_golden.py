"""Golden values for numbats' array helpers (arange, linspace, eye, reshape, ravel,
concatenate, stack, where), produced by NumPy. Run from the repository root:

    python3 test/core/golden/make_helpers_golden.py > test/core/golden/helpers.json

NumPy's int64 results are recorded as 'int64'; numbats gives int32 there when the values
fit (it has no int64), which test/core/creation.test.ts maps.
"""
import json

import numpy as np


def arr(a):
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "values": a.ravel().tolist()}


def view_case(base_shape, transform, new_shape):
    """A strided view of arange(size) and whether NumPy's reshape of it shares memory."""
    base = np.arange(int(np.prod(base_shape)), dtype=np.float64).reshape(base_shape)
    v = eval(transform, {"b": base, "np": np})
    r = v.reshape(new_shape)
    return {
        "base": list(base_shape),
        "transform": transform,
        "shape": list(new_shape),
        "view": bool(np.shares_memory(r, v)),
        "result": arr(r),
        "ravel_view": bool(np.shares_memory(v.ravel(), v)),
    }


out = {"numpy": np.__version__}
out["arange"] = [
    {"args": a, "result": arr(np.arange(*a))}
    for a in [[5], [2, 7], [0, 1, 0.1], [1, 2, 0.25], [10, 0, -3], [0.1, 0.5, 0.1], [5, 1], [-2.5, 2.5, 0.7]]
]
out["linspace"] = [
    {"args": [s, e, n], "endpoint": ep, "dtype": dt, "result": arr(np.linspace(s, e, n, endpoint=ep, dtype=dt))}
    for (s, e, n, ep, dt) in [
        (0, 1, 5, True, None), (0, 1, 5, False, None), (2, 3, 1, True, None), (2, 3, 0, True, None),
        (-1, 1, 5, True, "int32"), (0, 1, 7, True, None), (1e-3, 7.25, 9, True, None), (5, 5, 4, True, None),
        (0, 10, 4, False, "float32"), (3, -2, 6, True, None),
    ]
]
out["eye"] = [
    {"n": n, "m": m, "k": k, "result": arr(np.eye(n, m, k))}
    for (n, m, k) in [(3, None, 0), (2, 3, 1), (3, 2, -1), (4, 4, 5), (0, None, 0), (3, 5, -2)]
]
out["reshape"] = [
    view_case(b, t, s)
    for (b, t, s) in [
        ([12], "b", [3, 4]),
        ([3, 4], "b.T", [12]),
        ([3, 4], "b.T", [2, 2, 3]),
        ([3, 4], "b.T", [4, 3]),
        ([10], "b[::2]", [5, 1]),
        ([10], "b[::2]", [5]),
        ([4, 6], "b[:, 1:4]", [12]),
        ([4, 6], "b[:, 1:4]", [4, 3, 1]),
        ([4, 6], "b[1:3]", [3, 4]),
        ([2, 3, 4], "b.transpose(1, 0, 2)", [3, 8]),
        ([2, 3, 4], "b.transpose(1, 0, 2)", [6, 4]),
        ([2, 3, 4], "b[:, ::-1]", [6, 4]),
        ([2, 3, 4], "b[:, ::-1]", [2, 12]),
        ([6], "b[::-1]", [2, 3]),
        ([3, 1, 4], "b", [12]),
        ([3, 4], "b[:, :1]", [3]),
    ]
]
a23 = np.arange(6.0).reshape(2, 3)
b23 = np.arange(6, 12, dtype=np.int16).reshape(2, 3)
out["concatenate"] = [
    {"case": "axis0", "result": arr(np.concatenate([a23, b23]))},
    {"case": "axis1", "result": arr(np.concatenate([a23, b23], axis=1))},
    {"case": "axis-1", "result": arr(np.concatenate([a23, b23[:, :2]], axis=-1))},
    {"case": "axisNone", "result": arr(np.concatenate([a23, b23.T], axis=None))},
    {"case": "int8+uint8", "result": arr(np.concatenate([np.array([1, -2], np.int8), np.array([200], np.uint8)]))},
]
out["stack"] = [
    {"axis": ax, "result": arr(np.stack([a23, b23, a23 * 2], axis=ax))} for ax in [0, 1, 2, -1]
]
cond = np.array([[1.0, 0.0, np.nan], [-0.0, 2.0, 0.0]])
out["where"] = [
    {"case": "float cond, int8 vs 0", "result": arr(np.where(cond, np.arange(6, dtype=np.int8).reshape(2, 3), 0))},
    {"case": "bool cond, int8 vs float32", "result": arr(np.where(cond != 0, np.arange(3, dtype=np.int8), np.float32(0.5) * np.ones((2, 1), np.float32)))},
    {"case": "broadcast cond column, uint8 vs int16", "result": arr(np.where(np.array([[True], [False]]), np.arange(3, dtype=np.uint8), np.array([-1, -2, -3], np.int16)))},
    {"case": "scalar 1.5 vs int32", "result": arr(np.where(np.array([True, False]), 1.5, np.array([7, 8], np.int32)))},
]
print(json.dumps(out, indent=None, separators=(",", ":")))

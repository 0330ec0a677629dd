"""Reference values for test/examples/showcase.test.ts, computed with NumPy.

Run from the repository root:  python3 test/examples/golden/make_golden.py
It writes mandelbrot.json and life.json next to this script; the test reads those files
(no Python at test time). Everything here is written from the definitions, independently
of the TypeScript kernels:

- Mandelbrot: the escape-time count of z -> z^2 + c from z = 0, at most 100 iterations,
  stopping once |z|^2 > 4 (a point still inside after 100 iterations counts 100). Same
  float64 operations in the same order as the definition
  (x' = x*x - y*y + cx, y' = 2*x*y + cy), so the counts are exact, not approximate. It is
  computed twice, per point in plain Python floats and vectorised over the grid in NumPy,
  and the two must agree.
- Life: Conway's rule (born with 3 neighbours, survives with 2 or 3) on a torus, the
  neighbour count a sum of the board rolled by the eight offsets (np.roll wraps, which is
  the stencil's boundary 'wrap'), from Gosper's glider gun.
"""

import json
import subprocess
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

# ---- Mandelbrot --------------------------------------------------------------------------

# The demo's region (examples/showcase/mandelbrot.ts, grid()): real parts -2.2 … 1.0 over
# the columns, imaginary parts -1.2 … 1.2 over the rows, both ends included; a 32x24 grid
# (the demo's 4:3 aspect) instead of its 1024x768.
MANDEL_W, MANDEL_H, MAX_IT = 32, 24, 100
X0, XSPAN, Y0, YSPAN = -2.2, 3.2, -1.2, 2.4


def axes(h, w):
    xs = [X0 + (XSPAN * j) / (w - 1) for j in range(w)]
    ys = [Y0 + (YSPAN * i) / (h - 1) for i in range(h)]
    return xs, ys


def escape_count(cx, cy):
    x = y = 0.0
    n = 0
    while n < MAX_IT and x * x + y * y <= 4.0:
        x, y = x * x - y * y + cx, 2.0 * x * y + cy
        n += 1
    return n


def escape_counts_numpy(xs, ys):
    cx, cy = np.meshgrid(np.array(xs, np.float64), np.array(ys, np.float64))
    x = np.zeros_like(cx)
    y = np.zeros_like(cx)
    n = np.zeros(cx.shape, np.int64)
    running = np.ones(cx.shape, bool)
    for _ in range(MAX_IT):
        running &= x * x + y * y <= 4.0
        if not running.any():
            break
        xr, yr = x[running], y[running]
        x[running], y[running] = xr * xr - yr * yr + cx[running], 2.0 * xr * yr + cy[running]
        n[running] += 1
    return n


xs, ys = axes(MANDEL_H, MANDEL_W)
counts = [[escape_count(cx, cy) for cx in xs] for cy in ys]
assert (np.array(counts) == escape_counts_numpy(xs, ys)).all(), 'python and numpy disagree'

mandelbrot = {
    'about': 'escape-time counts (max 100) over the demo region; rows = imaginary part '
    '(-1.2 .. 1.2), columns = real part (-2.2 .. 1.0); made by make_golden.py',
    'shape': [MANDEL_H, MANDEL_W],
    'maxIterations': MAX_IT,
    'region': {'re': [X0, X0 + XSPAN], 'im': [Y0, Y0 + YSPAN]},
    'counts': counts,
}

# ---- Game of Life ------------------------------------------------------------------------

# Gosper's glider gun as (column, row) pairs, placed at (row 2, column 2) like the demo's
# gunBoard(). The test checks that gunBoard() gives exactly this start.
GUN = [
    (24, 0), (22, 1), (24, 1), (12, 2), (13, 2), (20, 2), (21, 2), (34, 2), (35, 2),
    (11, 3), (15, 3), (20, 3), (21, 3), (34, 3), (35, 3), (0, 4), (1, 4), (10, 4),
    (16, 4), (20, 4), (21, 4), (0, 5), (1, 5), (10, 5), (14, 5), (16, 5), (17, 5),
    (22, 5), (24, 5), (10, 6), (16, 6), (24, 6), (11, 7), (15, 7), (12, 8), (13, 8),
]  # fmt: skip
LIFE_H, LIFE_W = 40, 40
# 30 and 60: one and two periods of the gun; 90, 120: the first glider has crossed the
# right edge (from generation 82) and the board still equals the unbounded evolution
# folded onto the torus; 200: the wrapped gliders have hit the gun (chaos, a good test).
GENERATIONS = [30, 60, 90, 120, 200]


def step(b):
    n = sum(
        np.roll(b, (di, dj), axis=(0, 1))
        for di in (-1, 0, 1)
        for dj in (-1, 0, 1)
        if (di, dj) != (0, 0)
    )
    return ((n == 3) | ((n == 2) & (b == 1))).astype(np.uint8)


def live(b):
    return [[int(i), int(j)] for i, j in np.argwhere(b)]


start = np.zeros((LIFE_H, LIFE_W), np.uint8)
for c, r in GUN:
    start[2 + r, 2 + c] = 1
boards = {0: start}
b = start
for g in range(1, max(GENERATIONS) + 1):
    b = step(b)
    if g in GENERATIONS:
        boards[g] = b

# The facts the test also checks by hand (verified here):
# - the gun has period 30: rows 0-10, columns 0-38 (the gun and its margin) are the same at
#   generations 30, 60, 90 and 120 as at 0;
# - it emits one 5-cell glider per period: 36 + 5k live cells at generation 30k (k <= 4);
# - at generation 30 the only cells outside that region are one glider, in rows 11-13.
GUN_ROWS, GUN_COLS = slice(0, 11), slice(0, 39)
for k, g in enumerate([30, 60, 90, 120], start=1):
    assert (boards[g][GUN_ROWS, GUN_COLS] == start[GUN_ROWS, GUN_COLS]).all(), g
    assert boards[g].sum() == 36 + 5 * k, (g, boards[g].sum())
outside = boards[30].copy()
outside[GUN_ROWS, GUN_COLS] = 0
glider = live(outside)
assert len(glider) == 5 and {i for i, _ in glider} == {11, 12, 13}, glider
# By 120 a glider has crossed the right edge: live cells in columns 0-1 below the gun.
assert boards[120][11:, 0:2].any() and not boards[60][11:, 0:2].any()

life = {
    'about': "Gosper's glider gun at (row 2, column 2) on a 40x40 torus; live cells "
    '[row, column] after each generation; made by make_golden.py',
    'shape': [LIFE_H, LIFE_W],
    'start': live(start),
    'generations': {str(g): live(boards[g]) for g in GENERATIONS},
    'gliderAt30': glider,
}


def dump(name, obj):
    # One key per line and a row of counts per line (biome, below, then sets the final
    # layout; this is what is left if it cannot run).
    def fmt(v):
        if isinstance(v, dict):
            return '{\n' + ',\n'.join(f'{json.dumps(k)}: {fmt(x)}' for k, x in v.items()) + '\n}'
        if isinstance(v, list) and v and isinstance(v[0], list) and isinstance(v[0][0], int) and len(v[0]) > 2:
            return '[\n' + ',\n'.join(json.dumps(r, separators=(',', ':')) for r in v) + '\n]'
        return json.dumps(v, separators=(',', ':'))

    text = fmt(obj) + '\n'
    assert json.loads(text) == obj
    (HERE / name).write_text(text)
    print(f'wrote {HERE / name} ({len(text)} bytes)')


dump('mandelbrot.json', mandelbrot)
dump('life.json', life)

# The repository's formatter (biome, `npm run lint`) checks JSON too: format the files the
# way it wants them, so that regenerating them leaves the lint clean.
root = HERE.parents[2]
files = [str(HERE / n) for n in ('mandelbrot.json', 'life.json')]
try:
    r = subprocess.run(['npx', 'biome', 'format', '--write', *files], cwd=root,
                       capture_output=True, text=True)
    ok = r.returncode == 0
except OSError:
    ok = False
print('formatted them with biome' if ok else 'biome not run: format them with `npx biome format --write`')

"""nbody: the outer planets orbiting the sun, integrated with a fixed time step. Five bodies, each
a list [x, y, z, vx, vy, vz, mass]; every step updates the velocities of all ten pairs from their
distance, then moves each body. Float arithmetic and list indexing in a tight loop: the
interpreter alone (every intermediate float is a new heap object, freed by reference counting).

Usage: nbody.py [SCALE] [kernel]  (SCALE multiplies the 20 000 steps; with `kernel`, the
kernel's thread CPU time goes to stderr as `kernel_ns N`)
"""
import sys
import time

PI = 3.14159265358979323
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24

# Positions in AU, velocities in AU per day (scaled to years below), masses in solar masses.
PLANETS = [
    ("sun", (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), 1.0),
    (
        "jupiter",
        (4.84143144246472090e00, -1.16032004402742839e00, -1.03622044471123109e-01),
        (1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05),
        9.54791938424326609e-04,
    ),
    (
        "saturn",
        (8.34336671824457987e00, 4.12479856412430479e00, -4.03523417114321381e-01),
        (-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05),
        2.85885980666130812e-04,
    ),
    (
        "uranus",
        (1.28943695621391310e01, -1.51111514016986312e01, -2.23307578892655734e-01),
        (2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05),
        4.36624404335156298e-05,
    ),
    (
        "neptune",
        (1.53796971148509165e01, -2.59193146099879641e01, 1.79258772950371181e-01),
        (2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05),
        5.15138902046611451e-05,
    ),
]


def make_bodies():
    bodies = []
    for _name, pos, vel, mass in PLANETS:
        b = list(pos)
        b.extend(v * DAYS_PER_YEAR for v in vel)
        b.append(mass * SOLAR_MASS)
        bodies.append(b)
    return bodies


def all_pairs(bodies):
    return [(bodies[i], bodies[j]) for i in range(len(bodies)) for j in range(i + 1, len(bodies))]


def centre_momentum(bodies):
    """Give the sun the velocity that makes the system's total momentum zero."""
    px = py = pz = 0.0
    for b in bodies:
        px += b[3] * b[6]
        py += b[4] * b[6]
        pz += b[5] * b[6]
    sun = bodies[0]
    sun[3] = -px / sun[6]
    sun[4] = -py / sun[6]
    sun[5] = -pz / sun[6]


def energy(bodies, pairs):
    e = 0.0
    for b in bodies:
        e += 0.5 * b[6] * (b[3] * b[3] + b[4] * b[4] + b[5] * b[5])
    for a, b in pairs:
        dx = a[0] - b[0]
        dy = a[1] - b[1]
        dz = a[2] - b[2]
        e -= a[6] * b[6] / (dx * dx + dy * dy + dz * dz) ** 0.5
    return e


def advance(bodies, pairs, dt, steps):
    for _ in range(steps):
        for a, b in pairs:
            dx = a[0] - b[0]
            dy = a[1] - b[1]
            dz = a[2] - b[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * d2**0.5)
            ma = a[6] * mag
            mb = b[6] * mag
            a[3] -= dx * mb
            a[4] -= dy * mb
            a[5] -= dz * mb
            b[3] += dx * ma
            b[4] += dy * ma
            b[5] += dz * ma
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]


scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
steps = max(1, int(20_000 * scale))
bodies = make_bodies()
pairs = all_pairs(bodies)
centre_momentum(bodies)
before = energy(bodies, pairs)
t0 = time.thread_time_ns()
advance(bodies, pairs, 0.01, steps)
t1 = time.thread_time_ns()
print("nbody", steps, f"{before:.9f}", f"{energy(bodies, pairs):.9f}")
if sys.argv[2:3] == ["kernel"]:
    print("kernel_ns", t1 - t0, file=sys.stderr)

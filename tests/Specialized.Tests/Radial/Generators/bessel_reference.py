"""Generates the 30-digit spherical Bessel references hard-coded in LaplacianEigenstateTests.cs (mpmath).
Run: python3 bessel_reference.py. Not used by the tests at run time."""
import mpmath as mp

mp.mp.dps = 40


def j(l, x):
    x = mp.mpf(x)
    return mp.sqrt(mp.pi / (2 * x)) * mp.besselj(l + mp.mpf(1) / 2, x)


print("// (l, x, j_l(x))")
for (l, x) in [(0, 0.5), (0, 7.25), (1, 1e-3), (3, 0.9), (5, 2.0), (5, 30.0), (10, 4.0), (10, 9.5), (10, 10.5), (20, 3.0), (20, 14.0),
               (20, 21.0), (25, 26.0), (25, 60.0), (40, 12.0), (40, 39.0), (2, 1.8), (7, 3.9), (30, 1.0)]:
    print(f"({l}, {mp.nstr(mp.mpf(x), 17)}, {mp.nstr(j(l, x), 20)}),")
print("// (l, n, z_nl) zeros of j_l = zeros of J_{l+1/2}")
for (l, n) in [(1, 0), (1, 5), (3, 2), (7, 0), (10, 0), (10, 4), (15, 3), (20, 0), (20, 2), (22, 0)]:
    print(f"({l}, {n}, {mp.nstr(mp.besseljzero(l + mp.mpf(1) / 2, n + 1), 20)}),")

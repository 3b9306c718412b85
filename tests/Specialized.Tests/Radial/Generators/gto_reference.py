"""Generates the 50-digit GTO radial-integral reference values hard-coded in GtoRadialIntegralTests.cs.

Independent of the C# code: mpmath hyp1f1 / gamma / eigsy at 50 digits, formulas of MATH §3.2 in
their textbook form (unnormalised primitives, explicit normalisation N_n, overlap from the b_n form).
Run: python3 gto_reference.py   (needs mpmath). Not used by the tests at run time.
"""
import mpmath as mp

mp.mp.dps = 50


def gto(N, lmax, rc, sigma, points):
    sig = [mp.mpf(rc) * max(mp.sqrt(n), 1) / N for n in range(N)]
    b = [1 / (2 * s**2) for s in sig]
    norm = [mp.sqrt(2 / (sig[n] ** (2 * n + 3) * mp.gamma(n + mp.mpf(3) / 2))) for n in range(N)]
    S = mp.matrix(N, N)
    for n in range(N):
        for m in range(N):
            S[n, m] = norm[n] * norm[m] * mp.mpf(1) / 2 * (b[n] + b[m]) ** (-mp.mpf(3 + n + m) / 2) * mp.gamma(mp.mpf(3 + n + m) / 2)
    E, Q = mp.eigsy(S)
    M = Q * mp.diag([1 / mp.sqrt(e) for e in E]) * Q.T
    a = 1 / (2 * mp.mpf(sigma) ** 2)
    out = []
    for (l, r) in points:
        r = mp.mpf(r)
        prim = []
        dprim = []
        for n in range(N):
            neff = mp.mpf(n + l + 3) / 2
            leff = l + mp.mpf(3) / 2
            f = lambda rr: (mp.pi / mp.mpf(sigma) ** 2) ** mp.mpf(0.75) * mp.exp(-a * rr**2) * (a * rr) ** l * (a + b[n]) ** (-neff) \
                * mp.gamma(neff) / mp.gamma(leff) * mp.hyp1f1(neff, leff, a**2 * rr**2 / (a + b[n]))
            prim.append(norm[n] * f(r))
            dprim.append(norm[n] * mp.diff(f, r))
        vals = M * mp.matrix(prim)
        ders = M * mp.matrix(dprim)
        out.append((l, r, [vals[i] for i in range(N)], [ders[i] for i in range(N)]))
    return min(E), out


def dump(name, N, lmax, rc, sigma, points):
    emin, rows = gto(N, lmax, rc, sigma, points)
    print(f"// {name}: N={N}, r_c={rc}, sigma={sigma}; smallest overlap eigenvalue {mp.nstr(emin, 17)}")
    for (l, r, v, d) in rows:
        print(f"({l}, {mp.nstr(r, 17)}, [" + ", ".join(mp.nstr(x, 17, min_fixed=0, max_fixed=0) for x in v) + "],")
        print("    [" + ", ".join(mp.nstr(x, 17, min_fixed=0, max_fixed=0) for x in d) + "]),")


dump("N6", 6, 2, 5, 0.5, [(0, 0), (0, 1), (0, 2.5), (1, 1), (1, 2.5), (2, 1), (2, 2.5), (1, 0)])
dump("N20", 20, 20, 5, 0.3, [(0, 0), (0, 0.7), (0, 2.5), (0, 5), (10, 2.5), (10, 5), (20, 0.7), (20, 2.5), (20, 5), (1, 0)])

"""50-digit values of e^{-z} 1F1(a; b; z) beyond librascal's table (large z, general a, b), hard-coded in
HypergeometricTests.cs. Run: python3 hyp1f1_reference.py (mpmath). Not used by the tests at run time."""
import mpmath as mp

mp.mp.dps = 50
for (a, b, z) in [(2.3, 7.1, 2000.0), (0.7, 0.2, 50.0), (13.25, 3.5, 800.0), (1.5, 21.5, 1e4), (11.0, 1.5, 500.0),
                  (21.5, 20.5, 3000.0), (3.5, 22.5, 1e5), (0.5, 1.5, 0.3), (40.0, 2.5, 120.0), (5.5, 5.5, 700.0)]:
    a, b, z = mp.mpf(a), mp.mpf(b), mp.mpf(z)
    print(f"({mp.nstr(a, 17)}, {mp.nstr(b, 17)}, {mp.nstr(z, 17)}, {mp.nstr(mp.exp(-z) * mp.hyp1f1(a, b, z), 20)}, {mp.nstr(mp.exp(-z) * mp.hyp1f1(a, b + 1, z), 20)}),")

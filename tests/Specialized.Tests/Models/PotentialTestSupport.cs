using Specialized.Models.Potentials;
using Specialized.Structures;

namespace Specialized.Tests.Models;

/// <summary>Structures and finite differences for potential tests.</summary>
public static class PotentialTestSupport
{
    public static readonly StillingerWeber Sw = StillingerWeber.Silicon;

    public static double Energy(Structure s) => Sw.Compute(s).Energy;

    /// <summary>Adds Gaussian noise of width <paramref name="sigma"/> Å to every coordinate (returns a copy).</summary>
    public static Structure Rattle(Structure s, double sigma, int seed)
    {
        var rng = new Random(seed);
        var c = s.Clone();
        var p = c.Positions;
        for (int k = 0; k < p.Length; k++)
            p[k] += sigma * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return c;
    }

    /// <summary>Positions and cell as row vectors times M (row-major 3×3): r → r M, H → H M. Returns a copy.</summary>
    public static Structure Transform(Structure s, double[] m)
    {
        var p = s.Positions.ToArray();
        for (int i = 0; i < s.AtomCount; i++) MultiplyRow(p.AsSpan(3 * i, 3), m);
        UnitCell? cell = null;
        if (s.Cell is { } c)
        {
            var h = c.Matrix.ToArray();
            for (int k = 0; k < 3; k++) MultiplyRow(h.AsSpan(3 * k, 3), m);
            cell = new UnitCell(h, c.Pbc[0], c.Pbc[1], c.Pbc[2]);
        }
        return new Structure(s.AtomicNumbers, p, cell);
    }

    public static void MultiplyRow(Span<double> v, double[] m)
    {
        double x = v[0], y = v[1], z = v[2];
        for (int b = 0; b < 3; b++) v[b] = x * m[b] + y * m[3 + b] + z * m[6 + b];
    }

    /// <summary>Rotation matrix (row-major, proper) about a unit axis by an angle.</summary>
    public static double[] Rotation(double ax, double ay, double az, double angle)
    {
        double n = Math.Sqrt(ax * ax + ay * ay + az * az);
        ax /= n; ay /= n; az /= n;
        double c = Math.Cos(angle), s = Math.Sin(angle), t = 1 - c;
        return
        [
            t * ax * ax + c, t * ax * ay - s * az, t * ax * az + s * ay,
            t * ax * ay + s * az, t * ay * ay + c, t * ay * az - s * ax,
            t * ax * az - s * ay, t * ay * az + s * ax, t * az * az + c,
        ];
    }

    /// <summary>The two-atom primitive (fcc) cell of diamond silicon, lattice constant a.</summary>
    public static Structure PrimitiveDiamond(double a = SiliconDataset.LatticeConstant)
    {
        double h = a / 2;
        return new Structure([14, 14], [0, 0, 0, a / 4, a / 4, a / 4], new UnitCell([0, h, h, h, 0, h, h, h, 0]));
    }

    /// <summary>A 17-atom silicon cluster: an atom of diamond and its first two neighbour shells (4 + 12 atoms), rattled.</summary>
    public static Structure Cluster(int seed)
    {
        var bulk = SiliconDataset.Diamond(repeat: 3);
        var centre = bulk.Position(0 + 8 * 13); // an atom in the middle supercell
        var kept = new List<double>();
        for (int i = 0; i < bulk.AtomCount; i++)
        {
            var (x, y, z) = bulk.Position(i);
            double dx = x - centre.X, dy = y - centre.Y, dz = z - centre.Z;
            if (dx * dx + dy * dy + dz * dz < 4.0 * 4.0) kept.AddRange([dx, dy, dz]);
        }
        var numbers = Enumerable.Repeat(14, kept.Count / 3).ToArray();
        return Rattle(new Structure(numbers, kept.ToArray()), 0.1, seed);
    }

    /// <summary>Central finite difference −(E(x + h) − E(x − h)) / 2h for every coordinate.</summary>
    public static double[] FiniteDifferenceForces(Structure s, double h = 1e-5)
    {
        var f = new double[3 * s.AtomCount];
        for (int k = 0; k < f.Length; k++)
        {
            var c = s.Clone();
            double x = c.Positions[k];
            c.Positions[k] = x + h;
            double plus = Energy(c);
            c.Positions[k] = x - h;
            double minus = Energy(c);
            f[k] = -(plus - minus) / (2 * h);
        }
        return f;
    }

    /// <summary>W_ab ≈ −(E(ε_ab = h) − E(ε_ab = −h)) / 2h with r → r(I + ε), H → H(I + ε), one (unsymmetrised) component at a time.</summary>
    public static double[] FiniteDifferenceVirial(Structure s, double h = 1e-5)
    {
        var w = new double[9];
        for (int k = 0; k < 9; k++)
        {
            var plus = Identity(); plus[k] += h;
            var minus = Identity(); minus[k] -= h;
            w[k] = -(Energy(Transform(s, plus)) - Energy(Transform(s, minus))) / (2 * h);
        }
        return w;
    }

    public static double[] Identity() => [1, 0, 0, 0, 1, 0, 0, 0, 1];

    public static double MaxAbsDiff(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        double m = 0;
        for (int k = 0; k < a.Length; k++) m = Math.Max(m, Math.Abs(a[k] - b[k]));
        return m;
    }
}

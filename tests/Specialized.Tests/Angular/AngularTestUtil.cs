using Specialized.Angular;

namespace Specialized.Tests.Angular;

/// <summary>Small numerical helpers for the angular tests (independent of the code under test).</summary>
internal static class AngularTestUtil
{
    /// <summary>Uniform random unit vector (normalised Gaussian triple).</summary>
    public static (double X, double Y, double Z) RandomUnit(Random rng)
    {
        while (true)
        {
            double x = Normal(rng), y = Normal(rng), z = Normal(rng);
            double r = Math.Sqrt(x * x + y * y + z * z);
            if (r > 1e-3) return (x / r, y / r, z / r);
        }
    }

    public static double Normal(Random rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());

    /// <summary>Legendre polynomial P_l(x) by Bonnet's recursion.</summary>
    public static double LegendreP(int l, double x)
    {
        if (l == 0) return 1.0;
        double p0 = 1.0, p1 = x;
        for (int k = 2; k <= l; k++)
        {
            double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        return p1;
    }

    /// <summary>Row-major square matrix product.</summary>
    public static double[] MatMul(double[] a, double[] b, int n)
    {
        var c = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
            {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
            }
        return c;
    }

    /// <summary>y = A x for a row-major n×n A.</summary>
    public static double[] MatVec(double[] a, ReadOnlySpan<double> x, int n)
    {
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0.0;
            for (int j = 0; j < n; j++) s += a[i * n + j] * x[j];
            y[i] = s;
        }
        return y;
    }

    public static double MaxAbsDiff(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        double m = 0.0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    /// <summary>Y_l(u) as a (2l+1) vector (m = −l..l).</summary>
    public static double[] Yl(int l, double x, double y, double z)
    {
        var all = new double[SphericalHarmonics.Count(l)];
        SphericalHarmonics.Compute(l, x, y, z, all);
        return all.AsSpan(l * l, 2 * l + 1).ToArray();
    }

    public static double[] RandomVector(Random rng, int n)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Normal(rng);
        return v;
    }
}

namespace Specialized.Tests.Support;

/// <summary>Independent quadrature rules for the oracle tests.</summary>
public static class Quadrature
{
    /// <summary>Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n).</summary>
    public static (double[] Nodes, double[] Weights) GaussLegendre(int n)
    {
        var x = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0.0;
            for (int iter = 0; iter < 100; iter++)
            {
                double p0 = 1.0, p1 = t;
                for (int k = 2; k <= n; k++)
                {
                    double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double pn = n == 1 ? t : p1, pm = n == 1 ? 1.0 : p0;
                dp = n * (t * pn - pm) / (t * t - 1.0);
                double dt = pn / dp;
                t -= dt;
                if (Math.Abs(dt) < 1e-16) break;
            }
            x[i] = t;
            w[i] = 2.0 / ((1.0 - t * t) * dp * dp);
        }
        return (x, w);
    }
}

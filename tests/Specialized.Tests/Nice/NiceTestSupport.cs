using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Models.LinearAlgebra;

namespace Specialized.Tests.Nice;

/// <summary>Shared helpers of the NICE tests (independent of the code under test).</summary>
internal static class NiceTestSupport
{
    public static double Normal(Random rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());

    /// <summary>
    /// Numerical rank of a row-major rows × cols matrix (MATH §9.4.4): numerically zero columns (norm below
    /// 1e-8·√rows × <paramref name="scale"/>, the magnitude of a typical entry) are dropped, the others normalised
    /// to unit length, then singular values above 1e-9 × the largest are counted.
    /// </summary>
    public static int Rank(double[] a, int rows, int cols, double scale)
    {
        if (rows == 0 || cols == 0) return 0;
        var norms = new double[cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) norms[j] += a[i * cols + j] * a[i * cols + j];
        double zero = 1e-8 * Math.Sqrt(rows) * scale;
        var keep = Enumerable.Range(0, cols).Where(j => Math.Sqrt(norms[j]) > zero).ToArray();
        if (keep.Length == 0) return 0;
        var b = new double[rows * keep.Length];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < keep.Length; k++) b[i * keep.Length + k] = a[i * cols + keep[k]] / Math.Sqrt(norms[keep[k]]);
        var x = new double[keep.Length];
        return DenseSolvers.Default.SolveLeastSquares(b, rows, keep.Length, new double[rows], 1, x, 1e-9);
    }

    /// <summary>Random Gaussian ν=1 coefficient vectors for a layout.</summary>
    public static List<double[]> RandomCoefficients(int seed, int count, int size)
    {
        var rng = new Random(seed);
        var list = new List<double[]>();
        for (int e = 0; e < count; e++)
        {
            var c = new double[size];
            for (int k = 0; k < size; k++) c[k] = Normal(rng);
            list.Add(c);
        }
        return list;
    }

    /// <summary>Parameters of the full (un-thresholded, un-contracted) recursion with every block at every order.</summary>
    public static NiceParameters Full(SoapParameters density, int bodyOrder, int? maxLambda = null) => new()
    {
        Density = density,
        BodyOrder = bodyOrder,
        MaxLambda = maxLambda,
        Steps = [NiceStep.All],
        Scaling = NiceScaling.None,
        CovariantsAtLastOrder = true,
    };

    /// <summary>y = D x for a (2l+1)-vector.</summary>
    public static double[] Apply(double[] d, int dim, Func<int, double> x)
    {
        var y = new double[dim];
        for (int a = 0; a < dim; a++)
            for (int b = 0; b < dim; b++) y[a] += d[a * dim + b] * x(b);
        return y;
    }
}

namespace Specialized.Generators.Tests.Support;

/// <summary>Relative-to-max comparison of two arrays (the generic path is the oracle).</summary>
public static class Close
{
    /// <summary>Asserts max |expected − actual| ≤ tolerance × max |expected| (no NaN) and returns the achieved relative error.</summary>
    public static double Assert(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relativeTolerance, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        double scale = 0, worst = 0;
        int worstIndex = -1;
        for (int k = 0; k < expected.Length; k++) scale = Math.Max(scale, Math.Abs(expected[k]));
        for (int k = 0; k < expected.Length; k++)
        {
            Xunit.Assert.False(double.IsNaN(actual[k]), $"{what}: NaN at {k}");
            double d = Math.Abs(expected[k] - actual[k]);
            if (d > worst) { worst = d; worstIndex = k; }
        }
        Xunit.Assert.True(scale > 0 || worst == 0, $"{what}: the oracle is identically zero");
        if (worst == 0) return 0;
        double rel = worst / scale;
        if (!(rel <= relativeTolerance))
            Xunit.Assert.Fail($"{what}: max |diff| = {worst:E3} at flat index {worstIndex} (expected {expected[worstIndex]:E10}, got {actual[worstIndex]:E10}), relative {rel:E3} > {relativeTolerance:E1}");
        return rel;
    }
}

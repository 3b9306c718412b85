using Specialized.Density;
using Specialized.Features;
using Specialized.Radial;
using Specialized.Structures;

namespace Specialized.Tests.Features;

/// <summary>MATH §9.1.4: a neighbour moving through the cutoff region.</summary>
public class CutoffBehaviourTests
{
    private static double[] Features(SoapParameters p, double distance)
    {
        var s = new Structure([8, 1, 1], [0, 0, 0, 0.96, 0, 0, 0.3 * distance, 0.2 * distance, Math.Sqrt(1 - 0.13) * distance]);
        var calc = Representation.Create(RepresentationKind.PowerSpectrum, p, new SpeciesList([1, 8]));
        return new FeatureComputer(calc).Compute(s).Row(0).ToArray();
    }

    private static double MaxAbsDiff(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    [Fact]
    public void ShiftedCosineIsContinuousWithContinuousDerivativeAtTheCutoff()
    {
        var p = new SoapParameters { Cutoff = 3.0, CutoffWidth = 0.5, RadialCount = 4, LMax = 3, SplineAccuracy = null };
        const double h = 1e-4;
        var inside = Features(p, 3.0 - h);
        var at = Features(p, 3.0 - 1e-12);
        var outside = Features(p, 3.0 + h);
        // value: the contribution vanishes like (r_c − r)²; first derivative vanishes like (r_c − r)
        Assert.True(MaxAbsDiff(inside, outside) < 1e-6, "values continuous across r_c");
        Assert.True(MaxAbsDiff(at, outside) < 1e-12, "contribution vanishes at r_c");
        var slopeInside = inside.Zip(Features(p, 3.0 - 2 * h), (a, b) => (a - b) / h).ToArray();
        Assert.True(slopeInside.Max(Math.Abs) < 1e-2, "derivative tends to zero at r_c");
        // sanity: the moving neighbour does change the features while inside the cutoff
        Assert.True(MaxAbsDiff(Features(p, 2.4), Features(p, 2.6)) > 1e-4, "the neighbour matters inside the cutoff");
    }

    [Fact]
    public void StepCutoffJumps()
    {
        var p = new SoapParameters { Cutoff = 3.0, CutoffFunction = CutoffKind.Step, RadialCount = 4, LMax = 3, SplineAccuracy = null };
        var inside = Features(p, 3.0 - 1e-9);
        var outside = Features(p, 3.0 + 1e-9);
        Assert.True(MaxAbsDiff(inside, outside) > 1e-5, "a neighbour crossing a step cutoff changes the features abruptly");
    }
}

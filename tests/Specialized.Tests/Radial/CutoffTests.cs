using Specialized.Radial;

namespace Specialized.Tests.Radial;

public class CutoffTests
{
    [Fact]
    public void ShiftedCosineMatchesMathReference()
    {
        var fc = CutoffFunction.ShiftedCosine(4.0, 0.5);
        Assert.Equal(0.34549150281252683, fc.Value(3.8), 1e-16);
        Assert.Equal(-2.987832164741557, fc.Derivative(3.8), 1e-14);
        fc.Evaluate(3.8, out double v, out double d);
        Assert.Equal(fc.Value(3.8), v);
        Assert.Equal(fc.Derivative(3.8), d);
    }

    [Fact]
    public void ShiftedCosineShape()
    {
        var fc = CutoffFunction.ShiftedCosine(4.0, 0.5);
        Assert.Equal(1.0, fc.Value(0.0));
        Assert.Equal(1.0, fc.Value(3.5));
        Assert.Equal(0.5, fc.Value(3.75), 1e-15);
        Assert.Equal(0.0, fc.Value(4.0));
        Assert.Equal(0.0, fc.Value(7.0));
        Assert.Equal(0.0, fc.Derivative(3.5));
        Assert.Equal(0.0, fc.Derivative(4.0));
        Assert.Equal(-Math.PI, fc.Derivative(3.75), 1e-14); // −π/(2w)
        const double h = 1e-6;
        foreach (double r in new[] { 3.55, 3.7, 3.9, 3.99 })
        {
            double fd = (fc.Value(r + h) - fc.Value(r - h)) / (2 * h);
            Assert.Equal(fd, fc.Derivative(r), 1e-8);
        }
    }

    [Fact]
    public void StepAndZeroWidth()
    {
        var step = CutoffFunction.Step(3.0);
        Assert.Equal(CutoffKind.Step, step.Kind);
        Assert.Equal(1.0, step.Value(2.999999));
        Assert.Equal(0.0, step.Value(3.0));
        Assert.Equal(0.0, step.Derivative(2.0));
        var sharp = CutoffFunction.ShiftedCosine(3.0, 0.0);
        Assert.Equal(1.0, sharp.Value(2.999999));
        Assert.Equal(0.0, sharp.Value(3.0));
        Assert.Equal(0.0, sharp.Derivative(2.999999));
    }

    [Fact]
    public void CutoffParametersAreValidated()
    {
        Assert.Equal("cutoff", Assert.Throws<InvalidParameterException>(() => CutoffFunction.ShiftedCosine(0.0, 0.1)).Parameter);
        Assert.Equal("cutoff", Assert.Throws<InvalidParameterException>(() => CutoffFunction.Step(double.PositiveInfinity)).Parameter);
        Assert.Equal("width", Assert.Throws<InvalidParameterException>(() => CutoffFunction.ShiftedCosine(4.0, -0.1)).Parameter);
        Assert.Equal("width", Assert.Throws<InvalidParameterException>(() => CutoffFunction.ShiftedCosine(4.0, 4.0)).Parameter);
        Assert.Equal("width", Assert.Throws<InvalidParameterException>(() => CutoffFunction.ShiftedCosine(4.0, double.NaN)).Parameter);
    }

    [Fact]
    public void RadialScalingValuesAndDerivative()
    {
        var u = new RadialScaling(rate: 2.0, scale: 1.5, exponent: 3.0);
        foreach (double r in new[] { 0.1, 0.8, 1.5, 2.7, 4.0 })
        {
            double x = r / 1.5;
            Assert.Equal(2.0 / (2.0 + x * x * x), u.Value(r), 1e-15);
            double expected = -2.0 * 3.0 / 1.5 * x * x / Math.Pow(2.0 + x * x * x, 2);
            Assert.Equal(expected, u.Derivative(r), 1e-15);
            const double h = 1e-6;
            Assert.Equal((u.Value(r + h) - u.Value(r - h)) / (2 * h), u.Derivative(r), 1e-8);
        }
        u.Evaluate(0.0, out double v0, out double d0);
        Assert.Equal(1.0, v0);
        Assert.Equal(0.0, d0);
        new RadialScaling(1.0, 2.0, 1.0).Evaluate(0.0, out _, out double linear);
        Assert.Equal(-0.5, linear);
        // classic form 1/(1 + (r/r0)^m)
        Assert.Equal(1 / (1 + Math.Pow(0.7 / 2.5, 4.5)), new RadialScaling(1.0, 2.5, 4.5).Value(0.7), 1e-15);
    }

    [Fact]
    public void RadialScalingParametersAreValidated()
    {
        Assert.Equal("rate", Assert.Throws<InvalidParameterException>(() => new RadialScaling(0.0, 1.0, 2.0)).Parameter);
        Assert.Equal("scale", Assert.Throws<InvalidParameterException>(() => new RadialScaling(1.0, -1.0, 2.0)).Parameter);
        Assert.Equal("exponent", Assert.Throws<InvalidParameterException>(() => new RadialScaling(1.0, 1.0, double.NaN)).Parameter);
    }

    [Fact]
    public void PairWeightIsProductWithDerivative()
    {
        var fc = CutoffFunction.ShiftedCosine(4.0, 1.0);
        var u = new RadialScaling(1.0, 2.0, 3.0);
        var weight = new PairWeight(fc, u);
        foreach (double r in new[] { 0.0, 1.0, 3.2, 3.9, 4.0, 5.0 })
        {
            weight.Evaluate(r, out double v, out double d);
            Assert.Equal(fc.Value(r) * u.Value(r), v, 1e-15);
            Assert.Equal(u.Derivative(r) * fc.Value(r) + u.Value(r) * fc.Derivative(r), d, 1e-14);
            Assert.Equal(v, weight.Value(r));
        }
        weight.Evaluate(0.0, out double v0, out _);
        Assert.Equal(1.0, v0);
        var plain = new PairWeight(fc);
        Assert.Null(plain.Scaling);
        plain.Evaluate(3.5, out double pv, out double pd);
        Assert.Equal(fc.Value(3.5), pv);
        Assert.Equal(fc.Derivative(3.5), pd);
        Assert.Equal(u, weight.Scaling);
    }
}

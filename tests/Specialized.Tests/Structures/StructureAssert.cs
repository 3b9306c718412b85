using Specialized.Structures;

namespace Specialized.Tests.Structures;

/// <summary>Exact comparison of structures: bit-identical doubles, same keys in the same order.</summary>
public static class StructureAssert
{
    public static void Identical(IReadOnlyList<Structure> expected, IReadOnlyList<Structure> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Identical(expected[i], actual[i], $"frame {i}");
    }

    public static void Identical(Structure expected, Structure actual, string where = "structure")
    {
        Assert.True(expected.AtomicNumbers.SequenceEqual(actual.AtomicNumbers), $"{where}: atomic numbers differ");
        Bits(expected.Positions.ToArray(), actual.Positions.ToArray(), $"{where}: positions");

        Assert.Equal(expected.Cell is null, actual.Cell is null);
        if (expected.Cell is not null)
        {
            Bits(expected.Cell.Matrix.ToArray(), actual.Cell!.Matrix.ToArray(), $"{where}: cell");
            Assert.Equal(expected.Cell.Pbc, actual.Cell.Pbc);
        }

        Assert.Equal(expected.Info.Keys, actual.Info.Keys);
        foreach (var (key, value) in expected.Info) Same(value, actual.Info[key], $"{where}: info '{key}'");

        Assert.Equal(expected.Arrays.Keys, actual.Arrays.Keys);
        foreach (var (key, value) in expected.Arrays)
        {
            var other = actual.Arrays[key];
            Assert.Equal(value.Kind, other.Kind);
            Assert.Equal(value.Columns, other.Columns);
            Values(value.Kind, value.Reals, value.Integers, value.Logicals, value.Strings,
                other.Reals, other.Integers, other.Logicals, other.Strings, $"{where}: array '{key}'");
        }
    }

    public static void Same(InfoValue expected, InfoValue actual, string where = "info")
    {
        Assert.True(expected.Kind == actual.Kind, $"{where}: kind {expected.Kind} expected, got {actual.Kind}");
        Values(expected.Kind, expected.Reals, expected.Integers, expected.Logicals, expected.Strings,
            actual.Reals, actual.Integers, actual.Logicals, actual.Strings, where);
    }

    private static void Values(PropertyKind kind, double[]? r1, long[]? i1, bool[]? b1, string[]? s1,
        double[]? r2, long[]? i2, bool[]? b2, string[]? s2, string where)
    {
        switch (kind)
        {
            case PropertyKind.Real: Bits(r1!, r2!, where); break;
            case PropertyKind.Integer: Assert.Equal(i1!, i2!); break;
            case PropertyKind.Logical: Assert.Equal(b1!, b2!); break;
            default: Assert.Equal(s1!, s2!); break;
        }
    }

    public static void Bits(double[] expected, double[] actual, string where)
    {
        Assert.True(expected.Length == actual.Length, $"{where}: {expected.Length} values expected, got {actual.Length}");
        for (int k = 0; k < expected.Length; k++)
        {
            long a = BitConverter.DoubleToInt64Bits(expected[k]), b = BitConverter.DoubleToInt64Bits(actual[k]);
            bool bothNaN = double.IsNaN(expected[k]) && double.IsNaN(actual[k]);
            Assert.True(a == b || bothNaN, $"{where}[{k}]: {expected[k]:R} expected, got {actual[k]:R}");
        }
    }
}

using Specialized.Density;

namespace Specialized.Correlations.Nice;

/// <summary>
/// Random tensor-reduced mixing matrices (MATH §6.3.5 items 1 and 5). Entry W^(t)_{(a,n) k} is a standard
/// normal number that depends only on (Z_a, seed, t, n, k): a counter-based generator (SplitMix64 finaliser
/// applied to the packed key) gives two uniforms, and Box–Muller turns them into N(0, 1). Adding an element to
/// the species list therefore leaves every other element's rows unchanged, and the matrices do not depend on
/// the order in which anything is drawn.
/// </summary>
public static class SpeciesEmbedding
{
    /// <summary>
    /// W^(t) for factor position <paramref name="factor"/> (1-based), row-major (A·N) × K with row a·N + n.
    /// </summary>
    public static double[] Random(SpeciesList species, int radialCount, int rank, int seed, int factor)
    {
        var w = new double[species.Count * radialCount * rank];
        for (int a = 0; a < species.Count; a++)
            for (int n = 0; n < radialCount; n++)
                for (int k = 0; k < rank; k++)
                    w[(a * radialCount + n) * rank + k] = Normal(species.AtomicNumbers[a], seed, factor, n, k);
        return w;
    }

    /// <summary>The N(0, 1) entry for (Z, seed, factor, n, k).</summary>
    public static double Normal(int atomicNumber, int seed, int factor, int n, int k)
    {
        ulong key = Mix(0x5EC1A112EDUL ^ (ulong)(uint)seed);
        key = Mix(key ^ (ulong)(uint)atomicNumber);
        key = Mix(key ^ ((ulong)(uint)factor << 32 | (uint)n));
        key = Mix(key ^ (ulong)(uint)k);
        double u1 = ((key >> 11) + 0.5) * (1.0 / (1UL << 53));
        double u2 = ((Mix(key) >> 11) + 0.5) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

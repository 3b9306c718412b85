using Specialized.Structures;

namespace Specialized.Models.Potentials;

/// <summary>
/// Small synthetic training sets: strained and rattled diamond-silicon cells labelled with the
/// <see cref="StillingerWeber.Silicon"/> energy, forces, virial and stress.
/// </summary>
public static class SiliconDataset
{
    /// <summary>Lattice constant (Å) of diamond silicon, which is also the Stillinger–Weber minimum.</summary>
    public const double LatticeConstant = 5.431;

    /// <summary>
    /// Generates <paramref name="count"/> labelled cells, each either the 8-atom conventional diamond
    /// cell or its 2×2×2 supercell (64 atoms), homogeneously strained and then rattled.
    /// </summary>
    /// <param name="count">Number of structures (≥ 0).</param>
    /// <param name="seed">Seed of the one <see cref="Random"/> that drives every draw.</param>
    /// <param name="minRattle">Smallest per-structure rattle amplitude σ_r in Å.</param>
    /// <param name="maxRattle">Largest per-structure rattle amplitude σ_r in Å.</param>
    /// <param name="maxStrain">Bound on each component of the symmetric strain ε.</param>
    /// <param name="largeCellFraction">Probability that a structure is the 64-atom supercell.</param>
    /// <returns>The structures, in generation order.</returns>
    /// <remarks>
    /// <para>Structure s is built from draws of <c>new Random(seed)</c> in this fixed order:
    /// (1) u &lt; <paramref name="largeCellFraction"/> selects 64 atoms, else 8;
    /// (2) six strain components ε_xx, ε_yy, ε_zz, ε_yz, ε_xz, ε_xy, each uniform in ±<paramref name="maxStrain"/>;
    /// (3) the rattle amplitude σ_r, uniform in [<paramref name="minRattle"/>, <paramref name="maxRattle"/>];
    /// (4) for every atom and axis a Gaussian N(0, σ_r²) displacement (Box–Muller, two uniform draws
    /// per normal deviate, the cosine branch only). Cell and ideal positions are deformed as row
    /// vectors, H → H (I + ε), r → r (I + ε), before rattling.</para>
    /// <para>The output is therefore a pure function of the arguments for a given .NET runtime. A seeded
    /// <see cref="Random"/> uses the legacy subtractive generator, which .NET has kept unchanged for
    /// compatibility, but Microsoft does not formally promise the sequence across major versions.</para>
    /// <para>Labels (see <see cref="Label"/>): Info <c>config_type</c> (<c>diamond8</c> or <c>diamond64</c>),
    /// <c>energy</c>, <c>virial</c> and <c>stress</c>; Arrays <c>forces</c>.</para>
    /// </remarks>
    public static List<Structure> Generate(int count, int seed, double minRattle = 0.05, double maxRattle = 0.15,
        double maxStrain = 0.03, double largeCellFraction = 0.5)
    {
        if (count < 0) throw new InvalidParameterException("count", $"{count} is negative");
        if (!(minRattle >= 0) || !(maxRattle >= minRattle) || !double.IsFinite(maxRattle))
            throw new InvalidParameterException("rattle", $"need 0 ≤ minRattle ≤ maxRattle, got {minRattle} and {maxRattle}");
        if (!(maxStrain >= 0 && maxStrain < 0.5))
            throw new InvalidParameterException("maxStrain", $"{maxStrain} is outside [0, 0.5)");
        if (!(largeCellFraction >= 0 && largeCellFraction <= 1))
            throw new InvalidParameterException("largeCellFraction", $"{largeCellFraction} is outside [0, 1]");

        var rng = new Random(seed);
        var result = new List<Structure>(count);
        Span<double> strain = stackalloc double[6];
        for (int s = 0; s < count; s++)
        {
            int repeat = rng.NextDouble() < largeCellFraction ? 2 : 1;
            var ideal = Diamond(LatticeConstant, repeat);

            for (int k = 0; k < 6; k++) strain[k] = maxStrain * (2 * rng.NextDouble() - 1);
            // Deformation gradient F = I + ε with ε symmetric, in Voigt order xx, yy, zz, yz, xz, xy.
            double[] f =
            [
                1 + strain[0], strain[5], strain[4],
                strain[5], 1 + strain[1], strain[3],
                strain[4], strain[3], 1 + strain[2],
            ];
            double rattle = minRattle + (maxRattle - minRattle) * rng.NextDouble();

            var positions = ideal.Positions.ToArray();
            for (int i = 0; i < ideal.AtomCount; i++) TransformRow(positions.AsSpan(3 * i, 3), f);
            for (int k = 0; k < positions.Length; k++) positions[k] += rattle * Gaussian(rng);
            var h = ideal.Cell!.Matrix.ToArray();
            for (int k = 0; k < 3; k++) TransformRow(h.AsSpan(3 * k, 3), f);

            var structure = new Structure(ideal.AtomicNumbers, positions, new UnitCell(h));
            structure.Info["config_type"] = InfoValue.Text(repeat == 1 ? "diamond8" : "diamond64");
            Label(structure);
            result.Add(structure);
        }
        return result;
    }

    /// <summary>
    /// Ideal diamond silicon: the 8-atom conventional cubic cell of edge <paramref name="latticeConstant"/>
    /// repeated <paramref name="repeat"/> times along each axis (8 repeat³ atoms), periodic.
    /// </summary>
    public static Structure Diamond(double latticeConstant = LatticeConstant, int repeat = 1)
    {
        if (!(latticeConstant > 0) || !double.IsFinite(latticeConstant))
            throw new InvalidParameterException("latticeConstant", $"{latticeConstant} is not a positive length");
        if (repeat < 1 || repeat > 20) throw new InvalidParameterException("repeat", $"{repeat} is outside 1 … 20");

        // Fractional positions of the conventional cell: fcc sites and the same shifted by (¼, ¼, ¼).
        ReadOnlySpan<double> basis =
        [
            0, 0, 0, 0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0,
            0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.25, 0.75, 0.75, 0.75, 0.25,
        ];
        int n = 8 * repeat * repeat * repeat;
        var positions = new double[3 * n];
        int atom = 0;
        for (int x = 0; x < repeat; x++)
            for (int y = 0; y < repeat; y++)
                for (int z = 0; z < repeat; z++)
                    for (int b = 0; b < 8; b++, atom++)
                    {
                        positions[3 * atom] = (x + basis[3 * b]) * latticeConstant;
                        positions[3 * atom + 1] = (y + basis[3 * b + 1]) * latticeConstant;
                        positions[3 * atom + 2] = (z + basis[3 * b + 2]) * latticeConstant;
                    }
        var numbers = new int[n];
        Array.Fill(numbers, 14);
        return new Structure(numbers, positions, UnitCell.Cubic(repeat * latticeConstant));
    }

    /// <summary>
    /// Labels <paramref name="structure"/> in place with the Stillinger–Weber silicon results: Info
    /// <c>energy</c> (eV), <c>virial</c> (eV, 9 values row-major) and, for fully periodic cells,
    /// <c>stress</c> (eV/Å³, 9 values row-major); Arrays <c>forces</c> (eV/Å, 3 columns).
    /// Returns the computed result.
    /// </summary>
    public static PotentialResult Label(Structure structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var result = StillingerWeber.Silicon.Compute(structure);
        structure.Info["energy"] = InfoValue.Real(result.Energy);
        structure.Info["virial"] = InfoValue.Real((double[])result.Virial.Clone());
        if (result.Stress is { } stress) structure.Info["stress"] = InfoValue.Real((double[])stress.Clone());
        else structure.Info.Remove("stress");
        structure.Arrays["forces"] = AtomProperty.Real(3, (double[])result.Forces.Clone());
        return result;
    }

    /// <summary>Row vector times matrix in place: v ← v F (F row-major 3×3).</summary>
    private static void TransformRow(Span<double> v, double[] f)
    {
        double x = v[0], y = v[1], z = v[2];
        for (int b = 0; b < 3; b++) v[b] = x * f[b] + y * f[3 + b] + z * f[6 + b];
    }

    /// <summary>A standard normal deviate by Box–Muller: √(−2 ln u1) cos(2π u2), u1 ∈ (0, 1].</summary>
    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

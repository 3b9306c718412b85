using Specialized.Models.Potentials;
using Specialized.Structures;
using static Specialized.Tests.Models.PotentialTestSupport;

namespace Specialized.Tests.Models;

public class StillingerWeberTests
{
    private const double Epsilon = 2.1683, Sigma = 2.0951;

    [Fact]
    public void DiamondHasThePublishedCohesiveEnergyZeroForcesAndIsotropicStress()
    {
        foreach (int repeat in new[] { 1, 2 })
        {
            var s = SiliconDataset.Diamond(5.431, repeat);
            var r = Sw.Compute(s);
            Assert.Equal(-4.3366, r.Energy / s.AtomCount, 1e-4);
            Assert.All(r.Forces, f => Assert.True(Math.Abs(f) < 1e-10, $"force component {f}"));
            var stress = r.Stress!;
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                {
                    if (a == b) Assert.Equal(stress[0], stress[4 * a], 1e-12);
                    else Assert.True(Math.Abs(stress[3 * a + b]) < 1e-12, $"off-diagonal stress {stress[3 * a + b]}");
                }
        }
    }

    [Fact]
    public void PrimitiveCellSmallerThanTheCutoffGivesTheSameEnergyPerAtom()
    {
        // Face distance a/√3 ≈ 3.14 Å < r_c ≈ 3.77 Å: every atom sees several images of itself and its partner.
        var primitive = PrimitiveDiamond();
        var (da, _, _) = primitive.Cell!.FaceDistances();
        Assert.True(da < Sw.Cutoff);
        var conventional = SiliconDataset.Diamond();
        Assert.Equal(Energy(conventional) / 8, Energy(primitive) / 2, 1e-12);
    }

    [Fact]
    public void DiamondIsInEquilibriumAtTheExperimentalLatticeConstant()
    {
        // P = −dE/dV with V = a³ (8-atom cubic cell): dE/da = −3a² P.
        const double a = 5.431, h = 1e-4;
        double dEda = (Energy(SiliconDataset.Diamond(a + h)) - Energy(SiliconDataset.Diamond(a - h))) / (2 * h);
        double pressure = -dEda / (3 * a * a);
        Assert.True(Math.Abs(pressure) < 0.01, $"pressure {pressure} eV/Å³");

        // The analytic stress agrees: an isotropic strain δ gives dE/dδ = V tr σ = −3 V P.
        var stress = Sw.Compute(SiliconDataset.Diamond(a)).Stress!;
        Assert.Equal(-pressure, (stress[0] + stress[4] + stress[8]) / 3, 1e-6);
        // The SW minimum lies at a = 4 · 2^{1/6} σ / √3 ≈ 5.4309 Å.
        Assert.Equal(5.431, 4 * Math.Pow(2, 1.0 / 6) * Sigma / Math.Sqrt(3), 3);
    }

    [Fact]
    public void TrimerMatchesTheFormulaByHand()
    {
        // Two arms of 2.35 Å at 120° around atom 0; the ends are 4.07 Å apart (beyond the cutoff), so
        // only atom 0 has a three-body term: E = 2 φ2(r) + λε (cos 120° + 1/3)² exp(γσ/(r − aσ))².
        const double r = 2.35;
        double ang = 2 * Math.PI / 3;
        var s = new Structure([14, 14, 14], [0, 0, 0, r, 0, 0, r * Math.Cos(ang), r * Math.Sin(ang), 0]);
        double rc = 1.8 * Sigma;
        double sr = Sigma / r;
        double phi2 = 7.049556277 * Epsilon * (0.6022245584 * Math.Pow(sr, 4) - 1) * Math.Exp(Sigma / (r - rc));
        double phi3 = 21.0 * Epsilon * Math.Pow(-0.5 + 1.0 / 3, 2) * Math.Pow(Math.Exp(1.2 * Sigma / (r - rc)), 2);
        Assert.Equal(2 * phi2 + phi3, Energy(s), 1e-12);
        Assert.Null(Sw.Compute(s).Stress);
    }

    [Fact]
    public void PairEnergyIsMinusEpsilonAtTheMinimumAndVanishesAtTheCutoff()
    {
        double rmin = Math.Pow(2, 1.0 / 6) * Sigma;
        Assert.Equal(-Epsilon, Energy(new Structure([14, 14], [0, 0, 0, rmin, 0, 0])), 6);
        Assert.Equal(0.0, Energy(new Structure([14, 14], [0, 0, 0, Sw.Cutoff, 0, 0])));
        double justInside = Energy(new Structure([14, 14], [0, 0, 0, Sw.Cutoff - 1e-3, 0, 0]));
        Assert.True(justInside <= 0 && justInside > -1e-300, $"E(r_c − 1e-3) = {justInside}");
        Assert.Equal(3.77118, Sw.Cutoff, 5);
    }

    public static TheoryData<string> ForceCases => ["rattled8", "rattled64", "cluster", "triclinic2"];

    private static Structure Case(string name) => name switch
    {
        "rattled8" => Rattle(Transform(SiliconDataset.Diamond(), [1.02, 0.01, 0, 0.01, 0.99, -0.015, 0, -0.015, 1.0]), 0.1, 1),
        "rattled64" => Rattle(SiliconDataset.Diamond(repeat: 2), 0.12, 2),
        "cluster" => Cluster(3),
        // A sheared primitive cell: triclinic, face distances below the cutoff.
        "triclinic2" => Rattle(Transform(PrimitiveDiamond(), [1.03, 0.04, -0.02, 0.01, 0.98, 0.05, -0.03, 0.02, 1.01]), 0.08, 4),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(ForceCases))]
    public void ForcesAreMinusTheEnergyGradient(string name)
    {
        var s = Case(name);
        var analytic = Sw.Compute(s).Forces;
        var numeric = FiniteDifferenceForces(s);
        double err = MaxAbsDiff(analytic, numeric);
        Assert.True(err <= 1e-7, $"{name}: max |F − F_fd| = {err:E2} eV/Å");
        Assert.True(analytic.Max(Math.Abs) > 0.1, "the test structure should not be at equilibrium");
    }

    public static TheoryData<string> VirialCases => ["rattled8", "triclinic2", "small-triclinic", "rattled64", "cluster"];

    [Theory]
    [MemberData(nameof(VirialCases))]
    public void VirialIsMinusTheStrainDerivative(string name)
    {
        var s = name == "small-triclinic"
            // 4 atoms in a strongly skewed cell with face distances well below the cutoff.
            ? Rattle(new Structure([14, 14, 14, 14], [0, 0, 0, 1.4, 1.3, 1.2, 2.9, 0.2, 1.5, 1.3, 2.7, 0.4],
                new UnitCell([3.9, 0.3, 0.2, 1.6, 3.6, -0.4, 0.9, 1.1, 3.8])), 0.02, 5)
            : Case(name);
        var r = Sw.Compute(s);
        var numeric = FiniteDifferenceVirial(s);
        double err = MaxAbsDiff(r.Virial, numeric);
        Assert.True(err <= 1e-6, $"{name}: max |W − W_fd| = {err:E2} eV (W = [{string.Join(", ", r.Virial.Select(x => x.ToString("G6")))}])");
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < a; b++)
                Assert.True(Math.Abs(r.Virial[3 * a + b] - r.Virial[3 * b + a]) < 1e-10, "virial is symmetric");
        if (s.Cell is { } cell)
            for (int k = 0; k < 9; k++) Assert.Equal(-r.Virial[k] / cell.Volume, r.Stress![k], 1e-14);
    }

    [Fact]
    public void TranslationAndWrappingLeaveEverythingUnchanged()
    {
        foreach (var s in new[] { Case("rattled8"), Case("triclinic2"), Case("cluster") })
        {
            var reference = Sw.Compute(s);
            var moved = s.Clone();
            var p = moved.Positions;
            for (int i = 0; i < moved.AtomCount; i++)
            {
                p[3 * i] += 0.37; p[3 * i + 1] -= 1.91; p[3 * i + 2] += 12.5;
                // Also jump single atoms by whole lattice vectors (unwrapped input).
                if (s.Cell is { } c && i % 2 == 0)
                    for (int d = 0; d < 3; d++) p[3 * i + d] += 2 * c[0, d] - 3 * c[2, d];
            }
            var r = Sw.Compute(moved);
            Assert.Equal(reference.Energy, r.Energy, 1e-10);
            Assert.True(MaxAbsDiff(reference.Forces, r.Forces) < 1e-10);
            Assert.True(MaxAbsDiff(reference.Virial, r.Virial) < 1e-9);
        }
    }

    [Fact]
    public void RotationRotatesForcesAndVirial()
    {
        var q = Rotation(0.3, -1.1, 0.7, 0.83);
        foreach (var s in new[] { Case("rattled8"), Case("triclinic2"), Case("cluster") })
        {
            var reference = Sw.Compute(s);
            var r = Sw.Compute(Transform(s, q)); // r → r Q for positions and cell
            Assert.Equal(reference.Energy, r.Energy, 1e-10);
            var expectedF = (double[])reference.Forces.Clone();
            for (int i = 0; i < s.AtomCount; i++) MultiplyRow(expectedF.AsSpan(3 * i, 3), q);
            Assert.True(MaxAbsDiff(expectedF, r.Forces) < 1e-10);
            // W' = Qᵀ W Q.
            var expectedW = new double[9];
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    for (int c = 0; c < 3; c++)
                        for (int d = 0; d < 3; d++)
                            expectedW[3 * a + b] += q[3 * c + a] * reference.Virial[3 * c + d] * q[3 * d + b];
            Assert.True(MaxAbsDiff(expectedW, r.Virial) < 1e-9);
        }
    }

    [Fact]
    public void PermutationPermutesForces()
    {
        var s = Case("rattled64");
        var reference = Sw.Compute(s);
        int n = s.AtomCount;
        var perm = Enumerable.Range(0, n).OrderBy(i => (i * 37) % n).ToArray(); // new atom k is old atom perm[k]
        var p = new double[3 * n];
        for (int k = 0; k < n; k++)
            for (int d = 0; d < 3; d++) p[3 * k + d] = s.Positions[3 * perm[k] + d];
        var r = Sw.Compute(new Structure(s.AtomicNumbers, p, s.Cell));
        Assert.Equal(reference.Energy, r.Energy, 1e-10);
        for (int k = 0; k < n; k++)
            for (int d = 0; d < 3; d++) Assert.Equal(reference.Forces[3 * perm[k] + d], r.Forces[3 * k + d], 1e-10);
        Assert.True(MaxAbsDiff(reference.Virial, r.Virial) < 1e-9);
    }

    [Theory]
    [InlineData(2, 2, 2)]
    [InlineData(1, 2, 3)]
    public void SupercellEnergyIsCopiesTimesCellEnergy(int na, int nb, int nc)
    {
        foreach (var cell in new[] { Case("rattled8"), Case("triclinic2") })
        {
            var h = cell.Cell!.Matrix;
            var positions = new List<double>();
            for (int x = 0; x < na; x++)
                for (int y = 0; y < nb; y++)
                    for (int z = 0; z < nc; z++)
                        for (int i = 0; i < cell.AtomCount; i++)
                            for (int d = 0; d < 3; d++)
                                positions.Add(cell.Positions[3 * i + d] + x * h[d] + y * h[3 + d] + z * h[6 + d]);
            double[] big = [na * h[0], na * h[1], na * h[2], nb * h[3], nb * h[4], nb * h[5], nc * h[6], nc * h[7], nc * h[8]];
            int copies = na * nb * nc;
            var super = new Structure(Enumerable.Repeat(14, copies * cell.AtomCount).ToArray(), positions.ToArray(), new UnitCell(big));
            var small = Sw.Compute(cell);
            var r = Sw.Compute(super);
            Assert.Equal(copies * small.Energy, r.Energy, 1e-9);
            for (int k = 0; k < r.Forces.Length; k++) Assert.Equal(small.Forces[k % small.Forces.Length], r.Forces[k], 1e-10);
            for (int k = 0; k < 9; k++)
            {
                Assert.Equal(copies * small.Virial[k], r.Virial[k], 1e-8);
                Assert.Equal(small.Stress![k], r.Stress![k], 1e-12);
            }
        }
    }

    [Fact]
    public void PartiallyPeriodicSlabHasVirialButNoStress()
    {
        var s = Case("rattled8");
        var slab = new Structure(s.AtomicNumbers, s.Positions, new UnitCell(s.Cell!.Matrix, true, true, false));
        var r = Sw.Compute(slab);
        Assert.Null(r.Stress);
        Assert.True(r.Energy > Energy(s), "cutting bonds raises the energy");
        Assert.True(MaxAbsDiff(r.Forces, FiniteDifferenceForces(slab)) <= 1e-7);
        Assert.True(MaxAbsDiff(r.Virial, FiniteDifferenceVirial(slab)) <= 1e-6);
    }

    [Fact]
    public void RejectsOtherElementsNamingTheAtom()
    {
        var s = SiliconDataset.Diamond();
        var numbers = s.AtomicNumbers.ToArray();
        numbers[3] = 8;
        var bad = new Structure(numbers, s.Positions, s.Cell);
        var ex = Assert.Throws<InvalidStructureException>(() => Sw.Compute(bad));
        Assert.Contains("atom 3", ex.Message);
        Assert.Contains("O", ex.Message);
    }

    [Fact]
    public void RejectsOverlappingAtomsAndSingularCells()
    {
        var ex = Assert.Throws<InvalidStructureException>(() => Sw.Compute(new Structure([14, 14, 14], [0, 0, 0, 2.3, 0, 0, 2.3, 0, 0])));
        Assert.Contains("atoms 1 and 2 overlap", ex.Message);
        Assert.Throws<InvalidStructureException>(() =>
            Sw.Compute(new Structure([14], [0, 0, 0], new UnitCell([3, 0, 0, 0, 3, 0, 0, 0, 0]))));
    }

    [Fact]
    public void EmptyAndIsolatedStructuresHaveZeroEnergy()
    {
        Assert.Equal(0.0, Energy(new Structure([], [])));
        var lone = Sw.Compute(new Structure([14], [1, 2, 3], UnitCell.Cubic(20)));
        Assert.Equal(0.0, lone.Energy);
        Assert.All(lone.Stress!, x => Assert.Equal(0.0, x));
    }
}

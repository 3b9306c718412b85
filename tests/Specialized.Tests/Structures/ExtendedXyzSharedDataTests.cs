using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Structures;

/// <summary>
/// The datasets in ../shared/data and ../shared/bench: each parses with the frame and atom counts its
/// README gives, and write → read gives back identical structures.
/// </summary>
public class ExtendedXyzSharedDataTests
{
    /// <summary>Every extended XYZ file of the shared datasets, relative to ../shared.</summary>
    public static readonly string[] Files =
    [
        "data/methane_random_100.extxyz",
        "data/ethanol_rmd17_reduced_100.xyz",
        "data/qm7x_reduced_100_CHNO_dipole_polarizability.xyz",
        "data/carbon_gap17_reduced_100.xyz",
        "data/lode_charge-charge_dimers_130.xyz",
        "data/mendeleev_soup_16x102atoms_petmad.xyz",
        "bench/si216.xyz",
        "bench/water192.xyz",
        "bench/hea256.xyz",
        "bench/molecules.xyz",
    ];

    public static TheoryData<string> AllFiles => [.. Files];

    private static List<Structure> Load(string file) => ExtendedXyz.ReadFile(SharedData.PathOf(file.Split('/')));

    [SharedFact]
    public void EveryDatasetFileIsListed()
    {
        var present = new[] { "data", "bench" }
            .SelectMany(dir => Directory.GetFiles(SharedData.PathOf(dir))
                .Where(f => f.EndsWith(".xyz", StringComparison.Ordinal) || f.EndsWith(".extxyz", StringComparison.Ordinal))
                .Select(f => $"{dir}/{Path.GetFileName(f)}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Files.Order(StringComparer.Ordinal), present);
    }

    [SharedTheory]
    [MemberData(nameof(AllFiles))]
    public void WriteThenReadGivesIdenticalStructures(string file)
    {
        var frames = Load(file);
        Assert.NotEmpty(frames);
        var sw = new StringWriter();
        ExtendedXyz.Write(sw, frames);
        var again = ExtendedXyz.Read(new StringReader(sw.ToString()), file + " (rewritten)");
        StructureAssert.Identical(frames, again);
    }

    [SharedTheory]
    [MemberData(nameof(AllFiles))]
    public void WriteFileThenReadFileGivesIdenticalStructures(string file)
    {
        var frames = Load(file);
        string dir = Directory.CreateTempSubdirectory("xyz-shared-").FullName;
        try
        {
            string path = Path.Combine(dir, Path.GetFileName(file));
            ExtendedXyz.WriteFile(path, frames);
            StructureAssert.Identical(frames, ExtendedXyz.ReadFile(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void AllFrames(List<Structure> frames, int count, Action<Structure> check)
    {
        Assert.Equal(count, frames.Count);
        foreach (var s in frames) check(s);
    }

    private static void RealInfo(Structure s, string key, int length) =>
        Assert.Equal(length, Assert.IsType<double[]>(s.Info[key].Reals).Length);

    private static void RealArray(Structure s, string key, int columns)
    {
        var a = s.Arrays[key];
        Assert.Equal(PropertyKind.Real, a.Kind);
        Assert.Equal(columns, a.Columns);
        Assert.Equal(s.AtomCount * columns, a.Length);
    }

    [SharedFact]
    public void Methane() => AllFrames(Load("data/methane_random_100.extxyz"), 100, s =>
    {
        Assert.Equal([1, 6], s.Species());
        Assert.Equal(5, s.AtomCount);
        Assert.NotNull(s.Cell); // Lattice given, pbc="F F F": not periodic
        Assert.False(s.IsPeriodic);
        Assert.Equal(["energy"], s.Info.Keys);
        RealInfo(s, "energy", 1);
        Assert.Equal(["forces"], s.Arrays.Keys);
        RealArray(s, "forces", 3);
    });

    [SharedFact]
    public void Ethanol() => AllFrames(Load("data/ethanol_rmd17_reduced_100.xyz"), 100, s =>
    {
        Assert.Equal(9, s.AtomCount);
        Assert.Equal([1, 6, 8], s.Species());
        Assert.Null(s.Cell);
        RealInfo(s, "energy", 1);
        Assert.InRange(s.Info["energy"].Reals![0], -97100, -97000);
        RealArray(s, "forces", 3);
    });

    [SharedFact]
    public void Qm7x()
    {
        var frames = Load("data/qm7x_reduced_100_CHNO_dipole_polarizability.xyz");
        AllFrames(frames, 100, s =>
        {
            Assert.InRange(s.AtomCount, 7, 11);
            Assert.Null(s.Cell);
            Assert.Equal(["mu", "alpha"], s.Info.Keys);
            RealInfo(s, "mu", 3);
            RealInfo(s, "alpha", 9);
            Assert.Empty(s.Arrays);
        });
        Assert.Equal(1015, frames.Sum(s => s.AtomCount));
        Assert.Equal([1, 6, 7, 8], frames.SelectMany(s => s.Species()).Distinct().Order());
    }

    [SharedFact]
    public void Carbon() => AllFrames(Load("data/carbon_gap17_reduced_100.xyz"), 100, s =>
    {
        Assert.Equal(4, s.AtomCount);
        Assert.Equal([6], s.Species());
        Assert.True(s.IsPeriodic);
        Assert.Equal([true, true, true], s.Cell!.Pbc);
        Assert.Equal(["frac_pos", "force"], s.Arrays.Keys);
        RealArray(s, "force", 3);
        RealArray(s, "frac_pos", 3);
        RealInfo(s, "energy", 1);
        RealInfo(s, "virial", 9);
        StructureAssert.Same(InfoValue.Text("650 eV"), s.Info["cut_off_energy"]);
        Assert.Equal(3, Assert.IsType<long[]>(s.Info["kpoints_mp_grid"].Integers).Length);
        StructureAssert.Same(InfoValue.Logical(false), s.Info["spin_polarized"]);
        StructureAssert.Same(InfoValue.Text("bulk_cryst"), s.Info["config_type"]);
        Assert.Equal("energy", s.Info.Keys.First());
        Assert.Equal("nneightol", s.Info.Keys.Last());
    });

    [SharedFact]
    public void ChargeChargeDimers()
    {
        var frames = Load("data/lode_charge-charge_dimers_130.xyz");
        AllFrames(frames, 130, s =>
        {
            Assert.InRange(s.AtomCount, 15, 23);
            Assert.True(s.IsPeriodic);
            Assert.Equal([30.0, 0, 0, 0, 30, 0, 0, 0, 30], s.Cell!.Matrix.ToArray());
            Assert.Equal(["energy", "label", "chargeA", "energyA", "chargeB", "energyB", "distance"], s.Info.Keys);
            StructureAssert.Same(InfoValue.Text("CC"), s.Info["label"]);
            Assert.Equal(PropertyKind.Integer, s.Info["chargeA"].Kind);
            Assert.Equal(1, Math.Abs(s.Info["chargeA"].Integers![0]));
            RealArray(s, "forces", 3);
        });
        Assert.Equal(2574, frames.Sum(s => s.AtomCount));
    }

    [SharedFact]
    public void MendeleevSoup() => AllFrames(Load("data/mendeleev_soup_16x102atoms_petmad.xyz"), 16, s =>
    {
        Assert.Equal(102, s.AtomCount);
        Assert.Equal(Enumerable.Range(1, 102), s.Species());
        Assert.True(s.IsPeriodic);
        RealInfo(s, "energy", 1);
        RealInfo(s, "stress", 9);
        RealArray(s, "forces", 3);
    });

    [SharedTheory]
    [InlineData("bench/si216.xyz", 216, 1, 16.29)]
    [InlineData("bench/water192.xyz", 192, 2, 12.42)]
    [InlineData("bench/hea256.xyz", 256, 10, 14.4)]
    public void BenchCrystals(string file, int atoms, int species, double edge) => AllFrames(Load(file), 1, s =>
    {
        Assert.Equal(atoms, s.AtomCount);
        Assert.Equal(species, s.Species().Length);
        Assert.True(s.IsPeriodic);
        Assert.Equal([edge, 0, 0, 0, edge, 0, 0, 0, edge], s.Cell!.Matrix.ToArray());
        Assert.Empty(s.Info);
        Assert.Empty(s.Arrays);
    });

    [SharedFact]
    public void Molecules()
    {
        var frames = Load("bench/molecules.xyz");
        AllFrames(frames, 162, s =>
        {
            Assert.InRange(s.AtomCount, 1, 14);
            Assert.Null(s.Cell);
        });
        // The G2 fluorine atom is written name=F, which reads as logical false, as it does in ASE.
        var names = frames.Where(s => s.Info["name"].Kind == PropertyKind.String).Select(s => s.Info["name"].Strings![0]).ToList();
        Assert.Equal(161, names.Count);
        Assert.Equal(161, names.Distinct().Count());
        var fluorine = Assert.Single(frames, s => s.Info["name"].Kind != PropertyKind.String);
        StructureAssert.Same(InfoValue.Logical(false), fluorine.Info["name"]);
        Assert.Equal([9], fluorine.AtomicNumbers.ToArray());
        Assert.True(frames.All(s => s.Arrays.Count == 0 || s.Arrays.Keys.Single() == "initial_magmoms"));
        Assert.Equal(860, frames.Sum(s => s.AtomCount));
        Assert.Equal(14, frames.SelectMany(s => s.Species()).Distinct().Count());
        StructureAssert.Same(InfoValue.Text("PH3"), frames[0].Info["name"]);
    }
}

using Specialized.Structures;

namespace Specialized.Benchmarks;

/// <summary>
/// The fixed benchmark structures of <c>../shared/bench</c> (beside the repository root, i.e. the
/// folder holding Specialized.sln; the environment variable SPECIALIZED_SHARED names another
/// <c>shared</c> folder). Names are the file stems: si216, water192, hea256, molecules.
/// </summary>
public static class BenchData
{
    /// <summary>The benchmark structures, in the order of the results tables.</summary>
    public static readonly string[] Names = ["si216", "water192", "hea256", "molecules"];

    private static readonly Lazy<string> s_directory = new(Locate);
    private static readonly Dictionary<(string, int), Structure[]> s_cache = [];

    /// <summary>Absolute path of the bench folder; throws <see cref="BenchDataMissingException"/> when absent.</summary>
    public static string Directory => s_directory.Value;

    /// <summary>The frames of structure <paramref name="name"/>, each periodic frame repeated k×k×k times (k = <paramref name="supercell"/>).</summary>
    public static Structure[] Frames(string name, int supercell = 1)
    {
        lock (s_cache)
        {
            if (s_cache.TryGetValue((name, supercell), out var cached)) return cached;
            var path = Path.Combine(Directory, name + ".xyz");
            if (!File.Exists(path)) throw new BenchDataMissingException($"{path}: no such benchmark structure (expected one of {string.Join(", ", Names)})");
            var frames = ExtendedXyz.ReadFile(path).Select(f => supercell == 1 ? f : Supercell(f, supercell)).ToArray();
            s_cache[(name, supercell)] = frames;
            return frames;
        }
    }

    /// <summary>Total number of atoms of <see cref="Frames"/>.</summary>
    public static int AtomCount(string name, int supercell = 1) => Frames(name, supercell).Sum(f => f.AtomCount);

    /// <summary>
    /// The k×k×k supercell: atoms r + (s1 h1 + s2 h2 + s3 h3) for s ∈ {0…k−1}³ (s1 slowest, the
    /// original atom order fastest), cell rows k·h_i. Needs a fully periodic cell.
    /// </summary>
    public static Structure Supercell(Structure structure, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "the supercell factor must be ≥ 1");
        var cell = structure.Cell;
        if (cell is null || !cell.Pbc.All(p => p)) throw new ArgumentException("a supercell needs a fully periodic cell", nameof(structure));
        var h = cell.Matrix;
        int n = structure.AtomCount;
        var numbers = new int[n * k * k * k];
        var positions = new double[3 * numbers.Length];
        int atom = 0;
        for (int s1 = 0; s1 < k; s1++)
            for (int s2 = 0; s2 < k; s2++)
                for (int s3 = 0; s3 < k; s3++)
                    for (int i = 0; i < n; i++, atom++)
                    {
                        numbers[atom] = structure.AtomicNumbers[i];
                        for (int d = 0; d < 3; d++)
                            positions[3 * atom + d] = structure.Positions[3 * i + d] + s1 * h[d] + s2 * h[3 + d] + s3 * h[6 + d];
                    }
        var big = new double[9];
        for (int q = 0; q < 9; q++) big[q] = k * h[q];
        return new Structure(numbers, positions, new UnitCell(big));
    }

    private static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("SPECIALIZED_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            var fromEnv = Path.Combine(env, "bench");
            if (System.IO.Directory.Exists(fromEnv)) return Path.GetFullPath(fromEnv);
            throw new BenchDataMissingException($"SPECIALIZED_SHARED={env}, but {fromEnv} does not exist");
        }
        var root = RepositoryRoot()
            ?? throw new BenchDataMissingException(
                $"Specialized.sln not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}; run the benchmarks from the repository");
        var bench = Path.GetFullPath(Path.Combine(root, "..", "shared", "bench"));
        if (!System.IO.Directory.Exists(bench))
            throw new BenchDataMissingException(
                $"the benchmark structures are not at {bench} (expected ../shared/bench beside the repository root {root}); " +
                "check out the shared folder there or set SPECIALIZED_SHARED to a folder containing bench/");
        return bench;
    }

    private static string? RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Specialized.sln"))) return dir.FullName;
        return null;
    }
}

/// <summary>The benchmark structures could not be found; the message says where they were expected.</summary>
public sealed class BenchDataMissingException(string message) : Exception(message);

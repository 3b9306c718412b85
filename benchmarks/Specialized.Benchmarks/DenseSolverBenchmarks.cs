using BenchmarkDotNet.Attributes;
using Specialized.Models.LinearAlgebra;

namespace Specialized.Benchmarks;

/// <summary>
/// Dense solves behind <see cref="IDenseSolver"/>: the managed MathNet.Numerics path against Debian's OpenBLAS
/// (P/Invoke, present when libopenblas0 is installed). One SPD solve A X = B with A = Gᵀ G + n·I (n × n) and
/// 8 right-hand sides, the shape of the ridge normal equations.
/// </summary>
[MemoryDiagnoser]
public class DenseSolverBenchmarks
{
    private double[] _a = [], _b = [], _aWork = [], _bWork = [];
    private IDenseSolver _solver = DenseSolvers.Managed;

    /// <summary>Matrix size.</summary>
    [Params(500, 2000)]
    public int N { get; set; }

    /// <summary>managed or openblas.</summary>
    [Params("managed", "openblas")]
    public string Solver { get; set; } = "managed";

    /// <summary>Builds a well-conditioned SPD system (seeded).</summary>
    [GlobalSetup]
    public void Setup()
    {
        if (Solver == "openblas" && !OpenBlasDenseSolver.IsAvailable)
            throw new InvalidOperationException("OpenBLAS is not installed (apt-get install libopenblas0)");
        _solver = DenseSolvers.Create(Solver);
        var rng = new Random(1);
        var g = new double[N * N];
        for (int k = 0; k < g.Length; k++) g[k] = rng.NextDouble() - 0.5;
        _a = new double[N * N];
        DenseSolvers.Managed.Gram(g, N, N, _a);
        for (int i = 0; i < N; i++) _a[i * N + i] += N;
        _b = new double[N * 8];
        for (int k = 0; k < _b.Length; k++) _b[k] = rng.NextDouble();
        _aWork = new double[_a.Length];
        _bWork = new double[_b.Length];
    }

    /// <summary>Cholesky factorisation and solve (inputs copied first: the solve works in place).</summary>
    [Benchmark]
    public bool CholeskySolve()
    {
        _a.CopyTo(_aWork, 0);
        _b.CopyTo(_bWork, 0);
        return _solver.TrySolveSpd(_aWork, N, _bWork, 8);
    }
}

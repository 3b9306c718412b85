using BenchmarkDotNet.Running;
using Specialized.Density;
using Specialized.Features;

namespace Specialized.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/Specialized.Benchmarks -- --filter '*PowerSpectrum*'</c>
/// (BenchmarkDotNet's switcher: --list flat, --job dry|short|medium, --filter, --exporters …), or
/// <c>-- --check</c> to verify the generated inputs.
/// </summary>
public static class Program
{
    /// <summary>Checks that the benchmark structures exist, then runs the selected suites.</summary>
    public static int Main(string[] args)
    {
        try
        {
            Console.WriteLine($"benchmark structures: {BenchData.Directory}");
            if (args is ["--check"]) return CheckSupercells();
        }
        catch (BenchDataMissingException e)
        {
            Console.Error.WriteLine($"Specialized.Benchmarks: {e.Message}");
            return 2;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    /// <summary>
    /// The scaling series must do the same work per atom: every atom of the 2×2×2 si216 supercell has
    /// the power spectrum of its original (a periodic crystal repeated is the same crystal).
    /// </summary>
    private static int CheckSupercells()
    {
        var calculator = Representation.Create(RepresentationKind.PowerSpectrum, FeaturizationBenchmark.SoapRows, new SpeciesList([14]));
        var computer = new FeatureComputer(calculator);
        var small = computer.Compute(BenchData.Frames("si216")[0]);
        var big = computer.Compute(BenchData.Frames("si216", 2)[0]);
        int n = small.AtomCount, f = small.FeatureCount;
        double worst = 0, scale = small.Values.Max(Math.Abs);
        for (int i = 0; i < big.AtomCount; i++)
            for (int k = 0; k < f; k++) worst = Math.Max(worst, Math.Abs(big.Values[i * f + k] - small.Values[i % n * f + k]));
        bool ok = big.AtomCount == 8 * n && worst <= 1e-12 * scale;
        Console.WriteLine($"si216 ×2×2×2: {big.AtomCount} atoms, max |ΔX| = {worst:E2} (max |X| = {scale:E2}): {(ok ? "ok" : "FAILED")}");
        return ok ? 0 : 1;
    }
}

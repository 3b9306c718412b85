using BenchmarkDotNet.Running;

namespace Specialized.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/Specialized.Benchmarks -- --filter '*PowerSpectrum*'</c>
/// (BenchmarkDotNet's switcher: --list flat, --job dry|short|medium, --filter, --exporters …).
/// </summary>
public static class Program
{
    /// <summary>Checks that the benchmark structures exist, then runs the selected suites.</summary>
    public static int Main(string[] args)
    {
        try
        {
            Console.WriteLine($"benchmark structures: {BenchData.Directory}");
        }
        catch (BenchDataMissingException e)
        {
            Console.Error.WriteLine($"Specialized.Benchmarks: {e.Message}");
            return 2;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

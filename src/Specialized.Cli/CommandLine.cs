namespace Specialized.Cli;

/// <summary>Dispatches <c>specialized SUBCOMMAND …</c>. Exit codes: 0 success, 1 unexpected failure, 2 bad usage or input.</summary>
public static class CommandLine
{
    /// <summary>Runs one invocation, writing results to <paramref name="stdout"/> and diagnostics to <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            return args[0] switch
            {
                "featurize" => FeaturizeCommand.Run(args[1..], stdout, stderr),
                "fit" => FitCommand.Run(args[1..], stdout, stderr),
                "predict" => PredictCommand.Run(args[1..], stdout, stderr),
                "evaluate" => EvaluateCommand.Run(args[1..], stdout, stderr),
                "demo" => DemoCommand.Run(args[1..], stdout, stderr),
                "generate" => GenerateCommand.Run(args[1..], stdout, stderr),
                "bench" => BenchCommand.Run(args[1..], stdout, stderr),
                _ => throw new UsageException($"unknown command '{args[0]}' (try --help)"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"specialized: {e.Message}");
            return 2;
        }
        catch (SpecializedException e)
        {
            stderr.WriteLine($"specialized: {OneLine(e.Message)}");
            return 2;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"specialized: {OneLine(e.Message)}");
            return 2;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"specialized: {OneLine(e.Message)}");
            return 2;
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    /// <summary>Top-level help text.</summary>
    public const string Usage = """
        specialized — symmetry-adapted atom-density representations

        usage: specialized COMMAND [options]

        commands:
          featurize INPUT.xyz -o OUT.npy [options]   features of every atom (see 'specialized featurize --help')
          fit TRAIN.xyz -o MODEL [options]           fit a potential or tensor model (see 'specialized fit --help')
          predict MODEL INPUT.xyz -o OUT.xyz         predictions as extended XYZ
          evaluate MODEL TEST.xyz                    MAE/RMSE per target, parity plot and error histogram (SVG)
          demo                                       learning curves on Stillinger-Weber silicon, no files needed
          generate --l-max L --n-max N [options]     print the kernel the source generator emits for a spec
          bench STRUCTURE.xyz [options]              time featurisation, one JSON line (see 'specialized bench --help')
        """;
}

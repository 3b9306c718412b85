namespace Specialized.Cli;

/// <summary>Dispatches <c>specialized SUBCOMMAND …</c>. Exit codes: 0 success, 1 runtime failure, 2 bad usage or input.</summary>
public static class CommandLine
{
    /// <summary>Runs one invocation, writing results to <paramref name="stdout"/> and diagnostics to <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        stderr.WriteLine($"specialized: unknown command '{args[0]}' (try --help)");
        return 2;
    }

    /// <summary>Top-level help text.</summary>
    public const string Usage = """
        specialized — symmetry-adapted atom-density representations

        usage: specialized COMMAND [options]

        commands:
          featurize INPUT.xyz -o OUT.npy [options]   compute features of every atom (see 'specialized featurize --help')
        """;
}

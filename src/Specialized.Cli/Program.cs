namespace Specialized.Cli;

/// <summary>Entry point of the <c>specialized</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Main(string[] args) => CommandLine.Run(args, Console.Out, Console.Error);
}

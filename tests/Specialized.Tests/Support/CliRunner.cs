using Specialized.Cli;

namespace Specialized.Tests.Support;

/// <summary>Runs the <c>specialized</c> command in-process and captures its exit code and output.</summary>
public static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}

using Specialized.Cli;
using Specialized.Generators.Tests.Support;

namespace Specialized.Generators.Tests;

/// <summary><c>specialized generate</c> prints exactly what the generator emits (the "Tiny" snapshots) and reports spec problems.</summary>
public class CliGenerateTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Generate_PrintsTheGeneratorOutput()
    {
        var (code, output, err) = Run("generate", "--l-max", "2", "--n-max", "3", "--body-order", "2", "--species-count", "2",
            "--lambda", "1", "--name", "Tiny", "--namespace", "Demo");
        Assert.True(code == 0, err);
        const string marker = "// ==== ";
        var files = output.Split(marker, StringSplitOptions.RemoveEmptyEntries)
            .Select(chunk =>
            {
                int eol = chunk.IndexOf('\n');
                string header = chunk[..eol];
                Assert.EndsWith(" ====", header);
                return (Hint: header[..^" ====".Length], Text: chunk[(eol + 1)..]);
            })
            .ToList();
        Assert.Equal(5, files.Count);
        // Same files, same bytes as the generator run on [Representation(LMax = 2, NMax = 3, BodyOrder = 2, SpeciesCount = 2)] [EquivariantBlock(1, +1)].
        Snapshots.Verify("Tiny", files);
    }

    [Fact]
    public void Generate_NiceSpec_PrintsTheGeneratorOutput()
    {
        var (code, output, err) = Run("generate", "--l-max", "1", "--n-max", "2", "--body-order", "4", "--species", "1,6,8",
            "--species-rank", "2", "--max-lambda", "2", "--name", "ReducedSmall", "--namespace", "Demo");
        Assert.True(code == 0, err);
        var files = output.Split("// ==== ", StringSplitOptions.RemoveEmptyEntries)
            .Select(chunk => (Hint: chunk[..chunk.IndexOf(" ====\n", StringComparison.Ordinal)], Text: chunk[(chunk.IndexOf('\n') + 1)..]))
            .ToList();
        Assert.Contains(files, f => f.Hint == "Demo.ReducedSmall.Nice.g.cs");
        // Same bytes as the generator run on [Representation(LMax = 1, NMax = 2, BodyOrder = 4, Species = …, SpeciesRank = 2, MaxLambda = 2)].
        Snapshots.Verify("ReducedSmall", files);
    }

    [Fact]
    public void Generate_MaxLambdaOnASoapSpec_ReportsSpec005()
    {
        var (code, output, err) = Run("generate", "--l-max", "2", "--n-max", "3", "--max-lambda", "1");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("SPEC005", err);
        Assert.Contains("MaxLambda", err);
    }

    [Fact]
    public void Generate_InvalidSpec_ReportsTheAnalyzerId()
    {
        var (code, output, err) = Run("generate", "--l-max", "25", "--n-max", "3");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("SPEC004", err);
        Assert.Contains("LMax", err);
    }

    [Theory]
    [InlineData("--n-max", "3")]
    [InlineData("--l-max", "3")]
    [InlineData("--l-max", "3", "--n-max", "3", "--sigma", "2")]
    [InlineData("--l-max", "3", "--n-max", "3", "--name", "1abc")]
    [InlineData("--l-max", "3", "--n-max", "3", "--bogus", "1")]
    public void Generate_BadUsage_ExitsWithTwo(params string[] args)
    {
        var (code, output, err) = Run(["generate", .. args]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("specialized: ", err);
    }
}

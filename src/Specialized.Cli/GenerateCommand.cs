using System.Globalization;
using Specialized.Generators.Emit;
using Specialized.Generators.Model;

namespace Specialized.Cli;

/// <summary>
/// <c>specialized generate --l-max L --n-max N --body-order NU [options]</c>: prints the C# the source generator
/// emits for that spec. The generator's Roslyn-free model, validator and emitter are compiled into the CLI
/// (linked source), so the text is byte-identical to what a build produces, without loading Roslyn (AOT-friendly).
/// </summary>
public static class GenerateCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        usage: specialized generate --l-max L --n-max N [--body-order NU] [options]

        Prints the C# the Specialized source generator emits for
          [Representation(LMax = L, NMax = N, BodyOrder = NU, ...)] public partial struct NAME;
        plus one [EquivariantBlock(lambda, sigma)] per --lambda entry: the files one after another,
        each introduced by a line "// ==== HINT.g.cs ====". Spec problems are reported with the
        analyzer's ids (SPEC001...) and exit code 2.

        options:
          --l-max L                 largest angular channel (required)
          --n-max N                 radial functions per angular channel (required)
          --body-order NU           1 (density coefficients), 2 (power spectrum, lambda-SOAP) or 3..8 (NICE:
                                    every CG coupling path of the body-order iteration, run with NiceDescriptor) (default 2)
          --species-count A         number of species channels (default 1 unless --species is given)
          --species 1,6,8           fixed species list (atomic numbers, ascending)
          --species-rank K          species rank (default 0 = one channel per species; K > 0: tensor-reduced NICE)
          --max-lambda L            NICE / tensor-reduced only: cap lambda_max on every equivariant block (default l-max)
          --lambda L[,L...]         equivariant blocks; an entry may carry its sigma: 1+, 2-
          --sigma S                 sigma (+1 or -1) of --lambda entries without a sign (default +1)
          --no-invariants           omit the invariants (radial spectrum / power spectrum)
          --spherical-expansion     also emit the nu=1 coefficients
          --name T                  struct name (default GeneratedRepresentation)
          --namespace NS            namespace (default Generated; "" for the global namespace)
        """;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, new HashSet<string> { "help", "no-invariants", "spherical-expansion" }, new Dictionary<string, string> { ["-h"] = "--help" });
        if (o.Has("help"))
        {
            stdout.WriteLine(Help);
            return 0;
        }
        if (o.Positional.Count != 0) throw new UsageException($"generate takes no positional arguments, got '{o.Positional[0]}'");
        if (!o.Has("l-max")) throw new UsageException("generate needs --l-max (see 'specialized generate --help')");
        if (!o.Has("n-max")) throw new UsageException("generate needs --n-max (see 'specialized generate --help')");
        int sigma = o.Int("sigma", 1);
        if (sigma is not (1 or -1)) throw new UsageException($"--sigma must be +1 or -1, got {sigma}");
        var species = ParseList(o.String("species"), "species", (s, _) => ParseInt(s, "species"));
        var blocks = ParseList(o.String("lambda"), "lambda", (s, _) => ParseBlock(s, sigma));
        var spec = new SpecModel
        {
            Namespace = o.String("namespace", "Generated")!,
            TypeName = o.String("name", "GeneratedRepresentation")!,
            LMax = o.Int("l-max", 0),
            NMax = o.Int("n-max", 0),
            BodyOrder = o.Int("body-order", 2),
            SpeciesRank = o.Int("species-rank", 0),
            MaxLambda = o.Has("max-lambda") ? o.Int("max-lambda", 0) : SpecModel.Unset,
            SpeciesCount = o.Int("species-count", species.Length == 0 ? 1 : 0),
            Species = new EquatableArray<int>(species),
            Invariants = !o.Has("no-invariants"),
            SphericalExpansion = o.Has("spherical-expansion"),
            Blocks = new EquatableArray<BlockModel>(blocks),
        };
        o.RejectUnused();
        if (!IsIdentifier(spec.TypeName)) throw new UsageException($"--name: '{spec.TypeName}' is not a C# identifier");
        if (spec.Namespace.Length > 0 && !spec.Namespace.Split('.').All(IsIdentifier))
            throw new UsageException($"--namespace: '{spec.Namespace}' is not a C# namespace name");

        var problems = SpecValidator.Validate(spec);
        if (!problems.IsEmpty)
        {
            foreach (var p in problems) stderr.WriteLine($"specialized: {p.Id}: {p.Message}");
            return 2;
        }
        foreach (var file in KernelEmitter.Emit(KernelPlan.Build(spec)))
        {
            stdout.Write("// ==== " + file.Hint + ".g.cs ====\n");
            stdout.Write(file.Text);
        }
        stdout.Flush();
        return 0;
    }

    private static T[] ParseList<T>(string? text, string option, Func<string, int, T> parse)
    {
        if (text is null) return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0)) throw new UsageException($"--{option}: empty entry in '{text}'");
        return [.. parts.Select(parse)];
    }

    private static int ParseInt(string s, string option) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new UsageException($"--{option}: '{s}' is not an integer");

    private static BlockModel ParseBlock(string s, int defaultSigma)
    {
        int sigma = defaultSigma;
        if (s.EndsWith('+')) { sigma = 1; s = s[..^1]; }
        else if (s.EndsWith('-') && s.Length > 1) { sigma = -1; s = s[..^1]; }
        return new BlockModel(ParseInt(s, "lambda"), sigma);
    }

    private static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(ch => char.IsLetterOrDigit(ch) || ch == '_');
}

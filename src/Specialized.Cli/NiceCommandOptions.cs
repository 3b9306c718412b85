using System.Globalization;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary>
/// The NICE / tensor-reduced options of <c>featurize</c> and <c>fit</c>: parses them into <see cref="NiceParameters"/>, then
/// fits the contractions (on <c>--fit-on TRAIN.xyz</c>, else on the input), or reuses a contraction file
/// (<c>--contractions FILE</c>, checked against the requested spec), and saves fitted ones to that file.
/// </summary>
internal static class NiceCommandOptions
{
    /// <summary>Help lines appended to the featurize and fit help.</summary>
    public const string Help = """

        nice / tensor-reduced options (invariants of every body order 1..nu, columns (order, channel, feature)):
          --body-order N         largest body order nu (default 3)
          --max-lambda L         cap on lambda of every equivariant block (default l-max)
          --expand C/I[,C/I...]  expansion widths per step nu -> nu+1: covariant/invariant tasks kept (default 150/300;
                                 one value for both; 'all' = no thresholding; a shorter list repeats its last entry)
          --keep C/I[,C/I...]    PCA components kept per (lambda, sigma) block / invariants (default 50/200; 'all' = no contraction)
          --purify               purify each block against lower orders (ridge; first 10 covariant / 50 invariant features)
          --species-rank K       tensor-reduced: number of mixed channels (default 8)
          --embedding E          tensor-reduced: random (default, seeded per element) | fitted (alchemical PCA)
          --seed S               tensor-reduced: seed of the random embedding (default 0)
          --fit-on TRAIN.xyz     fit the contractions on these structures (default: on the input)
          --fit-environments N   fit on at most N atoms (evenly strided; default all)
          --contractions FILE    with --fit-on (or when FILE does not exist): save the fitted contractions to FILE;
                                 otherwise reuse FILE (its spec must match the options)
        """;

    /// <summary>Reads the NICE options (only called for nice / tensor-reduced).</summary>
    public static (NiceParameters Parameters, string? FitOn, string? Contractions, int? FitEnvironments) Parse(Options o, RepresentationKind kind, SoapParameters density)
    {
        bool reduced = kind == RepresentationKind.TensorReduced;
        if (!reduced)
            foreach (var name in new[] { "species-rank", "embedding", "seed" })
                if (o.Has(name)) throw new UsageException($"--{name} applies to --representation tensor-reduced only");
        int bodyOrder = o.Int("body-order", 3);
        int? maxLambda = o.Has("max-lambda") ? o.Int("max-lambda", 0) : null;
        var expand = Widths(o.String("expand", "150/300")!, "expand");
        var keep = Widths(o.String("keep", "50/200")!, "keep");
        var steps = new List<NiceStep>();
        for (int k = 0; k < Math.Max(expand.Count, keep.Count); k++)
        {
            var (ec, ei) = expand[Math.Min(k, expand.Count - 1)];
            var (kc, ki) = keep[Math.Min(k, keep.Count - 1)];
            steps.Add(new NiceStep(ec, kc, ei, ki));
        }
        var embedding = SpeciesEmbeddingKind.Random;
        int rank = 8, seed = 0;
        if (reduced)
        {
            rank = o.Int("species-rank", 8);
            seed = o.Int("seed", 0);
            embedding = o.String("embedding", "random") switch
            {
                "random" => SpeciesEmbeddingKind.Random,
                "fitted" => SpeciesEmbeddingKind.Fitted,
                var s => throw new UsageException($"--embedding: unknown '{s}' (expected random or fitted)"),
            };
        }
        var parameters = new NiceParameters
        {
            Density = density,
            BodyOrder = bodyOrder,
            MaxLambda = maxLambda,
            Steps = steps,
            SpeciesMode = reduced ? NiceSpeciesMode.TensorReduced : NiceSpeciesMode.PerSpecies,
            SpeciesRank = rank,
            Embedding = embedding,
            Seed = seed,
            Purification = o.Has("purify") ? new NicePurification() : null,
        };
        parameters.Validate();
        int? fitEnvironments = o.Has("fit-environments") ? o.Int("fit-environments", 0) : null;
        if (fitEnvironments is < 1) throw new UsageException($"--fit-environments: must be at least 1, got {fitEnvironments}");
        return (parameters, o.String("fit-on"), o.String("contractions"), fitEnvironments);
    }

    /// <summary>"C/I" or "N" items separated by commas; "all" = null.</summary>
    private static List<(int?, int?)> Widths(string value, string option)
    {
        var result = new List<(int?, int?)>();
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('/', StringSplitOptions.TrimEntries);
            if (parts.Length is < 1 or > 2 || parts.Any(p => p.Length == 0))
                throw new UsageException($"--{option}: '{item}' is not N or COVARIANT/INVARIANT");
            int? cov = Width(parts[0]), inv = Width(parts[^1]);
            result.Add((cov, inv));
        }
        return result;

        int? Width(string s)
        {
            if (s == "all") return null;
            if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < 1)
                throw new UsageException($"--{option}: '{s}' is not a positive integer or 'all'");
            return v;
        }
    }

    /// <summary>Fits or loads the model (see the class summary); progress lines go to <paramref name="stderr"/>.</summary>
    public static NiceModel Model(NiceParameters parameters, string? fitOn, string? contractions, int? fitEnvironments,
        List<Structure> input, SpeciesList? species, TextWriter stderr, bool quiet, string command = "featurize")
    {
        if (contractions is not null && fitOn is null && File.Exists(contractions))
        {
            var loaded = NiceModel.Load(contractions, parameters, species);
            if (!quiet) stderr.WriteLine($"{command}: reusing the contractions in {contractions}");
            return loaded;
        }
        List<Structure> training = input;
        if (fitOn is not null)
        {
            if (!File.Exists(fitOn)) throw new UsageException($"--fit-on {fitOn}: no such file");
            training = ExtendedXyz.ReadFile(fitOn);
            if (training.Count == 0) throw new UsageException($"--fit-on {fitOn}: no frames");
        }
        species ??= SpeciesList.From(training.Concat(input));
        var model = NiceModel.Fit(training, parameters, species, new NiceFitOptions { MaxEnvironments = fitEnvironments });
        if (!quiet) stderr.WriteLine($"{command}: fitted the contractions on {(fitOn ?? "the input")} ({model.FeatureCount} invariants per atom)");
        if (contractions is not null)
        {
            model.Save(contractions);
            if (!quiet) stderr.WriteLine($"{command}: saved the contractions to {contractions}");
        }
        return model;
    }
}

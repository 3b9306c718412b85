using System.Globalization;
using Specialized.Cli.Plotting;
using Specialized.Models;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary><c>specialized evaluate MODEL TEST.xyz</c>: MAE/RMSE per target plus a parity plot and an error histogram (SVG).</summary>
public static class EvaluateCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        usage: specialized evaluate MODEL TEST.xyz [options]

        Compares the model's predictions with the reference values in TEST.xyz (the keys the model was
        trained with) and prints MAE, RMSE and the reference standard deviation per target: energy,
        energy/atom, forces (components), virial/atom or stress (periodic frames), dipole or
        polarizability (Cartesian components). Writes PREFIX.parity.svg (predicted vs reference) and
        PREFIX.errors.svg (histograms of predicted - reference), one panel per target.

        options:
          --plots PREFIX   path prefix of the SVG files (default: TEST without extension)
          --threads N      structures predicted in parallel (default 1)
        """;

    private static readonly string[] Colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"];

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, new HashSet<string> { "help" }, new Dictionary<string, string> { ["-h"] = "--help" });
        if (o.Has("help"))
        {
            stdout.WriteLine(Help);
            return 0;
        }
        if (o.Positional.Count != 2) throw new UsageException("evaluate needs MODEL and TEST.xyz (see 'specialized evaluate --help')");
        string input = o.Positional[1];
        string prefix = o.String("plots") ?? Path.Combine(Path.GetDirectoryName(input) ?? "", Path.GetFileNameWithoutExtension(input));
        int threads = o.Int("threads", 1);
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        o.RejectUnused();

        var model = Model.Load(o.Positional[0]);
        if (!File.Exists(input)) throw new UsageException($"{input}: no such file");
        var frames = ExtendedXyz.ReadFile(input);
        if (frames.Count == 0) throw new UsageException($"{input}: no frames");
        Options.CreateParent(prefix);
        var errors = Evaluation.Evaluate(model, frames, threads);
        if (errors.Count == 0) throw new UsageException($"{input}: no reference values for what the model predicts");

        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"{"target",-16}{"unit",-16}{"count",8}{"MAE",14}{"RMSE",14}{"ref. std",14}");
        foreach (var e in errors)
            stdout.WriteLine(string.Create(c, $"{e.Name,-16}{e.Unit,-16}{e.Count,8}{e.Mae,14:G5}{e.Rmse,14:G5}{e.ReferenceStd,14:G5}"));

        var shown = errors.Where(e => e.Name != "energy" || !errors.Any(x => x.Name == "energy/atom") || e.Count < 2).ToList();
        if (shown.Count == 0) shown = errors;
        Plots(shown, Path.GetFileName(input)).Parity.Save(prefix + ".parity.svg");
        Plots(shown, Path.GetFileName(input)).Errors.Save(prefix + ".errors.svg");
        stderr.WriteLine($"evaluate: wrote {prefix}.parity.svg and {prefix}.errors.svg");
        return 0;
    }

    /// <summary>Parity figure (predicted vs reference) and error-histogram figure, one panel per target.</summary>
    internal static (SvgFigure Parity, SvgFigure Errors) Plots(IReadOnlyList<TargetErrors> errors, string title)
    {
        var c = CultureInfo.InvariantCulture;
        int columns = Math.Min(errors.Count, 3);
        var parity = new SvgFigure(columns, $"Parity: {title}");
        var histogram = new SvgFigure(columns, $"Errors: {title}");
        for (int k = 0; k < errors.Count; k++)
        {
            var e = errors[k];
            string color = Colors[k % Colors.Length];
            var p = parity.AddPanel();
            p.Title = e.Name;
            p.XLabel = $"reference ({e.Unit})";
            p.YLabel = $"predicted ({e.Unit})";
            p.Diagonal = true;
            p.Series.Add(new SvgSeries(null, e.Reference, e.Predicted, color, MarkerRadius: e.Count > 2000 ? 1.5 : 2.5, Opacity: e.Count > 2000 ? 0.35 : 0.7));
            p.Notes.Add(string.Create(c, $"RMSE {e.Rmse:G4}"));
            p.Notes.Add(string.Create(c, $"MAE  {e.Mae:G4}"));
            p.Notes.Add(string.Create(c, $"n = {e.Count}"));

            var h = histogram.AddPanel();
            h.Title = e.Name;
            h.XLabel = $"predicted − reference ({e.Unit})";
            h.YLabel = "count";
            h.BarColor = color;
            var residuals = e.Predicted.Zip(e.Reference, (a, b) => a - b).ToArray();
            foreach (var bar in Histogram(residuals)) h.Bars.Add(bar);
            h.Notes.Add(string.Create(c, $"RMSE {e.Rmse:G4}"));
            h.Notes.Add(string.Create(c, $"mean {residuals.Average():G3}"));
        }
        return (parity, histogram);
    }

    /// <summary>Bins symmetric about zero: ~√n bins (10 … 60) over ±max|r|.</summary>
    internal static List<SvgBar> Histogram(double[] values)
    {
        var bars = new List<SvgBar>();
        if (values.Length == 0) return bars;
        double max = values.Max(Math.Abs);
        if (!(max > 0)) max = 1;
        int bins = Math.Clamp((int)Math.Sqrt(values.Length), 10, 60);
        double width = 2 * max / bins;
        var counts = new int[bins];
        foreach (var v in values) counts[Math.Clamp((int)((v + max) / width), 0, bins - 1)]++;
        for (int b = 0; b < bins; b++) bars.Add(new SvgBar(-max + b * width, -max + (b + 1) * width, counts[b]));
        return bars;
    }
}

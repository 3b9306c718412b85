using System.Diagnostics;
using System.Globalization;
using Specialized.Cli.Plotting;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Models;
using Specialized.Models.Potentials;
using Specialized.Models.Regression;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary>
/// One model family of the demo's learning curve: a label, its body order ν and a factory that builds
/// the representation for the species and the training structures of one training-set size (a
/// representation with fitted parts, such as NICE contractions or a tensor-reduced embedding, fits
/// them on <c>training</c>; the generic ones ignore it).
/// </summary>
/// <param name="Label">Row label, e.g. "ν=2 power spectrum".</param>
/// <param name="BodyOrder">ν (number of density factors).</param>
/// <param name="Create">Calculator factory.</param>
public sealed record DemoModel(string Label, int BodyOrder, Func<SpeciesList, IReadOnlyList<Structure>, IFeatureCalculator> Create);

/// <summary>Demo sizes.</summary>
/// <param name="TrainingSizes">Training-set sizes of the learning curve (ascending).</param>
/// <param name="TestSize">Number of test structures.</param>
/// <param name="Seed">Seed of the silicon dataset.</param>
/// <param name="Threads">Worker threads.</param>
public sealed record DemoSettings(int[] TrainingSizes, int TestSize, int Seed, int Threads);

/// <summary>
/// <c>specialized demo</c>: builds a silicon dataset on the fly (strained and rattled diamond cells
/// labelled with the Stillinger–Weber potential), fits ridge models of increasing body order (ν = 1, 2, NICE
/// ν ≤ 3, ν ≤ 4 and tensor-reduced) on
/// energies + forces + virials for growing training sets, prints the learning-curve table (test energy
/// and force RMSE) and writes it as an SVG plot.
/// </summary>
public static class DemoCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        usage: specialized demo [options]

        Generates strained and rattled diamond-silicon cells (8 and 64 atoms) labelled with the
        Stillinger-Weber potential, fits ridge models of increasing body order nu (energies + forces +
        virials, regularisation by 4-fold cross-validation) on growing training sets, prints a
        learning-curve table (test-set energy and force RMSE) and writes demo-learning-curve.svg.
        Rows: nu=1 radial spectrum, nu=2 power spectrum, NICE invariants of body orders up to 3 and 4,
        and a tensor-reduced nu<=4 model (2 mixed channels); the NICE rows fit their contractions on
        each training set first. Stillinger-Weber is a 3-body potential, so nu>=2 (3-body) features can
        represent it closely while nu=1 (2-body) features cannot.

        options:
          -o DIR          directory of the SVG (default: current directory)
          --quick         smaller training sets (for a fast check)
          --threads N     worker threads (default: number of processors, at most 2)
        """;

    /// <summary>Density hyperparameters of the demo (Stillinger–Weber cutoff is 3.77 Å).</summary>
    public static SoapParameters Parameters { get; } = new() { Cutoff = 4.0, CutoffWidth = 0.5, DensityWidth = 0.3, RadialCount = 8, LMax = 6 };

    /// <summary>
    /// NICE parameters of the demo's ν = 3, 4 and tensor-reduced rows: the demo density with n_max 6, l_max 4,
    /// invariants of every order 1..ν, and widths below the NICE tutorial's (expand 60/120, keep 16/60 at every
    /// step) so that the whole demo stays well under two minutes on two cores.
    /// </summary>
    public static NiceParameters NiceParameters(int bodyOrder, bool tensorReduced = false) => new()
    {
        Density = Parameters with { RadialCount = 6, LMax = 4 },
        BodyOrder = bodyOrder,
        Steps = [new NiceStep(80, 20, 200, 100)],
        SpeciesMode = tensorReduced ? NiceSpeciesMode.TensorReduced : NiceSpeciesMode.PerSpecies,
        SpeciesRank = 2,
    };

    /// <summary>
    /// The learning-curve rows: ν = 1 (radial spectrum), ν = 2 (power spectrum), NICE ν ≤ 3 and ν ≤ 4, and a
    /// tensor-reduced ν ≤ 4 model (K = 2 channels). The NICE rows fit their contractions on the training
    /// structures of each size before the ridge. Pass your own list to <see cref="RunDemo"/> for other rows.
    /// </summary>
    public static IReadOnlyList<DemoModel> DefaultModels { get; } =
    [
        new("ν=1 radial spectrum", 1, (species, _) => new Correlations.RadialSpectrumCalculator(Parameters, species)),
        new("ν=2 power spectrum", 2, (species, _) => new Correlations.PowerSpectrumCalculator(Parameters, species)),
        new("ν≤3 NICE", 3, (species, training) => NiceModel.Fit(training, NiceParameters(3), species).CreateCalculator()),
        new("ν≤4 NICE", 4, (species, training) => NiceModel.Fit(training, NiceParameters(4), species).CreateCalculator()),
        new("ν≤4 tensor-reduced K=2", 4, (species, training) => NiceModel.Fit(training, NiceParameters(4, tensorReduced: true), species).CreateCalculator()),
    ];

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, new HashSet<string> { "help", "quick" }, new Dictionary<string, string> { ["-o"] = "--output", ["-h"] = "--help" });
        if (o.Has("help"))
        {
            stdout.WriteLine(Help);
            return 0;
        }
        if (o.Positional.Count != 0) throw new UsageException("demo takes no files (see 'specialized demo --help')");
        string directory = o.String("output", ".")!;
        bool quick = o.Has("quick");
        int threads = o.Int("threads", Math.Min(Environment.ProcessorCount, 2));
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        o.RejectUnused();
        Directory.CreateDirectory(directory);

        var settings = quick ? new DemoSettings([4, 8], 8, 2024, threads) : new DemoSettings([2, 4, 8, 16, 32, 64], 30, 2024, threads);
        var result = RunDemo(DefaultModels, settings, stdout, m => stderr.WriteLine(m));
        string path = Path.Combine(directory, "demo-learning-curve.svg");
        Plot(result).Save(path);
        stdout.WriteLine($"learning curve written to {path}");
        return 0;
    }

    /// <summary>Test RMSE of one model at one training-set size.</summary>
    public sealed record Point(string Model, int BodyOrder, int TrainingSize, double EnergyRmse, double ForceRmse, double Alpha);

    /// <summary>Generates the data, fits every model at every size and prints the table.</summary>
    public static List<Point> RunDemo(IReadOnlyList<DemoModel> models, DemoSettings settings, TextWriter stdout, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        int maxTrain = settings.TrainingSizes.Max();
        var all = SiliconDataset.Generate(maxTrain + settings.TestSize, settings.Seed, largeCellFraction: 0.25);
        var test = all.Skip(maxTrain).ToList();
        var species = SpeciesList.From(all);
        log?.Invoke($"demo: {all.Count} Stillinger-Weber silicon structures generated ({all.Count(s => s.AtomCount == 64)} with 64 atoms), {clock.Elapsed.TotalSeconds:F1} s");

        var points = new List<Point>();
        var ridge = new RidgeOptions { Alphas = RidgeOptions.LogGrid(-12, 0, 13), Folds = 4 };
        foreach (var model in models)
            foreach (int size in settings.TrainingSizes)
            {
                var training = all.Take(size).ToList();
                var calculator = model.Create(species, training);
                var options = new PotentialFitOptions { ForcesKey = "forces", VirialKey = "virial", EnergyWeight = 10, Ridge = ridge, Threads = settings.Threads };
                var fit = PotentialTrainer.Fit(null, calculator, training, options);
                var errors = Evaluation.Evaluate(fit.Model, test, settings.Threads);
                double e = errors.First(x => x.Name == "energy/atom").Rmse, f = errors.First(x => x.Name == "forces").Rmse;
                points.Add(new Point(model.Label, model.BodyOrder, size, e, f, fit.Ridge.Alpha));
                log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"demo: {model.Label}, {size} structures: energy RMSE {1000 * e:F2} meV/atom, force RMSE {f:F4} eV/Å (alpha {fit.Ridge.Alpha:G2}), {clock.Elapsed.TotalSeconds:F1} s"));
            }
        PrintTable(points, models, settings, stdout);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({test.Count} test structures; total time {clock.Elapsed.TotalSeconds:F1} s)"));
        return points;
    }

    private static void PrintTable(List<Point> points, IReadOnlyList<DemoModel> models, DemoSettings settings, TextWriter stdout)
    {
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine("Learning curve on Stillinger-Weber silicon: test RMSE of energy (meV/atom) and forces (eV/Å)");
        string header = "  N_train";
        foreach (var m in models) header += $" | {m.Label,-28}";
        stdout.WriteLine(header);
        string sub = "         ";
        foreach (var _ in models) sub += $" | {"E meV/atom",12} {"F eV/Å",15}";
        stdout.WriteLine(sub);
        foreach (int size in settings.TrainingSizes)
        {
            string line = $"  {size,7}";
            foreach (var m in models)
            {
                var p = points.First(x => x.Model == m.Label && x.TrainingSize == size);
                line += string.Create(c, $" | {1000 * p.EnergyRmse,12:F3} {p.ForceRmse,15:F4}");
            }
            stdout.WriteLine(line);
        }
    }

    /// <summary>Two log-log panels: energy and force RMSE against the training-set size, one line per model.</summary>
    public static SvgFigure Plot(IReadOnlyList<Point> points)
    {
        string[] colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"];
        var figure = new SvgFigure(2, "Stillinger–Weber silicon: learning curves by body order");
        var energy = figure.AddPanel();
        energy.Title = "energy";
        energy.XLabel = "training structures";
        energy.YLabel = "test RMSE (meV/atom)";
        energy.XScale = energy.YScale = AxisScale.Log;
        var forces = figure.AddPanel();
        forces.Title = "forces";
        forces.XLabel = "training structures";
        forces.YLabel = "test RMSE (eV/Å)";
        forces.XScale = forces.YScale = AxisScale.Log;
        int k = 0;
        foreach (var group in points.GroupBy(p => p.Model))
        {
            var list = group.OrderBy(p => p.TrainingSize).ToList();
            var x = list.Select(p => (double)p.TrainingSize).ToArray();
            string color = colors[k++ % colors.Length];
            energy.Series.Add(new SvgSeries(group.Key, x, list.Select(p => 1000 * p.EnergyRmse).ToArray(), color, Lines: true, MarkerRadius: 4, Opacity: 1));
            forces.Series.Add(new SvgSeries(group.Key, x, list.Select(p => p.ForceRmse).ToArray(), color, Lines: true, MarkerRadius: 4, Opacity: 1));
        }
        return figure;
    }
}

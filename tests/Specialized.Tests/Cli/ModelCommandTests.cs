using System.Xml.Linq;
using Specialized.Cli;
using Specialized.Cli.Plotting;
using Specialized.Models;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Cli;

public class ModelCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static readonly string[] QuickFit = ["--cutoff", "4", "--n-max", "4", "--l-max", "3", "--alphas", "-10:-4:4", "--folds", "3", "--quiet"];

    [Fact]
    public void FitPredictEvaluateOnTheSiliconExample()
    {
        var dir = RepoPaths.TempDirectory();
        string model = Path.Combine(dir, "si.spz");
        var (code, stdout, err) = Run(["fit", RepoPaths.Example("silicon-sw-train.xyz"), "-o", model, .. QuickFit]);
        Assert.True(code == 0, err);
        Assert.Contains("chosen alpha", stdout);
        Assert.Contains("virial/atom (eV)", stdout);
        Assert.Contains("<- chosen", stdout);
        var loaded = (PotentialModel)Model.Load(model);
        Assert.Equal("virial", loaded.Metadata.Get("virial_key"));
        Assert.Equal("silicon-sw-train.xyz", loaded.Metadata.Get("training_file"));
        Assert.Equal("eV", loaded.Metadata.Get("energy_unit"));

        string predicted = Path.Combine(dir, "pred.xyz");
        (code, _, err) = Run("predict", model, RepoPaths.Example("silicon-sw-test.xyz"), "-o", predicted, "--prefix", "pred_");
        Assert.True(code == 0, err);
        var frames = ExtendedXyz.ReadFile(predicted);
        var reference = ExtendedXyz.ReadFile(RepoPaths.Example("silicon-sw-test.xyz"));
        Assert.Equal(reference.Count, frames.Count);
        for (int k = 0; k < frames.Count; k++)
        {
            var p = loaded.Predict(reference[k]);
            Assert.Equal(p.Energy!.Value, frames[k].Info["pred_energy"].Reals![0]);
            Assert.Equal(p.Forces, frames[k].Arrays["pred_forces"].Reals);
            Assert.Equal(p.Stress, frames[k].Info["pred_stress"].Reals);
            Assert.Equal(reference[k].Info["energy"].Reals, frames[k].Info["energy"].Reals); // reference kept with a prefix
        }

        string prefix = Path.Combine(dir, "si-test");
        (code, stdout, err) = Run("evaluate", model, RepoPaths.Example("silicon-sw-test.xyz"), "--plots", prefix);
        Assert.True(code == 0, err);
        var errors = Evaluation.Evaluate(loaded, reference);
        foreach (var e in errors)
        {
            var line = stdout.Split('\n').Single(l => l.StartsWith(e.Name + " ", StringComparison.Ordinal));
            Assert.Contains(e.Rmse.ToString("G5", System.Globalization.CultureInfo.InvariantCulture), line);
        }
        Assert.Contains(errors, e => e.Name == "virial/atom");
        Assert.True(errors.Single(e => e.Name == "forces").Rmse < 0.2 * errors.Single(e => e.Name == "forces").ReferenceStd);

        // Parity plot: one circle per plotted value (energy/atom, forces, virial/atom panels).
        var parity = XDocument.Load(prefix + ".parity.svg");
        XNamespace svg = "http://www.w3.org/2000/svg";
        int plotted = errors.Where(e => e.Name != "energy").Sum(e => e.Count);
        Assert.Equal(plotted, parity.Descendants(svg + "circle").Count());
        var histogram = XDocument.Load(prefix + ".errors.svg");
        Assert.True(histogram.Descendants(svg + "rect").Count() > 30);
    }

    [Fact]
    public void FitsAndPredictsDipolesThroughTheCommandLine()
    {
        var dir = RepoPaths.TempDirectory();
        string train = Path.Combine(dir, "train.xyz");
        var rng = new Random(3);
        var frames = Enumerable.Range(0, 8).Select(k =>
        {
            var s = TestStructures.Cluster(k, 5, [6, 1, 8]);
            s.Info["mu"] = InfoValue.Real(rng.NextDouble(), rng.NextDouble(), rng.NextDouble());
            return s;
        }).ToList();
        ExtendedXyz.WriteFile(train, frames);
        string model = Path.Combine(dir, "mu.spz");
        var (code, stdout, err) = Run(["fit", train, "-o", model, "--dipole-key", "mu", .. QuickFit]);
        Assert.True(code == 0, err);
        Assert.Contains("lambda=1 block", stdout);
        var loaded = Model.Load(model);
        Assert.Equal(ModelKind.Dipole, loaded.Kind);
        string output = Path.Combine(dir, "out.xyz");
        (code, _, err) = Run("predict", model, train, "-o", output);
        Assert.True(code == 0, err);
        var predicted = ExtendedXyz.ReadFile(output);
        Assert.Equal(loaded.Predict(frames[2]).Dipole, predicted[2].Info["mu"].Reals);
    }

    [Fact]
    public void BadUsageAndBadFilesGiveExitCodeTwoAndAMessage()
    {
        var dir = RepoPaths.TempDirectory();
        var (code, _, err) = Run("fit", RepoPaths.Example("silicon-sw-train.xyz"));
        Assert.Equal(2, code);
        Assert.Contains("-o MODEL", err);
        (code, _, err) = Run("fit", RepoPaths.Example("silicon-sw-train.xyz"), "-o", Path.Combine(dir, "m"), "--model", "forest");
        Assert.Equal(2, code);
        Assert.Contains("forest", err);
        (code, _, err) = Run("fit", RepoPaths.Example("ethanol.xyz"), "-o", Path.Combine(dir, "m"), "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("energy", err); // the hand-built example has no energies
        string corrupt = Path.Combine(dir, "corrupt.spz");
        File.WriteAllText(corrupt, "SPZMODEL but not really");
        (code, _, err) = Run("predict", corrupt, RepoPaths.Example("silicon.xyz"), "-o", Path.Combine(dir, "out.xyz"));
        Assert.Equal(2, code);
        Assert.Contains("corrupt.spz", err);
        Assert.False(File.Exists(Path.Combine(dir, "out.xyz")));
        (code, _, err) = Run("evaluate", Path.Combine(dir, "missing.spz"), RepoPaths.Example("silicon.xyz"));
        Assert.Equal(2, code);
        Assert.Contains("missing.spz", err);
    }

    [Fact]
    public void QuickDemoShowsBodyOrderConvergence()
    {
        var dir = RepoPaths.TempDirectory();
        var (code, stdout, err) = Run("demo", "--quick", "-o", dir);
        Assert.True(code == 0, err);
        foreach (var m in DemoCommand.DefaultModels) Assert.Contains(m.Label, stdout);
        Assert.True(File.Exists(Path.Combine(dir, "demo-learning-curve.svg")));
        var points = DemoCommand.RunDemo(DemoCommand.DefaultModels, new DemoSettings([4, 8], 8, 2024, 2), TextWriter.Null, null);
        Assert.Equal(2 * DemoCommand.DefaultModels.Count, points.Count);
        Assert.Equal([1, 2, 3, 4], points.Select(p => p.BodyOrder).Distinct().Order());
        Assert.All(points, p => Assert.True(double.IsFinite(p.EnergyRmse) && double.IsFinite(p.ForceRmse), $"{p.Model}: non-finite errors"));
        foreach (int size in new[] { 4, 8 })
        {
            var nu1 = points.Single(p => p.BodyOrder == 1 && p.TrainingSize == size);
            var nu2 = points.Single(p => p.BodyOrder == 2 && p.TrainingSize == size);
            Assert.True(nu2.ForceRmse < 0.2 * nu1.ForceRmse, $"ν=2 forces {nu2.ForceRmse} vs ν=1 {nu1.ForceRmse}");
            Assert.True(nu2.EnergyRmse < nu1.EnergyRmse);
            // Stillinger-Weber is 3-body: the NICE rows (which contain contracted ν=2 invariants) learn it far better
            // than ν=1; the 2-channel tensor-reduced row compresses the radial channels and is only better than ν=1.
            foreach (var p in points.Where(p => p.BodyOrder >= 3 && p.TrainingSize == size))
            {
                double factor = p.Model.Contains("tensor-reduced", StringComparison.Ordinal) ? 1 : 0.2;
                Assert.True(p.ForceRmse < factor * nu1.ForceRmse, $"{p.Model} forces {p.ForceRmse} vs ν=1 {nu1.ForceRmse}");
                Assert.True(p.EnergyRmse < nu1.EnergyRmse, $"{p.Model} energy {p.EnergyRmse} vs ν=1 {nu1.EnergyRmse}");
            }
        }
        XNamespace svg = "http://www.w3.org/2000/svg";
        var figure = XDocument.Load(Path.Combine(dir, "demo-learning-curve.svg"));
        Assert.Equal(2 * DemoCommand.DefaultModels.Count, figure.Descendants(svg + "polyline").Count()); // models × 2 panels
    }

    [Fact]
    public void SvgHistogramCountsEveryValueAndTheFigureIsWellFormed()
    {
        var values = Enumerable.Range(0, 1000).Select(k => Math.Sin(k * 0.37) * (1 + k % 7)).ToArray();
        var bars = EvaluateCommand.Histogram(values);
        Assert.Equal(values.Length, (int)bars.Sum(b => b.Height));
        Assert.Equal(-values.Max(Math.Abs), bars[0].Left, 1e-12);
        Assert.Equal(values.Max(Math.Abs), bars[^1].Right, 1e-12);
        var figure = new SvgFigure(2, "a <title> & more");
        var p = figure.AddPanel();
        p.XScale = p.YScale = AxisScale.Log;
        p.Series.Add(new SvgSeries("curve", [1, 10, 100], [0.5, 0.05, 0.005], "#000", Lines: true));
        var h = figure.AddPanel();
        foreach (var b in bars) h.Bars.Add(b);
        var doc = XDocument.Parse(figure.Render());
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.Equal(3, doc.Descendants(svg + "circle").Count(c => c.Parent?.Name == svg + "g" && c.Attribute("r")?.Value == "2.5"));
        Assert.Contains(doc.Descendants(svg + "text"), t => t.Value == "a <title> & more");
        Assert.Contains(doc.Descendants(svg + "text"), t => t.Value == "0.001");
    }
}

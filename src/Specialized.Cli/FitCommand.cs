using System.Globalization;
using Specialized.Density;
using Specialized.Features;
using Specialized.Models;
using Specialized.Models.Kernels;
using Specialized.Models.Regression;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary>
/// <c>specialized fit TRAIN.xyz -o MODEL [options]</c>: fits a potential (ridge or sparse GPR on energies,
/// forces and virials) or a tensor model (dipole, polarizability) and writes one model file.
/// </summary>
public static class FitCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        usage: specialized fit TRAIN.xyz -o MODEL [options]

        Fits a model on every frame of TRAIN.xyz and writes it to MODEL (one versioned, checksummed file:
        representation, hyperparameters, weights, baselines, units, training metadata). Progress goes to
        stderr; the chosen regularisation and the cross-validation errors go to stdout.

        what to fit (default: a potential on energies + forces (+ virials for periodic frames)):
          --model ridge|gpr       linear ridge on the features (default) or sparse GPR (polynomial kernel; for
                                  tensors the symmetry-adapted kernel modulated by the power spectrum)
          --energy-key K          energy in the frame info (default energy)
          --forces-key K          per-atom forces (default: forces or force if present; 'none' to skip)
          --virial-key K          virial, 9 values in energy units, W = -dE/d(strain) (default: virial if present)
          --stress-key K          stress, 9 values in energy/A^3, sigma = -W/V (instead of a virial)
          --dipole-key K          fit a dipole model (lambda-SOAP lambda=1) to the 3-vector K instead
          --polarizability-key K  fit a polarizability model (power spectrum for the trace part,
                                  lambda-SOAP lambda=2 for the symmetric traceless part) to the 3x3 tensor K
          --energy-weight X       energy rows weigh X/sqrt(N) (1/X = expected error per atom; default 1)
          --force-weight X        force rows weigh X (default 1)
          --virial-weight X       virial rows weigh X/sqrt(N) (default 1)
          --energy-unit U         unit name stored in the model (default eV)
          --tensor-unit U         unit name of a tensor target (default a.u.)

        representation (as in 'specialized featurize'):
          --representation R      power-spectrum (default) | radial-spectrum | nice | tensor-reduced | a registered
                                  invariant kind (potentials). nice / tensor-reduced fit their contractions on the
                                  training structures first (or on --fit-on), store them in the model file, and
                                  regress on the invariants of every body order 1..nu (options below)
          --cutoff, --cutoff-function, --cutoff-width, --density-width, --n-max (default 6), --l-max (default 4),
          --basis, --radial-scaling-*, --center-weight, --spline-accuracy, --species

        regression:
          --alphas LIST           relative regularisations: 'a,b,c' or 'FROM:TO:COUNT' in log10 (default -10:2:13)
          --folds K               cross-validation folds (default 5)
          --standardize           penalise standardised coefficients (features scaled to unit RMS)
          --shared-weights        one weight vector for all centre species (default: one per species)
          --sparse-points M       GPR: sparse environments per species (default 200)
          --zeta Z                GPR: kernel exponent (default 2)
          --selection fps|cur     GPR: sparse point selection (default fps)
          --solver managed|openblas  dense linear algebra (default: openblas when available)
          --threads N             worker threads (default 1)
          --quiet                 no progress output
        """ + "\n" + NiceCommandOptions.Help;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, new HashSet<string> { "help", "quiet", "standardize", "shared-weights" },
            new Dictionary<string, string> { ["-o"] = "--output", ["-h"] = "--help" });
        if (o.Has("help"))
        {
            stdout.WriteLine(Help);
            return 0;
        }
        if (o.Positional.Count != 1) throw new UsageException("fit needs exactly one training file (see 'specialized fit --help')");
        string input = o.Positional[0];
        string output = o.String("output") ?? throw new UsageException("fit needs -o MODEL");
        bool quiet = o.Has("quiet");
        Action<string>? log = quiet ? null : m => stderr.WriteLine(m);

        string modelType = o.String("model", "ridge")!;
        if (modelType is not ("ridge" or "gpr")) throw new UsageException($"--model: unknown '{modelType}' (expected ridge or gpr)");
        string? dipoleKey = o.String("dipole-key"), polarKey = o.String("polarizability-key");
        if (dipoleKey is not null && polarKey is not null) throw new UsageException("give only one of --dipole-key and --polarizability-key");
        bool tensor = dipoleKey is not null || polarKey is not null;

        var parameters = CliParameters.Soap(o, nMax: 6, lMax: 4);
        string representation = o.String("representation", "power-spectrum")!;
        if (!tensor && (representation is "lambda-soap" or "spherical-expansion" || !RepresentationCatalog.IsKnown(representation)))
            throw new UsageException($"--representation: '{representation}' cannot fit a potential (use power-spectrum, radial-spectrum, nice, tensor-reduced or a registered invariant kind)");
        bool nice = NiceRepresentation.Handles(representation);
        if (nice && tensor) throw new UsageException($"--representation {representation}: tensor models use lambda-SOAP (nice fits potentials only)");
        var niceOptions = nice ? NiceCommandOptions.Parse(o, Representation.Parse(representation), parameters) : default;
        string? speciesOption = o.String("species");
        var ridge = CliParameters.Ridge(o, log);
        int threads = o.Int("threads", 1);
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        bool resolved = !o.Has("shared-weights");
        string energyKey = o.String("energy-key", "energy")!;
        string? forcesOption = o.String("forces-key");
        string? virialOption = o.String("virial-key"), stressOption = o.String("stress-key");
        double energyWeight = o.Double("energy-weight", 1), forceWeight = o.Double("force-weight", 1), virialWeight = o.Double("virial-weight", 1);
        string energyUnit = o.String("energy-unit", "eV")!, tensorUnit = o.String("tensor-unit", "a.u.")!;
        int sparse = o.Int("sparse-points", 200), zeta = o.Int("zeta", 2);
        var selection = o.String("selection", "fps") switch
        {
            "fps" => SparseSelection.FarthestPoint,
            "cur" => SparseSelection.Cur,
            var s => throw new UsageException($"--selection: unknown '{s}' (expected fps or cur)"),
        };
        o.RejectUnused();

        Options.CreateParent(output);
        if (!File.Exists(input)) throw new UsageException($"{input}: no such file");
        var frames = ExtendedXyz.ReadFile(input);
        if (frames.Count == 0) throw new UsageException($"{input}: no frames");
        var species = speciesOption is null ? SpeciesList.From(frames) : FeatureRequest.ParseSpecies(speciesOption);
        log?.Invoke($"fit: {frames.Count} structures, {frames.Sum(f => f.AtomCount)} atoms, species [{string.Join(",", species.AtomicNumbers.ToArray())}] from {input}");

        Model model;
        if (tensor)
        {
            var kernel = modelType == "gpr" ? new KernelOptions { SparsePoints = sparse, Zeta = zeta, Selection = selection } : null;
            var options = new TensorFitOptions { Key = dipoleKey ?? polarKey!, SpeciesResolved = resolved, Kernel = kernel, Ridge = ridge, Threads = threads, Log = log };
            TensorFit fit;
            if (dipoleKey is not null)
            {
                var spec = new RepresentationSpec("lambda-soap", parameters, species.AtomicNumbers.ToArray(), 1, 1);
                var modulation = kernel is null ? null : BlockRepresentation.From(new RepresentationSpec("power-spectrum", parameters, species.AtomicNumbers.ToArray()));
                log?.Invoke($"fit: dipole model ({(kernel is null ? "linear" : "symmetry-adapted sparse GPR")}) on {spec}");
                fit = TensorTrainer.FitDipole(BlockRepresentation.From(spec), frames, options, modulation);
            }
            else
            {
                var scalar = new RepresentationSpec("power-spectrum", parameters, species.AtomicNumbers.ToArray());
                var traceless = new RepresentationSpec("lambda-soap", parameters, species.AtomicNumbers.ToArray(), 2, 1);
                log?.Invoke($"fit: polarizability model on {scalar} (lambda=0) and {traceless}");
                fit = TensorTrainer.FitPolarizability(BlockRepresentation.From(scalar), BlockRepresentation.From(traceless), frames, options);
            }
            for (int b = 0; b < fit.Blocks.Count; b++)
                PrintCrossValidation(stdout, $"lambda={fit.Model.Blocks[b].Lambda} block", fit.Blocks[b], [$"{(dipoleKey is not null ? "dipole" : "spherical")} component ({tensorUnit})"], perAtom: []);
            fit.Model.Metadata.Set("tensor_unit", tensorUnit);
            model = fit.Model;
        }
        else
        {
            string? forcesKey = forcesOption switch
            {
                "none" => null,
                null => Targets.AllHaveArray(frames, "forces") ? "forces" : Targets.AllHaveArray(frames, "force") ? "force" : null,
                _ => forcesOption,
            };
            var periodic = frames.Where(f => f.IsPeriodic).ToList();
            string? virialKey = virialOption, stressKey = stressOption;
            if (virialKey == "none") virialKey = null;
            if (virialOption is null && stressOption is null && periodic.Count > 0)
            {
                if (Targets.AllHaveInfo(periodic, "virial")) virialKey = "virial";
                else if (Targets.AllHaveInfo(periodic, "stress")) stressKey = "stress";
            }
            RepresentationSpec spec;
            IFeatureCalculator calculator;
            if (nice)
            {
                // The contractions are part of the representation: fit them first (on the training frames unless
                // --fit-on), then regress on their invariants; the spec carries them into the model file.
                var niceModel = NiceCommandOptions.Model(niceOptions.Parameters, niceOptions.FitOn, niceOptions.Contractions, niceOptions.FitEnvironments,
                    frames, species, stderr, quiet, "fit");
                if (!quiet) stderr.Write(niceModel.Summary());
                spec = NiceRepresentation.Spec(niceModel);
                calculator = niceModel.CreateCalculator();
            }
            else
            {
                spec = new RepresentationSpec(representation, parameters, species.AtomicNumbers.ToArray());
                calculator = RepresentationCatalog.Create(spec);
            }
            var options = new PotentialFitOptions
            {
                EnergyKey = energyKey,
                ForcesKey = forcesKey,
                VirialKey = virialKey,
                StressKey = virialKey is null ? stressKey : null,
                EnergyWeight = energyWeight,
                ForceWeight = forceWeight,
                VirialWeight = virialWeight,
                SpeciesResolved = resolved,
                Kernel = modelType == "gpr" ? new KernelOptions { SparsePoints = sparse, Zeta = zeta, Selection = selection } : null,
                Ridge = ridge,
                Threads = threads,
                Log = log,
            };
            log?.Invoke($"fit: {modelType} on {spec}; targets: {energyKey}{(forcesKey is null ? "" : ", " + forcesKey)}{(virialKey ?? stressKey) switch { null => "", var k => ", " + k }}");
            var fit = PotentialTrainer.Fit(spec, calculator, frames, options);
            var units = new[] { energyUnit, energyUnit + "/Å", energyUnit };
            PrintCrossValidation(stdout, modelType == "gpr" ? "sparse GPR" : "ridge", fit.Ridge,
                [$"energy ({energyUnit})", $"forces ({energyUnit}/Å)", $"virial ({energyUnit})"], perAtom: [0, 2]);
            fit.Model.Metadata.Set("energy_unit", energyUnit);
            model = fit.Model;
        }
        model.Metadata.Set("length_unit", "Å")
            .Set("training_file", Path.GetFileName(input))
            .Set("created", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Set("program", "specialized fit");
        model.Save(output);
        stdout.WriteLine($"model written to {output}");
        return 0;
    }

    /// <summary>Prints the cross-validation table and the chosen regularisation.</summary>
    internal static void PrintCrossValidation(TextWriter stdout, string title, RidgeResult ridge, string[] columns, int[] perAtom)
    {
        var c = CultureInfo.InvariantCulture;
        if (ridge.CrossValidation.Count > 0)
        {
            stdout.WriteLine($"{title}: {ridge.Folds}-fold cross-validation RMSE ({(ridge.Dual ? "dual" : "primal")} form)");
            var used = Enumerable.Range(0, columns.Length).Where(k => ridge.CrossValidation.Any(p => double.IsFinite(p.Rmse[k]))).ToList();
            var header = "  alpha     " + string.Join("", used.Select(k => (perAtom.Contains(k) ? columns[k].Replace(" (", "/atom (", StringComparison.Ordinal) : columns[k]).PadLeft(24)));
            stdout.WriteLine(header);
            foreach (var p in ridge.CrossValidation)
            {
                var line = "  " + p.Alpha.ToString("0.0E+00", c).PadRight(10);
                foreach (int k in used)
                {
                    double v = perAtom.Contains(k) ? p.RmsePerAtom[k] : p.Rmse[k];
                    line += (p.Valid ? v.ToString("G5", c) : "unstable").PadLeft(24);
                }
                if (p.Alpha == ridge.Alpha) line += "   <- chosen";
                stdout.WriteLine(line);
            }
        }
        stdout.WriteLine(string.Create(c, $"{title}: chosen alpha = {ridge.Alpha:G3} (lambda = {ridge.Lambda:G4}, solved by {ridge.Method})"));
    }
}

/// <summary>Option parsing shared by fit and demo.</summary>
internal static class CliParameters
{
    /// <summary>Density hyperparameters with the fit defaults (n_max and l_max smaller than featurize's).</summary>
    public static SoapParameters Soap(Options o, int nMax, int lMax)
    {
        var p = FeatureRequest.ParseParameters(o);
        return p with { RadialCount = o.Int("n-max", nMax), LMax = o.Int("l-max", lMax) };
    }

    /// <summary>Ridge options from --alphas, --folds, --standardize and --solver.</summary>
    public static RidgeOptions Ridge(Options o, Action<string>? log)
    {
        var alphas = ParseAlphas(o.String("alphas", "-10:2:13")!);
        int folds = o.Int("folds", 5);
        if (folds < 2) throw new UsageException("--folds must be at least 2");
        var solverName = o.String("solver");
        var solver = solverName is null ? null : Specialized.Models.LinearAlgebra.DenseSolvers.Create(solverName);
        return new RidgeOptions { Alphas = alphas, Folds = folds, StandardizeColumns = o.Has("standardize"), Solver = solver, Log = log };
    }

    /// <summary>'a,b,c' (values) or 'FROM:TO:COUNT' (log10 exponents).</summary>
    public static double[] ParseAlphas(string value)
    {
        var c = CultureInfo.InvariantCulture;
        var parts = value.Split(':');
        if (parts.Length == 3)
        {
            if (!double.TryParse(parts[0], NumberStyles.Float, c, out double from) || !double.TryParse(parts[1], NumberStyles.Float, c, out double to)
                || !int.TryParse(parts[2], NumberStyles.Integer, c, out int count) || count < 1 || count > 200)
                throw new UsageException($"--alphas: '{value}' is not FROM:TO:COUNT (log10 exponents, 1..200 values)");
            return RidgeOptions.LogGrid(from, to, count);
        }
        var list = new List<double>();
        foreach (var s in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(s, NumberStyles.Float, c, out double a) || !(a >= 0) || !double.IsFinite(a))
                throw new UsageException($"--alphas: '{s}' is not a non-negative number");
            list.Add(a);
        }
        if (list.Count == 0) throw new UsageException("--alphas: no values");
        return [.. list];
    }
}

using System.Runtime.CompilerServices;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Kernels;
using Specialized.Models;

namespace Specialized.AotSmoke;

/// <summary>ν=2 silicon power spectrum (species fixed by the spec).</summary>
[Representation(LMax = 3, NMax = 4, BodyOrder = 2, Species = new[] { 14 })]
public partial struct SiliconSoap;

/// <summary>λ-SOAP λ = 1, σ = +1 block (dipole-like) of water.</summary>
[Representation(LMax = 2, NMax = 3, BodyOrder = 2, Species = new[] { 1, 8 }, Invariants = false)]
[EquivariantBlock(1, +1)]
public partial struct WaterDipole;

/// <summary>NICE ν=3 of water, one channel per species: the fitted contractions are run-time data of <see cref="NiceDescriptor{TRep}"/>.</summary>
[Representation(LMax = 2, NMax = 3, BodyOrder = 3, Species = new[] { 1, 8 })]
public partial struct WaterNice;

/// <summary>
/// Featurizes the fixed structures of <see cref="SmokeCase"/> with the generated kernels and compares every
/// array with expected.txt (generic path). Exit code 0 when all agree to 1e-12 relative, 1 otherwise.
/// <c>--require-aot</c> additionally fails unless the process runs as native code (no dynamic code support).
/// </summary>
public static class Program
{
    private const double Tolerance = 1e-12;

    /// <summary>
    /// The deployed-app path: load the checked-in model file (ridge on the silicon power spectrum, fitted with
    /// <c>specialized fit examples/silicon-sw-train.xyz -o tests/Specialized.AotSmoke/silicon-sw.spz --cutoff 4
    /// --cutoff-width 0.5 --density-width 0.4 --n-max 4 --l-max 3 --species 14</c>), compute the features with the
    /// generated kernel, predict energy, forces and stress from them, and compare with the model's own prediction on
    /// the generic path (also running natively here). Returns the number of failures.
    /// </summary>
    private static int PredictWithModelFile()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "silicon-sw.spz");
        var model = (PotentialModel)Model.Load(path);
        using var kernel = new Descriptor<SiliconSoap>(model.Representation!.Parameters, model.Representation.SpeciesList());
        var structure = SmokeCase.Silicon();
        var generated = model.Predict(structure, kernel.Compute(structure, GradientKinds.Positions | GradientKinds.Strain));
        var generic = model.Predict(structure);
        double energy = Math.Abs(generated.Energy!.Value - generic.Energy!.Value) / Math.Abs(generic.Energy.Value);
        double forces = SmokeCase.RelativeDifference(generic.Forces!, generated.Forces!);
        double stress = SmokeCase.RelativeDifference(generic.Stress!, generated.Stress!);
        bool ok = energy <= 1e-12 && forces <= 1e-10 && stress <= 1e-10 && double.IsFinite(generic.Energy.Value);
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} model file {Path.GetFileName(path)} with the generated kernel: E = {generated.Energy:F6} eV, " +
            $"relative differences to the generic path: energy {energy:E2}, forces {forces:E2}, stress {stress:E2}");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// NICE under NativeAOT: fits the contractions on the water pair (thresholded, contracted, purified), then compares the
    /// generated kernel's features, position gradients and linear-model forces with the generic path in the same process.
    /// Returns the number of failures.
    /// </summary>
    private static int NiceWithGeneratedKernel()
    {
        var parameters = new NiceParameters
        {
            Density = SmokeCase.WaterParameters,
            BodyOrder = 3,
            Steps = [new NiceStep(20, 8, 30, 10)],
            Purification = new NicePurification(4, 6),
        };
        var water = SmokeCase.Water();
        var model = NiceModel.Fit([water], parameters, new SpeciesList([1, 8]));
        var descriptor = new NiceDescriptor<WaterNice>(model);
        var generic = model.Transform(water, GradientKinds.Positions);
        var generated = descriptor.Compute(water, GradientKinds.Positions);
        var weights = Enumerable.Range(0, model.FeatureCount).Select(k => Math.Sin(k + 1.0)).ToArray();
        var linear = new FeatureComputer(model.CreateLinearCalculator(weights)).Compute(water, GradientKinds.Positions);
        var energies = new double[water.AtomCount];
        var forces = new double[3 * water.AtomCount];
        descriptor.ComputeLinear(water, weights, energies, forces);
        double values = SmokeCase.RelativeDifference(generic.Values, generated.Values);
        double positions = SmokeCase.RelativeDifference(generic.PositionGradients!, generated.PositionGradients!);
        double energy = SmokeCase.RelativeDifference(linear.Values, energies);
        double force = SmokeCase.RelativeDifference(linear.PositionGradients!, forces);
        bool ok = values <= Tolerance && positions <= Tolerance && energy <= Tolerance && force <= Tolerance;
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} NICE ν=3 ({model.FeatureCount} features) with the generated kernel: relative differences to the generic path: " +
            $"values {values:E2}, position gradients {positions:E2}, linear model {energy:E2}, its forces {force:E2}");
        return ok ? 0 : 1;
    }

    public static int Main(string[] args)
    {
        bool native = !RuntimeFeature.IsDynamicCodeSupported;
        Console.WriteLine($"Specialized AOT smoke: native code = {native}");
        if (args.Contains("--require-aot") && !native)
        {
            Console.Error.WriteLine("FAIL: --require-aot given, but this process runs on the JIT (publish with PublishAot=true)");
            return 1;
        }

        Dictionary<string, double[]> expected;
        using (var stream = typeof(Program).Assembly.GetManifestResourceStream("expected.txt")
            ?? throw new InvalidOperationException("embedded expected.txt missing"))
        using (var reader = new StreamReader(stream))
            expected = SmokeCase.Parse(reader);

        int failures = 0, compared = 0;
        void Compare(string name, double[]? actual)
        {
            compared++;
            if (!expected.TryGetValue(name, out var reference))
            {
                Console.Error.WriteLine($"FAIL {name}: no reference numbers");
                failures++;
                return;
            }
            double rel = actual is null ? double.PositiveInfinity : SmokeCase.RelativeDifference(reference, actual);
            bool ok = rel <= Tolerance;
            Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {name}: {reference.Length} numbers, max relative difference {rel:E2}");
            if (!ok) failures++;
        }

        // Two threads: the descriptor's worker pool runs under NativeAOT too.
        using var siliconSoap = new Descriptor<SiliconSoap>(SmokeCase.SiliconParameters, threads: 2);
        var silicon = siliconSoap.Compute(SmokeCase.Silicon(), GradientKinds.Positions | GradientKinds.Strain);
        Compare("silicon.power-spectrum.values", silicon.Values);
        Compare("silicon.power-spectrum.positions", silicon.PositionGradients);
        Compare("silicon.power-spectrum.strain", silicon.StrainGradients);

        var water = new Descriptor<WaterDipole>(SmokeCase.WaterParameters).Compute(SmokeCase.Water(), GradientKinds.Positions);
        Compare("water.lambda-soap-1+.values", water.Values);
        Compare("water.lambda-soap-1+.positions", water.PositionGradients);

        failures += PredictWithModelFile();
        failures += NiceWithGeneratedKernel();

        if (compared != expected.Count)
        {
            Console.Error.WriteLine($"FAIL: expected.txt holds {expected.Count} arrays, {compared} were compared");
            failures++;
        }
        Console.WriteLine(failures == 0 ? "PASS" : $"FAIL: {failures} mismatch(es)");
        return failures == 0 ? 0 : 1;
    }
}

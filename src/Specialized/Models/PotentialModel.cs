using System.Collections.Concurrent;
using Specialized.Features;
using Specialized.Models.Kernels;
using Specialized.Numerics;
using Specialized.Serialization;
using Specialized.Structures;

namespace Specialized.Models;

/// <summary>
/// An additive energy model E(A) = Σ_{i∈A} w_{c(i)}·X_i + Σ_s N_s(A) b_s on invariant per-atom features X_i:
/// a representation (linear ridge, MATH §8.1) or the Nyström features of a sparse polynomial kernel on it
/// (sparse GPR in projected-process form, MATH §8.2, <see cref="KernelMap"/>). Forces and virial are the
/// exact derivatives of the predicted energy, contracted per neighbour pair p = (i, j) with
/// g_p = ∂(w·X_i)/∂v_p (v_p = r_j − r_i + S·H):
/// <code>
///   F_j −= g_p,  F_i += g_p,   W_αβ −= (v_p)_α (g_p)_β,   σ = −W/V
/// </code>
/// </summary>
public sealed class PotentialModel : Model
{
    private readonly ConcurrentBag<Evaluator> _pool = [];

    /// <summary>
    /// Creates a model. <paramref name="representation"/> may be null only for models built around a
    /// calculator without a spec (they predict but cannot be saved).
    /// </summary>
    public PotentialModel(RepresentationSpec? representation, IFeatureCalculator calculator, KernelMap? kernel, LinearReadout readout, ModelMetadata metadata)
        : base(ModelKind.Potential, metadata)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(readout);
        if (calculator.ComponentCount != 1)
            throw new InvalidParameterException("representation", $"an energy model needs invariant features, '{calculator.Name}' has {calculator.ComponentCount} components");
        Representation = representation;
        Calculator = calculator;
        Kernel = kernel;
        Features = kernel is null ? calculator : new KernelFeatureCalculator(calculator, kernel);
        int channels = readout.SpeciesResolved ? calculator.Species.Count : 1;
        if (readout.ChannelCount != channels || readout.PropertyCount != Features.FeatureCount)
            throw new InvalidParameterException("readout", $"has {readout.ChannelCount} × {readout.PropertyCount} weights, the features need {channels} × {Features.FeatureCount}");
        if (readout.Baselines.Length != 0 && readout.Baselines.Length != calculator.Species.Count)
            throw new InvalidParameterException("readout", $"has {readout.Baselines.Length} baselines for {calculator.Species.Count} species");
        Readout = readout;
        Signature = FeatureSignature.Compute(calculator);
    }

    /// <summary>The representation spec (null when the model was built from a bare calculator).</summary>
    public RepresentationSpec? Representation { get; }
    /// <summary>The representation calculator.</summary>
    public IFeatureCalculator Calculator { get; }
    /// <summary>The sparse-kernel map, or null for a linear model.</summary>
    public KernelMap? Kernel { get; }
    /// <summary>The features the readout acts on (the representation, or its Nyström features).</summary>
    public IFeatureCalculator Features { get; }
    /// <summary>Weights and baselines.</summary>
    public LinearReadout Readout { get; }
    /// <summary>Fingerprint of the representation's output layout (<see cref="FeatureSignature"/>).</summary>
    public byte[] Signature { get; }

    /// <summary>
    /// The same model evaluated with another calculator for the same representation (e.g. a generated
    /// kernel). Throws <see cref="ModelMismatchException"/> when its <see cref="FeatureSignature"/> differs.
    /// </summary>
    public PotentialModel WithCalculator(IFeatureCalculator calculator)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        var signature = FeatureSignature.Compute(calculator);
        if (!signature.AsSpan().SequenceEqual(Signature))
            throw new ModelMismatchException($"calculator '{calculator.Name}' ({calculator.FeatureCount} features) does not produce the features the model was fitted on ('{Calculator.Name}', {Calculator.FeatureCount} features)");
        return new PotentialModel(Representation, calculator, Kernel, Readout, Metadata);
    }

    /// <summary>Energy, forces and (for periodic structures) virial and stress.</summary>
    public override Prediction Predict(Structure structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var evaluator = Rent();
        try
        {
            var forces = new double[3 * structure.AtomCount];
            var virial = new double[9];
            double energy = evaluator.Evaluate(structure, forces, virial);
            bool periodic = structure.IsPeriodic;
            bool full = structure.Cell is { } c && c.Pbc[0] && c.Pbc[1] && c.Pbc[2];
            double[]? stress = null;
            if (full)
            {
                double volume = structure.Cell!.Volume;
                stress = new double[9];
                for (int k = 0; k < 9; k++) stress[k] = -virial[k] / volume;
            }
            return new Prediction { Energy = energy, Forces = forces, Virial = periodic ? virial : null, Stress = stress };
        }
        finally
        {
            _pool.Add(evaluator);
        }
    }

    /// <summary>Energy only (no gradients).</summary>
    public double PredictEnergy(Structure structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var evaluator = Rent();
        try
        {
            return evaluator.Evaluate(structure, [], []);
        }
        finally
        {
            _pool.Add(evaluator);
        }
    }

    /// <summary>
    /// Energy, forces and virial/stress from per-atom features computed elsewhere — typically by a generated
    /// kernel (<c>Descriptor&lt;TRep&gt;</c>) for the same representation, which is how a deployed app runs a
    /// model file without the generic path:
    /// <code>
    ///   E = Σ_i w_{c(i)}·X_i + Σ_s N_s b_s,   F_k = −w·Σ_i ∂X_i/∂r_k,   W_αβ = −Σ_i w_{c(i)}·∂X_i/∂ε_αβ
    /// </code>
    /// <paramref name="features"/> must hold values in this model's feature layout; forces need its
    /// <see cref="FeatureResult.PositionGradients"/> (summed over centres, so the weights must be shared by
    /// every centre present: one species channel, shared weights, or a single-species structure), the virial
    /// its <see cref="FeatureResult.StrainGradients"/>. Linear models only (a kernel model's Nyström features are
    /// not linear in X).
    /// </summary>
    public Prediction Predict(Structure structure, FeatureResult features)
    {
        ArgumentNullException.ThrowIfNull(structure);
        ArgumentNullException.ThrowIfNull(features);
        if (Kernel is not null)
            throw new InvalidParameterException("features", "precomputed features can only drive a linear model; this model uses a sparse kernel");
        int f = Calculator.FeatureCount;
        if (features.FeatureCount != f || features.AtomCount != structure.AtomCount)
            throw new ModelMismatchException(
                $"the features hold {features.AtomCount} atoms × {features.FeatureCount} values; the model needs {structure.AtomCount} × {f} ('{Calculator.Name}')");
        var channels = Calculator.Species.Assign(structure);
        int Channel(int i) => Readout.SpeciesResolved ? channels[i] : 0;

        double energy = 0;
        for (int i = 0; i < structure.AtomCount; i++)
        {
            energy += VectorMath.Dot(Readout.Channel(Channel(i)), features.Row(i));
            if (Readout.Baselines.Length > 0) energy += Readout.Baselines[channels[i]];
        }

        double[]? forces = null;
        if (features.PositionGradients is { } g)
        {
            for (int i = 1; i < structure.AtomCount; i++)
                if (Channel(i) != Channel(0))
                    throw new InvalidParameterException("features",
                        "position gradients summed over centres cannot carry species-resolved weights for a structure with several centre species; use Predict(structure)");
            forces = new double[3 * structure.AtomCount];
            if (structure.AtomCount > 0)
            {
                var w = Readout.Channel(Channel(0));
                for (int k = 0; k < 3 * structure.AtomCount; k++) forces[k] = -VectorMath.Dot(w, g.AsSpan(k * f, f));
            }
        }

        double[]? virial = null, stress = null;
        if (features.StrainGradients is { } e && structure.IsPeriodic)
        {
            virial = new double[9];
            for (int i = 0; i < structure.AtomCount; i++)
            {
                var w = Readout.Channel(Channel(i));
                for (int ab = 0; ab < 9; ab++) virial[ab] -= VectorMath.Dot(w, e.AsSpan((i * 9 + ab) * f, f));
            }
            if (structure.Cell is { } c && c.Pbc[0] && c.Pbc[1] && c.Pbc[2])
            {
                stress = new double[9];
                for (int ab = 0; ab < 9; ab++) stress[ab] = -virial[ab] / c.Volume;
            }
        }
        return new Prediction { Energy = energy, Forces = forces, Virial = virial, Stress = stress };
    }

    private Evaluator Rent() => _pool.TryTake(out var e) ? e : new Evaluator(this);

    internal override void WriteSections(SectionWriter writer)
    {
        if (Representation is null)
            throw new InvalidParameterException("model", "was built from a calculator without a RepresentationSpec and cannot be saved");
        writer.Section(SectionTags.Model, w =>
        {
            w.Write(ModelFile.KindName(Kind));
            w.Write(1);
        });
        writer.Section(SectionTags.Metadata, Metadata.WriteTo);
        writer.Section(SectionTags.Representation, w =>
        {
            Representation.WriteTo(w);
            w.Write(Signature);
        });
        if (Kernel is not null) writer.Section(SectionTags.Kernel, Kernel.WriteTo);
        writer.Section(SectionTags.Readout, w =>
        {
            w.Write(0); // λ
            Readout.WriteTo(w);
        });
    }

    /// <summary>One worker with scratch buffers (not thread-safe; pooled by the model).</summary>
    private sealed class Evaluator(PotentialModel model)
    {
        private readonly ICentreWorker _worker = model.Features.CreateWorker();
        private readonly double[] _x = new double[model.Features.FeatureCount];
        private double[] _g = [];

        /// <summary>Returns E; accumulates F and W when the spans are non-empty (they must be zeroed).</summary>
        public double Evaluate(Structure structure, Span<double> forces, Span<double> virial)
        {
            var features = model.Features;
            var readout = model.Readout;
            var context = new StructureContext(structure, features.Species, features.Cutoff);
            var nl = context.Neighbors;
            int f = features.FeatureCount;
            bool gradients = !forces.IsEmpty || !virial.IsEmpty;
            double energy = 0;
            Span<double> gp = stackalloc double[3];
            for (int i = 0; i < context.AtomCount; i++)
            {
                int a = context.SpeciesIndex[i];
                var w = readout.Channel(readout.SpeciesResolved ? a : 0);
                int pairs = context.PairCount(i);
                Span<double> g = [];
                if (gradients && pairs > 0)
                {
                    if (_g.Length < pairs * 3 * f) _g = new double[pairs * 3 * f];
                    g = _g.AsSpan(0, pairs * 3 * f);
                }
                _worker.Compute(context, i, _x, g);
                energy += VectorMath.Dot(w, _x);
                if (readout.Baselines.Length > 0) energy += readout.Baselines[a];
                if (g.IsEmpty) continue;
                int start = nl.Offsets[i];
                for (int q = 0; q < pairs; q++)
                {
                    int j = nl.Neighbors[start + q];
                    for (int d = 0; d < 3; d++) gp[d] = VectorMath.Dot(w, g.Slice((q * 3 + d) * f, f));
                    if (!forces.IsEmpty)
                        for (int d = 0; d < 3; d++)
                        {
                            forces[3 * j + d] -= gp[d];
                            forces[3 * i + d] += gp[d];
                        }
                    if (!virial.IsEmpty)
                        for (int alpha = 0; alpha < 3; alpha++)
                        {
                            double v = nl.Vectors[3 * (start + q) + alpha];
                            for (int beta = 0; beta < 3; beta++) virial[3 * alpha + beta] -= v * gp[beta];
                        }
                }
            }
            return energy;
        }
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Specialized.Density;
using Specialized.Radial;

namespace Specialized.Correlations.Nice;

/// <summary>A contraction (fitted NICE model) file or blob is missing, corrupt, truncated, or was fitted for a different spec.</summary>
public sealed class ContractionFileException : SpecializedException
{
    /// <summary>Creates the exception.</summary>
    public ContractionFileException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping its cause.</summary>
    public ContractionFileException(string message, Exception inner) : base(message, inner) { }
}

public sealed partial class NiceModel
{
    /// <summary>Version of the blob written by <see cref="WriteTo"/>.</summary>
    public const int FormatVersion = 1;

    private static ReadOnlySpan<byte> BlobMagic => "NICE"u8;
    private static ReadOnlySpan<byte> FileMagic => "SPECNICE"u8;
    private const int FileVersion = 1;
    private const int MaxArray = 1 << 28;

    // ── spec description ─────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// The spec as ordered (name, value) pairs: density hyperparameters, species, body order, λ cap, widths,
    /// species mode (and K, embedding, seed when tensor-reduced), scaling, purification. Two models are
    /// interchangeable exactly when their descriptions are equal.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> DescribeSpec(NiceParameters parameters, SpeciesList species)
    {
        var d = parameters.Density;
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        var list = new List<(string, string)>
        {
            ("cutoff", F(d.Cutoff)),
            ("cutoff_function", d.CutoffFunction == CutoffKind.ShiftedCosine ? "shifted-cosine" : "step"),
            ("cutoff_width", F(d.CutoffWidth)),
            ("density_width", F(d.DensityWidth)),
            ("n_max", I(d.RadialCount)),
            ("l_max", I(d.LMax)),
            ("basis", d.Basis == RadialBasisKind.Gto ? "gto" : "laplacian-eigenstate"),
            ("radial_scaling", d.RadialScaling is { } s ? $"{F(s.Rate)},{F(s.Scale)},{F(s.Exponent)}" : "none"),
            ("center_weight", F(d.CenterWeight)),
            ("spline_accuracy", d.SplineAccuracy is { } acc ? F(acc) : "exact"),
            ("species", species.ToString()),
            ("body_order", I(parameters.BodyOrder)),
            ("max_lambda", I(parameters.LambdaCap)),
        };
        for (int o = 2; o <= parameters.BodyOrder; o++) list.Add(($"step_{o}", parameters.StepFor(o).ToString()));
        list.Add(("covariants_at_last_order", parameters.CovariantsAtLastOrder ? "true" : "false"));
        list.Add(("species_mode", parameters.SpeciesMode == NiceSpeciesMode.TensorReduced ? "tensor-reduced" : "per-species"));
        if (parameters.SpeciesMode == NiceSpeciesMode.TensorReduced)
        {
            list.Add(("species_rank", I(parameters.SpeciesRank)));
            list.Add(("embedding", parameters.Embedding.ToString().ToLowerInvariant()));
            if (parameters.Embedding == SpeciesEmbeddingKind.Random) list.Add(("seed", I(parameters.Seed)));
            if (parameters.Embedding == SpeciesEmbeddingKind.Custom) list.Add(("custom_embedding", Fingerprint(parameters.CustomEmbedding!)));
        }
        else list.Add(("initial_keep", NiceStep.Text(parameters.InitialKeep)));
        list.Add(("scaling", parameters.Scaling == NiceScaling.Global ? "global" : "none"));
        list.Add(("purification", parameters.Purification is { } p ? $"{I(p.MaxTakeCovariant)}/{I(p.MaxTakeInvariant)}" : "none"));
        return list;
    }

    private static string Fingerprint(IReadOnlyList<double[]> matrices)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
            foreach (var m in matrices) WriteArray(w, m);
        return Convert.ToHexString(SHA256.HashData(ms.ToArray()))[..16].ToLowerInvariant();
    }

    /// <summary>
    /// Null when this model was fitted for <paramref name="parameters"/> and <paramref name="species"/>;
    /// otherwise "NAME: fitted X, requested Y" for the first difference.
    /// </summary>
    public string? SpecDifference(NiceParameters parameters, SpeciesList species)
    {
        var mine = DescribeSpec(Parameters, Species);
        var theirs = DescribeSpec(parameters, species);
        for (int k = 0; k < Math.Max(mine.Count, theirs.Count); k++)
        {
            var a = k < mine.Count ? mine[k] : ("(end)", "");
            var b = k < theirs.Count ? theirs[k] : ("(end)", "");
            if (a != b)
                return a.Item1 == b.Item1 ? $"{a.Item1}: fitted {a.Item2}, requested {b.Item2}" : $"{a.Item1} = {a.Item2} vs {b.Item1} = {b.Item2}";
        }
        return null;
    }

    // ── file (checksummed container) ─────────────────────────────────────────────────────────────

    /// <summary>
    /// Writes the model to <paramref name="path"/> atomically (temporary file + rename): "SPECNICE", container
    /// version (int32), blob length (int64), the <see cref="WriteTo"/> blob, SHA-256 of the blob. Deterministic:
    /// the same model gives the same bytes.
    /// </summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] blob;
        using (var ms = new MemoryStream())
        {
            using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) WriteTo(w);
            blob = ms.ToArray();
        }
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var w = new BinaryWriter(stream))
            {
                w.Write(FileMagic);
                w.Write(FileVersion);
                w.Write((long)blob.Length);
                w.Write(blob);
                w.Write(SHA256.HashData(blob));
                w.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>
    /// Loads a file written by <see cref="Save"/>; when <paramref name="parameters"/> (and <paramref name="species"/>)
    /// are given, a model fitted for a different spec is rejected with a <see cref="ContractionFileException"/>
    /// naming the first differing field. Corrupt or truncated files are rejected the same way.
    /// </summary>
    public static NiceModel Load(string path, NiceParameters? parameters = null, SpeciesList? species = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContractionFileException($"{path}: cannot read the contraction file ({e.Message})", e);
        }
        const int header = 8 + 4 + 8;
        if (bytes.Length < header || !bytes.AsSpan(0, 8).SequenceEqual(FileMagic))
            throw new ContractionFileException($"{path}: not a contraction file (bad magic)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version != FileVersion)
            throw new ContractionFileException($"{path}: contraction file version {version} is not supported (expected {FileVersion})");
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        if (length < 0 || header + length + 32 != bytes.Length)
            throw new ContractionFileException($"{path}: truncated or padded contraction file ({bytes.Length} bytes, header says {header + length + 32})");
        var blob = bytes.AsSpan(header, (int)length);
        if (!SHA256.HashData(blob).AsSpan().SequenceEqual(bytes.AsSpan(header + (int)length, 32)))
            throw new ContractionFileException($"{path}: checksum mismatch (the contraction file is corrupt)");
        NiceModel model;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(blob.ToArray()));
            model = ReadFrom(reader);
        }
        catch (ContractionFileException e)
        {
            throw new ContractionFileException($"{path}: {e.Message}", e);
        }
        if (parameters is not null && model.SpecDifference(parameters, species ?? model.Species) is { } diff)
            throw new ContractionFileException($"{path}: the contractions were fitted for a different spec ({diff})");
        return model;
    }

    // ── blob ─────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Writes the parameters and every fitted number (no checksum; a containing model file adds its own).
    /// Deterministic: the same model always gives the same bytes.
    /// </summary>
    /// <remarks>
    /// Little-endian (BinaryWriter); int = int32, arrays = int32 length + float64 values; optional ints are −1 for null.
    /// <code>
    /// "NICE" version
    /// parameters: cutoff, cutoff_function, cutoff_width, density_width, n_max, l_max, basis, has_scaling [rate scale exponent],
    ///   center_weight, has_spline [accuracy], species (count, Z…), body_order, max_lambda, steps (count, 4 optional ints each:
    ///   expand cov, keep cov, expand inv, keep inv), initial_keep, species_mode, species_rank, embedding, seed,
    ///   custom matrices (count, arrays), scaling, has_purification [max_take cov, inv], covariants_at_last_order (bool)
    /// density: scale, channels C, l count, F_l…, factor count T, maps M^(t)_l (t outer, l inner; empty = s·I),
    ///   importances per l, has_embedding [count, W^(t) arrays (A·N) × K]
    /// for order = 2 … ν_max: covariant block count, covariant blocks, the invariant block
    /// block: λ, σ, group count, groups (input block, l, pair count, p1…, f2…), expanded width,
    ///   has_purifier [regressor count, (order, block or −1, take)…, β array, has_intercept [β₀ array]],
    ///   has_projection [V array, ExpandedWidth × Width], width, importances array
    /// </code>
    /// The order-1 blocks, the CG tables and each group's input (k, σ_b) and output λ are not stored: they follow
    /// from the parameters and the previous order (see NiceLayout.cs).
    /// </remarks>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(BlobMagic);
        writer.Write(FormatVersion);
        WriteParameters(writer, Parameters, Species);
        var dm = DensityModel;
        writer.Write(dm.Scale);
        writer.Write(dm.Channels);
        writer.Write(dm.Features.Length);
        foreach (var f in dm.Features) writer.Write(f);
        writer.Write(dm.FactorCount);
        foreach (var factor in dm.Maps)
            foreach (var map in factor) WriteArray(writer, map);
        foreach (var imp in dm.Importances) WriteArray(writer, imp);
        writer.Write(dm.Embedding is not null);
        if (dm.Embedding is { } emb)
        {
            writer.Write(emb.Length);
            foreach (var w in emb) WriteArray(writer, w);
        }
        for (int o = 2; o <= BodyOrder; o++)
        {
            var om = Orders[o];
            writer.Write(om.Covariant.Length);
            foreach (var b in om.Covariant) WriteBlock(writer, b);
            WriteBlock(writer, om.Invariant!);
        }
    }

    /// <summary>Reads a blob written by <see cref="WriteTo"/>; malformed data throws <see cref="ContractionFileException"/>.</summary>
    public static NiceModel ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            return Read(reader);
        }
        catch (EndOfStreamException e)
        {
            throw new ContractionFileException("truncated NICE model data", e);
        }
        catch (SpecializedException e) when (e is not ContractionFileException)
        {
            throw new ContractionFileException($"invalid NICE model data: {e.Message}", e);
        }
    }

    private static NiceModel Read(BinaryReader r)
    {
        Span<byte> magic = stackalloc byte[4];
        if (r.Read(magic) != 4 || !magic.SequenceEqual(BlobMagic)) throw new ContractionFileException("not NICE model data (bad magic)");
        int version = r.ReadInt32();
        if (version != FormatVersion) throw new ContractionFileException($"NICE model format version {version} is not supported (expected {FormatVersion})");
        var (parameters, species) = ReadParameters(r);
        parameters.Validate();
        var expansion = new SphericalExpansion(parameters.Density, species);
        var layout = expansion.Layout;

        double scale = r.ReadDouble();
        int channels = r.ReadInt32();
        int lCount = r.ReadInt32();
        if (lCount != layout.LMax + 1) Malformed($"{lCount} density channels l, expected {layout.LMax + 1}");
        bool tr = parameters.SpeciesMode == NiceSpeciesMode.TensorReduced;
        if (channels != (tr ? parameters.SpeciesRank : 1)) Malformed($"{channels} channels");
        var features = new int[lCount];
        for (int l = 0; l < lCount; l++)
        {
            features[l] = r.ReadInt32();
            if (features[l] < 0 || features[l] > MaxArray) Malformed($"density width {features[l]}");
        }
        int factors = r.ReadInt32();
        if (factors != (tr ? parameters.BodyOrder : 1) && !(tr && factors == 1)) Malformed($"{factors} factor maps");
        var maps = new double[factors][][];
        for (int t = 0; t < factors; t++)
        {
            maps[t] = new double[lCount][];
            for (int l = 0; l < lCount; l++)
            {
                maps[t][l] = ReadArray(r, -1, "density map");
                int q = layout.SpeciesCount * layout.RadialCount(l), expected = q * channels * features[l];
                bool identity = maps[t][l].Length == 0 && channels == 1 && features[l] == q;
                if (maps[t][l].Length != expected && !identity) Malformed($"density map of l={l} has {maps[t][l].Length} values, expected {expected}");
            }
        }
        var importances = new double[lCount][];
        for (int l = 0; l < lCount; l++) importances[l] = ReadArray(r, features[l], "density importances");
        double[][]? embedding = null;
        if (r.ReadBoolean())
        {
            int count = r.ReadInt32();
            if (count < 1 || count > parameters.BodyOrder) Malformed($"{count} embedding matrices");
            embedding = new double[count][];
            for (int t = 0; t < count; t++) embedding[t] = ReadArray(r, -1, "embedding");
        }
        var density = new DensityModel(channels, features, maps, importances, scale, embedding);

        var orders = new OrderModel[parameters.BodyOrder + 1];
        int top = Math.Min(layout.LMax, parameters.LambdaCap);
        var first = new FittedBlock[top + 1];
        for (int l = 0; l <= top; l++)
            first[l] = new FittedBlock(new NiceBlockKey(l, 1), 1, [], 0, null, null, features[l], importances[l], densityL: l);
        orders[1] = new OrderModel(1, first, null);
        for (int o = 2; o <= parameters.BodyOrder; o++)
        {
            int count = r.ReadInt32();
            if (count < 0 || count > 4 * (parameters.LambdaCap + 1)) Malformed($"{count} blocks at order {o}");
            var covariant = new FittedBlock[count];
            for (int b = 0; b < count; b++) covariant[b] = ReadBlock(r, o, orders, features, parameters.LambdaCap, channels, invariant: false);
            var invariant = ReadBlock(r, o, orders, features, parameters.LambdaCap, channels, invariant: true);
            orders[o] = new OrderModel(o, covariant, invariant);
        }
        return new NiceModel(parameters, species, density, orders, expansion);
    }

    private static void WriteParameters(BinaryWriter w, NiceParameters p, SpeciesList species)
    {
        var d = p.Density;
        w.Write(d.Cutoff);
        w.Write((int)d.CutoffFunction);
        w.Write(d.CutoffWidth);
        w.Write(d.DensityWidth);
        w.Write(d.RadialCount);
        w.Write(d.LMax);
        w.Write((int)d.Basis);
        w.Write(d.RadialScaling is not null);
        if (d.RadialScaling is { } s)
        {
            w.Write(s.Rate);
            w.Write(s.Scale);
            w.Write(s.Exponent);
        }
        w.Write(d.CenterWeight);
        w.Write(d.SplineAccuracy is not null);
        if (d.SplineAccuracy is { } acc) w.Write(acc);
        w.Write(species.Count);
        foreach (var z in species.AtomicNumbers) w.Write(z);
        w.Write(p.BodyOrder);
        w.Write(p.MaxLambda ?? -1);
        w.Write(p.Steps.Count);
        foreach (var step in p.Steps)
        {
            w.Write(step.ExpandCovariant ?? -1);
            w.Write(step.KeepCovariant ?? -1);
            w.Write(step.ExpandInvariant ?? -1);
            w.Write(step.KeepInvariant ?? -1);
        }
        w.Write(p.InitialKeep ?? -1);
        w.Write((int)p.SpeciesMode);
        w.Write(p.SpeciesRank);
        w.Write((int)p.Embedding);
        w.Write(p.Seed);
        w.Write(p.CustomEmbedding?.Count ?? 0);
        if (p.CustomEmbedding is { } custom)
            foreach (var m in custom) WriteArray(w, m);
        w.Write((int)p.Scaling);
        w.Write(p.Purification is not null);
        if (p.Purification is { } pur)
        {
            w.Write(pur.MaxTakeCovariant);
            w.Write(pur.MaxTakeInvariant);
        }
        w.Write(p.CovariantsAtLastOrder);
    }

    private static (NiceParameters, SpeciesList) ReadParameters(BinaryReader r)
    {
        double cutoff = r.ReadDouble();
        var cutoffFunction = ReadEnum<CutoffKind>(r, "cutoff function");
        double cutoffWidth = r.ReadDouble(), densityWidth = r.ReadDouble();
        int radial = r.ReadInt32(), lmax = r.ReadInt32();
        var basis = ReadEnum<RadialBasisKind>(r, "basis");
        RadialScalingParameters? scaling = r.ReadBoolean() ? new RadialScalingParameters(r.ReadDouble(), r.ReadDouble(), r.ReadDouble()) : null;
        double centerWeight = r.ReadDouble();
        double? spline = r.ReadBoolean() ? r.ReadDouble() : null;
        int speciesCount = r.ReadInt32();
        if (speciesCount < 1 || speciesCount > 200) Malformed($"{speciesCount} species");
        var numbers = new int[speciesCount];
        for (int a = 0; a < speciesCount; a++) numbers[a] = r.ReadInt32();
        int bodyOrder = r.ReadInt32();
        int maxLambda = r.ReadInt32();
        int stepCount = r.ReadInt32();
        if (stepCount < 0 || stepCount > 64) Malformed($"{stepCount} steps");
        var steps = new NiceStep[stepCount];
        for (int k = 0; k < stepCount; k++) steps[k] = new NiceStep(Optional(r), Optional(r), Optional(r), Optional(r));
        int? initialKeep = Optional(r);
        var mode = ReadEnum<NiceSpeciesMode>(r, "species mode");
        int rank = r.ReadInt32();
        var embedding = ReadEnum<SpeciesEmbeddingKind>(r, "embedding");
        int seed = r.ReadInt32();
        int customCount = r.ReadInt32();
        if (customCount < 0 || customCount > 64) Malformed($"{customCount} custom matrices");
        double[][]? custom = customCount == 0 ? null : new double[customCount][];
        for (int k = 0; k < customCount; k++) custom![k] = ReadArray(r, -1, "custom embedding");
        var scalingMode = ReadEnum<NiceScaling>(r, "scaling");
        NicePurification? purification = r.ReadBoolean() ? new NicePurification(r.ReadInt32(), r.ReadInt32()) : null;
        bool covariantsAtLast = r.ReadBoolean();
        var density = new SoapParameters
        {
            Cutoff = cutoff,
            CutoffFunction = cutoffFunction,
            CutoffWidth = cutoffWidth,
            DensityWidth = densityWidth,
            RadialCount = radial,
            LMax = lmax,
            Basis = basis,
            RadialScaling = scaling,
            CenterWeight = centerWeight,
            SplineAccuracy = spline,
        };
        var parameters = new NiceParameters
        {
            Density = density,
            BodyOrder = bodyOrder,
            MaxLambda = maxLambda < 0 ? null : maxLambda,
            Steps = steps,
            InitialKeep = initialKeep,
            SpeciesMode = mode,
            SpeciesRank = rank,
            Embedding = embedding,
            Seed = seed,
            CustomEmbedding = custom,
            Scaling = scalingMode,
            Purification = purification,
            CovariantsAtLastOrder = covariantsAtLast,
        };
        return (parameters, new SpeciesList(numbers));
    }

    private static void WriteBlock(BinaryWriter w, FittedBlock b)
    {
        w.Write(b.Key.Lambda);
        w.Write(b.Key.Sigma);
        w.Write(b.Groups.Length);
        foreach (var g in b.Groups)
        {
            w.Write(g.InputBlock);
            w.Write(g.L);
            w.Write(g.Count);
            foreach (var p in g.P1) w.Write(p);
            foreach (var f in g.F2) w.Write(f);
        }
        w.Write(b.ExpandedWidth);
        w.Write(b.Purifier is not null);
        if (b.Purifier is { } pur)
        {
            w.Write(pur.Regressors.Length);
            foreach (var reg in pur.Regressors)
            {
                w.Write(reg.Order);
                w.Write(reg.Block);
                w.Write(reg.Take);
            }
            WriteArray(w, pur.Coefficients);
            w.Write(pur.Intercept is not null);
            if (pur.Intercept is { } b0) WriteArray(w, b0);
        }
        w.Write(b.Projection is not null);
        if (b.Projection is { } v) WriteArray(w, v);
        w.Write(b.Width);
        WriteArray(w, b.Importances);
    }

    private static FittedBlock ReadBlock(BinaryReader r, int order, OrderModel[] orders, int[] features, int cap, int channels, bool invariant)
    {
        int lambda = r.ReadInt32(), sigma = r.ReadInt32();
        if (lambda < 0 || lambda > cap || sigma is not (1 or -1) || (invariant && (lambda != 0 || sigma != 1)))
            Malformed($"block (λ={lambda}, σ={sigma}) at order {order}");
        var key = new NiceBlockKey(lambda, sigma);
        var previous = orders[order - 1].Covariant;
        int groupCount = r.ReadInt32();
        if (groupCount < 0 || groupCount > MaxArray) Malformed($"{groupCount} coupling groups");
        var groups = new CouplingGroup[groupCount];
        int offset = 0;
        for (int k = 0; k < groupCount; k++)
        {
            int input = r.ReadInt32(), l = r.ReadInt32(), count = r.ReadInt32();
            if (input < 0 || input >= previous.Length || l < 0 || l >= features.Length || count < 0 || count > MaxArray)
                Malformed($"coupling group {k} of {key} at order {order}");
            var inKey = previous[input].Key;
            int expectedSigma = ((inKey.Lambda + l + lambda) & 1) == 0 ? inKey.Sigma : -inKey.Sigma;
            if (lambda < Math.Abs(inKey.Lambda - l) || lambda > inKey.Lambda + l || expectedSigma != sigma)
                Malformed($"coupling {inKey} ⊗ l={l} cannot give {key}");
            var p1 = new int[count];
            var f2 = new int[count];
            for (int i = 0; i < count; i++)
            {
                p1[i] = r.ReadInt32();
                if ((uint)p1[i] >= (uint)previous[input].Width) Malformed($"feature index {p1[i]} out of range");
            }
            for (int i = 0; i < count; i++)
            {
                f2[i] = r.ReadInt32();
                if ((uint)f2[i] >= (uint)features[l]) Malformed($"density index {f2[i]} out of range");
            }
            groups[k] = new CouplingGroup(input, inKey.Lambda, inKey.Sigma, l, lambda, offset, p1, f2);
            offset += count;
        }
        int nx = r.ReadInt32();
        if (nx != offset) Malformed($"expanded width {nx} differs from the coupling groups ({offset})");
        Purifier? purifier = null;
        if (r.ReadBoolean())
        {
            int refCount = r.ReadInt32();
            if (refCount < 1 || refCount >= order) Malformed($"{refCount} purification regressors");
            var refs = new RegressorRef[refCount];
            for (int k = 0; k < refCount; k++)
            {
                var reg = new RegressorRef(r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
                if (reg.Order < 1 || reg.Order >= order) Malformed($"regressor order {reg.Order}");
                var om = orders[reg.Order];
                FittedBlock? src = reg.Block == -1 ? om.Invariants : reg.Block >= 0 && reg.Block < om.Covariant.Length ? om.Covariant[reg.Block] : null;
                if (src is null || src.Key != key || reg.Take < 1 || reg.Take > src.Width) Malformed($"purification regressor {reg}");
                refs[k] = reg;
            }
            int nr = refs.Sum(x => x.Take);
            var beta = ReadArray(r, nr * nx, "purification coefficients");
            double[]? intercept = r.ReadBoolean() ? ReadArray(r, nx, "purification intercept") : null;
            purifier = new Purifier(refs, beta, intercept);
        }
        double[]? projection = null;
        bool hasProjection = r.ReadBoolean();
        if (hasProjection) projection = ReadArray(r, -1, "projection");
        int width = r.ReadInt32();
        if (width < 0 || (hasProjection ? projection!.Length != nx * width : width != nx)) Malformed($"width {width} of {key} at order {order}");
        var importances = ReadArray(r, width, "importances");
        return new FittedBlock(key, order, groups, nx, purifier, projection, width, importances);
    }

    private static int? Optional(BinaryReader r)
    {
        int v = r.ReadInt32();
        return v < 0 ? null : v;
    }

    private static T ReadEnum<T>(BinaryReader r, string what) where T : struct, Enum
    {
        int v = r.ReadInt32();
        var value = System.Runtime.CompilerServices.Unsafe.As<int, T>(ref v);
        if (!Enum.IsDefined(value)) Malformed($"unknown {what} {v}");
        return value;
    }

    private static void WriteArray(BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    private static double[] ReadArray(BinaryReader r, int expected, string what)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > MaxArray || (expected >= 0 && n != expected)) Malformed($"{what} has {n} values{(expected >= 0 ? $", expected {expected}" : "")}");
        var bytes = r.ReadBytes(8 * n);
        if (bytes.Length != 8 * n) throw new EndOfStreamException();
        var values = new double[n];
        for (int k = 0; k < n; k++) values[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * k));
        foreach (var v in values)
            if (!double.IsFinite(v)) Malformed($"{what} holds a non-finite value");
        return values;
    }

    private static void Malformed(string what) => throw new ContractionFileException($"malformed NICE model data: {what}");
}

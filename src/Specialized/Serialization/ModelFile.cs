using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Specialized.Features;
using Specialized.Models;
using Specialized.Models.Kernels;

namespace Specialized.Serialization;

/// <summary>Why a model file could not be loaded.</summary>
public enum ModelFileError
{
    /// <summary>The file could not be opened or read.</summary>
    Unreadable,
    /// <summary>The file does not start with the model-file magic bytes.</summary>
    NotAModelFile,
    /// <summary>The format version is newer than this library understands.</summary>
    UnsupportedVersion,
    /// <summary>The file is shorter than its header says.</summary>
    Truncated,
    /// <summary>The SHA-256 of the payload does not match (the file was altered or damaged).</summary>
    ChecksumMismatch,
    /// <summary>The payload is inconsistent (bad section, count or value).</summary>
    Malformed,
    /// <summary>The representation kind is neither built in nor registered.</summary>
    UnknownRepresentation,
    /// <summary>The representation available here does not produce the features the model was fitted on.</summary>
    Mismatch,
}

/// <summary>A model file could not be loaded; <see cref="Error"/> says why and the message names the file.</summary>
public sealed class ModelFileException : SpecializedException
{
    /// <summary>Creates the exception.</summary>
    public ModelFileException(string path, ModelFileError error, string message, Exception? inner = null)
        : base($"{path}: {message}", inner ?? new InvalidOperationException(message))
    {
        Path = path;
        Error = error;
    }

    /// <summary>The file.</summary>
    public string Path { get; }
    /// <summary>The reason.</summary>
    public ModelFileError Error { get; }
}

/// <summary>Section tags of the model-file payload.</summary>
internal static class SectionTags
{
    public const string Model = "MODL", Metadata = "META", Representation = "REPR", Kernel = "KMAP", EquivariantKernel = "EKRN", Readout = "LINR";
}

/// <summary>Collects tagged sections into a payload.</summary>
internal sealed class SectionWriter
{
    private readonly MemoryStream _payload = new();

    /// <summary>Appends section <paramref name="tag"/> with the bytes written by <paramref name="body"/>.</summary>
    public void Section(string tag, Action<BinaryWriter> body)
    {
        using var content = new MemoryStream();
        using (var w = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true)) body(w);
        Span<byte> header = stackalloc byte[12];
        Encoding.ASCII.GetBytes(tag, header[..4]);
        BinaryPrimitives.WriteUInt64LittleEndian(header[4..], (ulong)content.Length);
        _payload.Write(header);
        content.Position = 0;
        content.CopyTo(_payload);
    }

    public byte[] ToArray() => _payload.ToArray();
}

/// <summary>
/// The model-file container. Layout (little-endian):
/// <code>
///   offset  size  content
///   0       8     magic "SPZMODEL"
///   8       2     format major version (1); a reader refuses a newer major
///   10      2     format minor version (0)
///   12      4     reserved (0)
///   16      8     payload length L
///   24      L     payload: sections, each  tag (4 ASCII) | length (u64) | bytes
///   24 + L  32    SHA-256 of the payload
/// </code>
/// Sections, in order: <c>MODL</c> (model kind name, block count), <c>META</c> (ordered key/value
/// strings: units, training metadata), then per block <c>REPR</c> (the <see cref="RepresentationSpec"/>,
/// whose <see cref="RepresentationSpec.Extension"/> holds a representation's own fitted data such as a NICE
/// model, followed by the 32-byte <see cref="FeatureSignature"/>), for a kernel potential <c>KMAP</c>
/// (<see cref="KernelMap"/>: ζ, sparse environments, projections), for a kernel tensor block <c>EKRN</c>
/// (the invariant representation's spec and signature, then the <see cref="EquivariantKernelMap"/>) and <c>LINR</c> (λ and the
/// <see cref="LinearReadout"/>: weights, baselines). Doubles are stored as raw IEEE-754 bits, so a
/// model read back and written again gives identical bytes.
/// Files are written atomically: a temporary file in the same directory, flushed to disk, then renamed over
/// the destination. Reading verifies magic, version, length and checksum before parsing, rebuilds the
/// calculators (through a <see cref="RepresentationFactory"/> or <see cref="RepresentationCatalog"/>), and
/// checks their <see cref="FeatureSignature"/> against the stored one.
/// </summary>
public static class ModelFile
{
    /// <summary>Magic bytes at offset 0.</summary>
    public static ReadOnlySpan<byte> Magic => "SPZMODEL"u8;
    /// <summary>Format major version written (and the newest read).</summary>
    public const ushort MajorVersion = 1;
    /// <summary>Format minor version written.</summary>
    public const ushort MinorVersion = 0;
    private const int HeaderLength = 24, HashLength = 32;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, Model model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        var bytes = ToBytes(model);
        string full = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent directory", nameof(path));
        string temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { /* best effort: the original error matters more */ }
            catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>The complete file contents for <paramref name="model"/>.</summary>
    public static byte[] ToBytes(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sections = new SectionWriter();
        model.WriteSections(sections);
        var payload = sections.ToArray();
        var bytes = new byte[HeaderLength + payload.Length + HashLength];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), MajorVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(10), MinorVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), (ulong)payload.Length);
        payload.CopyTo(bytes, HeaderLength);
        SHA256.HashData(payload, bytes.AsSpan(HeaderLength + payload.Length));
        return bytes;
    }

    /// <summary>Reads a model file; see the class remarks for what is checked.</summary>
    public static Model Read(string path, RepresentationFactory? factory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, ModelFileError.Unreadable, $"cannot read the model file: {e.Message}", e);
        }
        return FromBytes(bytes, path, factory);
    }

    /// <summary>Parses file contents; <paramref name="sourceName"/> names the input in errors.</summary>
    public static Model FromBytes(ReadOnlySpan<byte> bytes, string sourceName, RepresentationFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var magic = Magic;
        if (bytes.Length < magic.Length)
        {
            bool prefix = magic[..bytes.Length].SequenceEqual(bytes);
            throw new ModelFileException(sourceName, prefix ? ModelFileError.Truncated : ModelFileError.NotAModelFile,
                prefix ? $"truncated model file ({bytes.Length} bytes)" : "not a Specialized model file (wrong magic bytes)");
        }
        if (!bytes[..magic.Length].SequenceEqual(magic))
            throw new ModelFileException(sourceName, ModelFileError.NotAModelFile, "not a Specialized model file (wrong magic bytes)");
        if (bytes.Length < HeaderLength)
            throw new ModelFileException(sourceName, ModelFileError.Truncated, $"truncated model file: {bytes.Length} bytes, the header alone has {HeaderLength}");
        int major = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
        int minor = BinaryPrimitives.ReadUInt16LittleEndian(bytes[10..]);
        if (major != MajorVersion)
            throw new ModelFileException(sourceName, ModelFileError.UnsupportedVersion,
                $"model-file format {major}.{minor} is not supported (this library reads format {MajorVersion}.x)");
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        ulong expected = HeaderLength + length + HashLength;
        if (length > int.MaxValue || (ulong)bytes.Length < expected)
            throw new ModelFileException(sourceName, ModelFileError.Truncated,
                $"truncated model file: {bytes.Length} bytes, the header announces {expected}");
        if ((ulong)bytes.Length > expected)
            throw new ModelFileException(sourceName, ModelFileError.Malformed,
                $"model file has {(ulong)bytes.Length - expected} unexpected bytes after the checksum");
        var payload = bytes.Slice(HeaderLength, (int)length);
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(bytes.Slice(HeaderLength + (int)length, HashLength)))
            throw new ModelFileException(sourceName, ModelFileError.ChecksumMismatch, "checksum mismatch: the model file is corrupt or was modified");

        List<(string Tag, byte[] Body)> sections;
        try
        {
            sections = SplitSections(payload);
        }
        catch (MalformedDataException e)
        {
            throw new ModelFileException(sourceName, ModelFileError.Malformed, $"malformed model file: {e.Message}", e);
        }
        return Parse(sections, sourceName, factory);
    }

    internal static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Potential => "potential",
        ModelKind.Dipole => "dipole",
        _ => "polarizability",
    };

    private static List<(string, byte[])> SplitSections(ReadOnlySpan<byte> payload)
    {
        var list = new List<(string, byte[])>();
        int pos = 0;
        while (pos < payload.Length)
        {
            if (payload.Length - pos < 12) throw new MalformedDataException("section header cut short");
            string tag = Encoding.ASCII.GetString(payload.Slice(pos, 4));
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(payload[(pos + 4)..]);
            pos += 12;
            if (len > (ulong)(payload.Length - pos)) throw new MalformedDataException($"section {tag} is longer than the payload");
            list.Add((tag, payload.Slice(pos, (int)len).ToArray()));
            pos += (int)len;
        }
        return list;
    }

    private static Model Parse(List<(string Tag, byte[] Body)> sections, string source, RepresentationFactory? factory)
    {
        int next = 0;
        T Section<T>(string tag, Func<BinaryReader, T> read)
        {
            if (next >= sections.Count) throw new MalformedDataException($"section {tag} is missing");
            var (actual, body) = sections[next];
            if (actual != tag) throw new MalformedDataException($"expected section {tag}, found {actual}");
            next++;
            using var reader = new BinaryReader(new MemoryStream(body), Encoding.UTF8);
            var value = read(reader);
            if (reader.BaseStream.Position != body.Length) throw new MalformedDataException($"section {tag} has {body.Length - reader.BaseStream.Position} unread bytes");
            return value;
        }

        try
        {
            var (kindName, blockCount) = Section(SectionTags.Model, r => (Binary.ReadString(r, 64), r.ReadInt32()));
            var kind = kindName switch
            {
                "potential" => ModelKind.Potential,
                "dipole" => ModelKind.Dipole,
                "polarizability" => ModelKind.Polarizability,
                _ => throw new MalformedDataException($"unknown model kind '{kindName}'"),
            };
            if (blockCount < 1 || blockCount > 16) throw new MalformedDataException($"block count {blockCount} is outside 1..16");
            var metadata = Section(SectionTags.Metadata, ModelMetadata.ReadFrom);
            Model model;
            if (kind == ModelKind.Potential)
            {
                if (blockCount != 1) throw new MalformedDataException("a potential has exactly one block");
                var (spec, signature) = Section(SectionTags.Representation, ReadRepresentation);
                KernelMap? kernel = next < sections.Count && sections[next].Tag == SectionTags.Kernel ? Section(SectionTags.Kernel, KernelMap.ReadFrom) : null;
                var (lambda, readout) = Section(SectionTags.Readout, r => (r.ReadInt32(), LinearReadout.ReadFrom(r)));
                if (lambda != 0) throw new MalformedDataException($"a potential's readout has λ = {lambda}");
                var calculator = Bind(spec, signature, source, factory);
                model = Build(() => new PotentialModel(spec, calculator, kernel, readout, metadata));
            }
            else
            {
                var blocks = new List<TensorBlock>();
                for (int b = 0; b < blockCount; b++)
                {
                    var (spec, signature) = Section(SectionTags.Representation, ReadRepresentation);
                    (RepresentationSpec Spec, byte[] Signature, EquivariantKernelMap Map)? kernel = null;
                    if (next < sections.Count && sections[next].Tag == SectionTags.EquivariantKernel)
                        kernel = Section(SectionTags.EquivariantKernel, r =>
                        {
                            var (scalarSpec, scalarSignature) = ReadRepresentation(r);
                            return (scalarSpec, scalarSignature, EquivariantKernelMap.ReadFrom(r));
                        });
                    var (lambda, readout) = Section(SectionTags.Readout, r => (r.ReadInt32(), LinearReadout.ReadFrom(r)));
                    var calculator = Bind(spec, signature, source, factory);
                    TensorKernel? tensorKernel = kernel is { } k
                        ? new TensorKernel(k.Spec, Bind(k.Spec, k.Signature, source, factory), k.Map)
                        : null;
                    blocks.Add(Build(() => new TensorBlock(lambda, spec, calculator, readout, tensorKernel)));
                }
                model = Build(() => new TensorModel(kind, blocks, metadata));
            }
            if (next != sections.Count) throw new MalformedDataException($"unexpected section {sections[next].Tag} after the model");
            return model;
        }
        catch (MalformedDataException e)
        {
            throw new ModelFileException(source, ModelFileError.Malformed, $"malformed model file: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFileException(source, ModelFileError.Malformed, "malformed model file: a section ends early", e);
        }
    }

    private static (RepresentationSpec, byte[]) ReadRepresentation(BinaryReader r)
    {
        var spec = RepresentationSpec.ReadFrom(r);
        var signature = r.ReadBytes(FeatureSignature.Length);
        if (signature.Length != FeatureSignature.Length) throw new MalformedDataException("feature signature cut short");
        return (spec, signature);
    }

    private static IFeatureCalculator Bind(RepresentationSpec spec, byte[] signature, string source, RepresentationFactory? factory)
    {
        if (factory is null && !RepresentationCatalog.IsKnown(spec.Kind))
            throw new ModelFileException(source, ModelFileError.UnknownRepresentation,
                $"the model uses representation '{spec.Kind}', which is not available (register it with RepresentationCatalog.Register or pass a factory)");
        IFeatureCalculator calculator;
        try
        {
            calculator = RepresentationCatalog.Create(spec, factory);
        }
        catch (SpecializedException e)
        {
            throw new ModelFileException(source, ModelFileError.Malformed, $"cannot build representation {spec}: {e.Message}", e);
        }
        var actual = FeatureSignature.Compute(calculator);
        if (!actual.AsSpan().SequenceEqual(signature))
            throw new ModelFileException(source, ModelFileError.Mismatch,
                $"representation {spec} here gives {calculator.FeatureCount} features with a different layout than the model was fitted on (feature signature mismatch)");
        return calculator;
    }

    private static T Build<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (InvalidParameterException e)
        {
            throw new MalformedDataException(e.Message);
        }
    }
}

/// <summary>A calculator or representation does not match the one a model was fitted on.</summary>
public sealed class ModelMismatchException : SpecializedException
{
    /// <summary>Creates the exception.</summary>
    public ModelMismatchException(string message) : base(message) { }
}

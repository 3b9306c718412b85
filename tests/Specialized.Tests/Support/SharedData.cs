using System.Buffers.Binary;
using System.Text.Json;

namespace Specialized.Tests.Support;

/// <summary>
/// Locates the <c>shared/</c> folder that sits beside the project root (design notes, reference
/// data, datasets). A user's clone does not have it: tests that need it use
/// <see cref="SharedFactAttribute"/> / <see cref="SharedTheoryAttribute"/> and are skipped with a message.
/// The environment variable SPECIALIZED_SHARED overrides the search.
/// </summary>
public static class SharedData
{
    public static readonly string? Root = Locate();

    public const string MissingMessage = "needs ../shared (reference data beside the project root); not present in this checkout";

    private static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable("SPECIALIZED_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "refdata"))) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "refdata"))) return candidate;
        }
        return null;
    }

    public static string PathOf(params string[] parts) =>
        Path.Combine([Root ?? throw new InvalidOperationException(MissingMessage), .. parts]);

    /// <summary>A reference array: shape and row-major values, plus its JSON header.</summary>
    public sealed record RefArray(int[] Shape, double[] Data, JsonElement Header)
    {
        public double this[params int[] idx]
        {
            get
            {
                int flat = 0;
                for (int k = 0; k < Shape.Length; k++) flat = flat * Shape[k] + idx[k];
                return Data[flat];
            }
        }

        public double MaxAbs() => Data.Max(Math.Abs);
    }

    /// <summary>Reads refdata/&lt;group&gt;/&lt;name&gt;.json + .f64 (format f64le-rowmajor-v1).</summary>
    public static RefArray Load(string group, string name)
    {
        var dir = PathOf("refdata", group);
        var header = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name + ".json"))).RootElement.Clone();
        var shape = header.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var bytes = File.ReadAllBytes(Path.Combine(dir, header.GetProperty("file").GetString()!));
        var data = new double[bytes.Length / 8];
        for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * i));
        Assert.Equal(shape.Aggregate(1, (a, b) => a * b), data.Length);
        return new RefArray(shape, data, header);
    }

    /// <summary>Parses a JSON input file under refdata.</summary>
    public static JsonElement LoadJson(params string[] parts) =>
        JsonDocument.Parse(File.ReadAllText(PathOf(["refdata", .. parts]))).RootElement.Clone();
}

/// <summary>A fact that needs ../shared; skipped with a clear message when it is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (SharedData.Root is null) Skip = SharedData.MissingMessage;
    }
}

/// <summary>A theory that needs ../shared; skipped with a clear message when it is absent.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute()
    {
        if (SharedData.Root is null) Skip = SharedData.MissingMessage;
    }
}

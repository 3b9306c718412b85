using System.Buffers.Binary;

namespace Specialized.Serialization;

/// <summary>
/// Little-endian primitives shared by the model-file sections (on top of <see cref="BinaryWriter"/>,
/// which is little-endian on every platform). Arrays are a 32-bit count followed by the raw IEEE-754
/// bytes, so doubles round-trip bit for bit. Readers check every count against the bytes left in the
/// stream, so a corrupted count raises <see cref="MalformedDataException"/> instead of a huge allocation.
/// </summary>
public static class Binary
{
    /// <summary>Writes a count and the doubles.</summary>
    public static void WriteDoubles(BinaryWriter w, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(values.Length);
        Span<byte> buffer = stackalloc byte[8];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, v);
            w.Write(buffer);
        }
    }

    /// <summary>Writes a count and the integers.</summary>
    public static void WriteInts(BinaryWriter w, ReadOnlySpan<int> values)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    /// <summary>Writes a count and the bytes.</summary>
    public static void WriteBytes(BinaryWriter w, ReadOnlySpan<byte> values)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(values.Length);
        w.Write(values);
    }

    /// <summary>Reads what <see cref="WriteDoubles"/> wrote.</summary>
    public static double[] ReadDoubles(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        int count = ReadLength(r, 8, "doubles");
        var bytes = r.ReadBytes(count * 8);
        if (bytes.Length != count * 8) throw new MalformedDataException("array of doubles cut short");
        var values = new double[count];
        for (int k = 0; k < count; k++) values[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * k));
        return values;
    }

    /// <summary>Reads what <see cref="WriteInts"/> wrote.</summary>
    public static int[] ReadInts(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        int count = ReadLength(r, 4, "integers");
        var values = new int[count];
        for (int k = 0; k < count; k++) values[k] = r.ReadInt32();
        return values;
    }

    /// <summary>Reads what <see cref="WriteBytes"/> wrote.</summary>
    public static byte[] ReadBytes(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        int count = ReadLength(r, 1, "bytes");
        var bytes = r.ReadBytes(count);
        if (bytes.Length != count) throw new MalformedDataException("byte array cut short");
        return bytes;
    }

    /// <summary>Reads a count of small items (e.g. blocks) and checks 0 ≤ count ≤ <paramref name="max"/>.</summary>
    public static int ReadCount(BinaryReader r, int max, string what)
    {
        ArgumentNullException.ThrowIfNull(r);
        int count = r.ReadInt32();
        if (count < 0 || count > max) throw new MalformedDataException($"{what}: count {count} is outside 0..{max}");
        return count;
    }

    /// <summary>Reads a string written by <see cref="BinaryWriter.Write(string)"/>, at most <paramref name="maxLength"/> characters.</summary>
    public static string ReadString(BinaryReader r, int maxLength = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(r);
        string s = r.ReadString();
        if (s.Length > maxLength) throw new MalformedDataException($"string of {s.Length} characters is longer than {maxLength}");
        return s;
    }

    private static int ReadLength(BinaryReader r, int itemSize, string what)
    {
        int count = r.ReadInt32();
        if (count < 0) throw new MalformedDataException($"negative count of {what}");
        if (r.BaseStream.CanSeek && (long)count * itemSize > r.BaseStream.Length - r.BaseStream.Position)
            throw new MalformedDataException($"count of {what} ({count}) exceeds the remaining data");
        return count;
    }
}

/// <summary>Structured binary data is inconsistent (raised while parsing; wrapped into <see cref="ModelFileException"/> by the file reader).</summary>
public sealed class MalformedDataException : SpecializedException
{
    /// <summary>Creates the exception.</summary>
    public MalformedDataException(string message) : base(message) { }
}

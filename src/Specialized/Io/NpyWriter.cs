using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Specialized.Io;

/// <summary>
/// Writes a NumPy .npy file, format version 1.0, dtype '&lt;f8' (little-endian float64), C order,
/// streaming the data after a header that fixes the shape. The file is written to a temporary
/// name beside the target and renamed on <see cref="Commit"/>, so readers never see a partial file.
/// Header: magic "\x93NUMPY", version 1.0, a little-endian uint16 header length, then the ASCII
/// dict "{'descr': '&lt;f8', 'fortran_order': False, 'shape': (…), }" padded with spaces and a final
/// newline so that the data starts at a multiple of 64 bytes.
/// </summary>
public sealed class NpyWriter : IDisposable
{
    private readonly string _path;
    private readonly string _tempPath;
    private readonly FileStream _stream;
    private readonly long _expected;
    private long _written;
    private readonly byte[] _buffer = new byte[8 * 4096];
    private bool _committed;

    /// <summary>Opens <paramref name="path"/> for an array of the given shape.</summary>
    public NpyWriter(string path, params long[] shape)
    {
        if (shape.Length == 0) throw new ArgumentException("shape must have at least one dimension");
        _path = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(dir);
        _tempPath = Path.Combine(dir, "." + Path.GetFileName(_path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        _expected = shape.Aggregate(1L, (a, b) => a * b);
        _stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var header = Header(shape);
        _stream.Write(header);
    }

    /// <summary>The complete header bytes for <paramref name="shape"/>.</summary>
    public static byte[] Header(IReadOnlyList<long> shape)
    {
        string dims = shape.Count == 1
            ? shape[0].ToString(CultureInfo.InvariantCulture) + ","
            : string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.Length + 1;
        int total = (unpadded + 63) / 64 * 64;
        dict = dict.PadRight(total - 10 - 1) + "\n";
        var bytes = new byte[total];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(bytes, 1);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)dict.Length);
        Encoding.ASCII.GetBytes(dict).CopyTo(bytes, 10);
        return bytes;
    }

    /// <summary>Appends values in C order.</summary>
    public void Write(ReadOnlySpan<double> values)
    {
        if (_written + values.Length > _expected)
            throw new InvalidOperationException($"more values than the declared shape holds ({_expected})");
        while (!values.IsEmpty)
        {
            int n = Math.Min(values.Length, _buffer.Length / 8);
            for (int k = 0; k < n; k++) BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(8 * k), values[k]);
            _stream.Write(_buffer, 0, 8 * n);
            values = values[n..];
            _written += n;
        }
    }

    /// <summary>Checks that exactly the declared number of values was written and moves the file into place.</summary>
    public void Commit()
    {
        if (_written != _expected)
            throw new InvalidOperationException($"wrote {_written} values, the declared shape holds {_expected}");
        _stream.Flush(true);
        _stream.Dispose();
        File.Move(_tempPath, _path, overwrite: true);
        _committed = true;
    }

    /// <summary>Closes the file; without <see cref="Commit"/> the temporary file is deleted.</summary>
    public void Dispose()
    {
        _stream.Dispose();
        if (!_committed && File.Exists(_tempPath)) File.Delete(_tempPath);
    }

    /// <summary>Writes a whole array at once (atomic).</summary>
    public static void WriteFile(string path, ReadOnlySpan<double> values, params long[] shape)
    {
        using var w = new NpyWriter(path, shape);
        w.Write(values);
        w.Commit();
    }
}

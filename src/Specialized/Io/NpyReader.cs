using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Specialized.Io;

/// <summary>Reads .npy files of dtype '&lt;f8' in C order (what <see cref="NpyWriter"/> writes, and numpy.save of a float64 array).</summary>
public static class NpyReader
{
    /// <summary>Reads the shape and values of <paramref name="path"/>.</summary>
    public static (long[] Shape, double[] Values) ReadFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new SpecializedException($"{path}: not a .npy file");
        int major = bytes[6];
        int headerLength, headerStart;
        if (major == 1) { headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)); headerStart = 10; }
        else { headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)); headerStart = 12; }
        string header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        if (!header.Contains("'descr': '<f8'", StringComparison.Ordinal)) throw new SpecializedException($"{path}: only '<f8' arrays are supported");
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal)) throw new SpecializedException($"{path}: Fortran order is not supported");
        int open = header.IndexOf('(', StringComparison.Ordinal), close = header.IndexOf(')', StringComparison.Ordinal);
        var shape = header[(open + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        int dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart != 8 * count) throw new SpecializedException($"{path}: data size does not match the shape");
        var values = new double[count];
        for (long k = 0; k < count; k++) values[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(dataStart + (int)(8 * k)));
        return (shape, values);
    }
}

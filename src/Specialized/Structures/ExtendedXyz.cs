using System.Text;

namespace Specialized.Structures;

/// <summary>
/// Reads and writes extended XYZ files as written by ASE and QUIP.
/// </summary>
/// <remarks>
/// <para>Each frame is three parts:</para>
/// <list type="number">
/// <item>the atom count N;</item>
/// <item>a comment line of <c>key=value</c> pairs (values may be quoted, <c>cut_off_energy="650 eV"</c>, or
/// bracketed, <c>mu=[1, 2, 3]</c>; a key without a value is a logical true). The keys <c>Lattice</c>
/// (cell vectors as rows, 9 numbers), <c>Properties</c> (the per-atom columns) and <c>pbc</c> (3 logicals)
/// are recognised in any letter case and describe the frame; every other key goes to
/// <see cref="Structure.Info"/> in file order, typed as ASE does (integers, reals, logicals, vectors of
/// them, otherwise a string);</item>
/// <item>N atom lines with the columns of <c>Properties</c> (default <c>species:S:1:pos:R:3</c>):
/// <c>species</c> or <c>Z</c> give the atomic numbers, <c>pos</c> the positions, and every other column
/// group goes to <see cref="Structure.Arrays"/> in file order.</item>
/// </list>
/// <para>A <c>Lattice</c> without <c>pbc</c> is periodic along all axes; <c>pbc="F F F"</c> keeps the cell
/// but makes the frame non-periodic. Malformed input raises <see cref="ExtendedXyzFormatException"/>
/// with the file name and line; the list readers then return nothing.</para>
/// <para>Writing then reading gives back identical structures: positions, numbers, cell, pbc, every
/// info value and array with bit-identical doubles, in the same key order. (An info string that looks
/// like a number is written in the bracketed form <c>["12"]</c> so it stays a string.)</para>
/// </remarks>
public static class ExtendedXyz
{
    /// <summary>Reads every frame of a file. Throws <see cref="ExtendedXyzFormatException"/> on malformed input.</summary>
    public static List<Structure> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = OpenText(path);
        return Read(reader, path);
    }

    /// <summary>
    /// Reads every frame from <paramref name="reader"/>; <paramref name="sourceName"/> names the input in
    /// error messages. Throws <see cref="ExtendedXyzFormatException"/> on malformed input.
    /// </summary>
    public static List<Structure> Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        return [.. new ExtendedXyzReader(reader, sourceName).Frames()];
    }

    /// <summary>
    /// Reads frames one at a time as the sequence is enumerated (for files too large to hold at once).
    /// Frames before a malformed one have already been returned when the
    /// <see cref="ExtendedXyzFormatException"/> is thrown. The caller owns <paramref name="reader"/>.
    /// </summary>
    public static IEnumerable<Structure> ReadLazy(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        return new ExtendedXyzReader(reader, sourceName).Frames();
    }

    /// <summary>
    /// Reads the frames of a file one at a time as the sequence is enumerated; the file stays open until
    /// the enumeration ends or is disposed. See <see cref="ReadLazy(TextReader, string)"/>.
    /// </summary>
    public static IEnumerable<Structure> ReadFileLazy(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Iterate(path);

        static IEnumerable<Structure> Iterate(string path)
        {
            using var reader = OpenText(path);
            foreach (var frame in new ExtendedXyzReader(reader, path).Frames()) yield return frame;
        }
    }

    /// <summary>
    /// Writes <paramref name="frames"/> to <paramref name="writer"/>. Throws <see cref="InvalidParameterException"/>
    /// for a frame the format cannot hold (e.g. an info key named <c>pbc</c>, an array name with a colon,
    /// a string with spaces in an atom column); earlier frames have then been written.
    /// </summary>
    public static void Write(TextWriter writer, IEnumerable<Structure> frames)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(frames);
        var xyz = new ExtendedXyzWriter(writer);
        int index = 0;
        foreach (var frame in frames)
        {
            if (frame is null) throw new InvalidParameterException("frames", $"frame {index} is null");
            xyz.WriteFrame(frame, index++);
        }
    }

    /// <summary>
    /// Writes <paramref name="frames"/> to a file (UTF-8, <c>\n</c> line ends), atomically: the text goes to
    /// a temporary file in the same directory, which then replaces <paramref name="path"/>. On failure the
    /// original file is untouched and the temporary file is removed.
    /// </summary>
    public static void WriteFile(string path, IEnumerable<Structure> frames)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(frames);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent directory", nameof(path));
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                Write(writer, frames);
                writer.Flush();
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

    private static StreamReader OpenText(string path) =>
        new(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
}

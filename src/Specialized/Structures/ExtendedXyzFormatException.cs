namespace Specialized.Structures;

/// <summary>
/// An extended XYZ file is malformed. <see cref="Exception.Message"/> reads
/// <c>"{SourceName}:{LineNumber}: {Reason}"</c>, the usual compiler-style location.
/// </summary>
public sealed class ExtendedXyzFormatException : SpecializedException
{
    /// <summary>Creates the exception for line <paramref name="lineNumber"/> (1-based) of <paramref name="sourceName"/>.</summary>
    public ExtendedXyzFormatException(string sourceName, int lineNumber, string reason)
        : base($"{sourceName}:{lineNumber}: {reason}")
    {
        SourceName = sourceName;
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>File name (or the name the caller gave the reader).</summary>
    public string SourceName { get; }

    /// <summary>1-based line number of the offending line (for a truncated file, the line that is missing).</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }
}

namespace Specialized;

/// <summary>Base class of every error the library raises on purpose (bad input, bad parameters, bad files).</summary>
public class SpecializedException : Exception
{
    /// <summary>Creates the exception with a message that names what was wrong and where.</summary>
    public SpecializedException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the error that caused it.</summary>
    public SpecializedException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A hyperparameter or argument is outside its valid range. The message names the parameter.</summary>
public sealed class InvalidParameterException : SpecializedException
{
    /// <summary>Name of the offending parameter.</summary>
    public string Parameter { get; }

    /// <summary>Creates the exception for <paramref name="parameter"/>.</summary>
    public InvalidParameterException(string parameter, string reason) : base($"invalid {parameter}: {reason}") => Parameter = parameter;
}

/// <summary>A structure cannot be featurized (e.g. a species missing from the species list, overlapping atoms).</summary>
public sealed class InvalidStructureException : SpecializedException
{
    /// <summary>Creates the exception.</summary>
    public InvalidStructureException(string message) : base(message) { }
}

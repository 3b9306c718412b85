namespace Specialized.Models.LinearAlgebra;

/// <summary>Chooses the <see cref="IDenseSolver"/> implementation.</summary>
public static class DenseSolvers
{
    /// <summary>
    /// Environment variable that overrides the automatic choice: <c>managed</c> or <c>openblas</c>
    /// (case-insensitive; empty or <c>auto</c> means automatic).
    /// </summary>
    public const string EnvironmentVariable = "SPECIALIZED_BLAS";

    private static readonly Lazy<IDenseSolver> LazyDefault =
        new(() => Select(Environment.GetEnvironmentVariable(EnvironmentVariable), () => OpenBlasDenseSolver.IsAvailable));

    /// <summary>The managed (MathNet.Numerics) implementation, always available.</summary>
    public static IDenseSolver Managed { get; } = new ManagedDenseSolver();

    /// <summary>
    /// The process-wide default: OpenBLAS when <c>libopenblas.so.0</c> is available, otherwise the managed
    /// solver, unless <see cref="EnvironmentVariable"/> says otherwise (read once, on first use). Asking for
    /// <c>openblas</c> when it is missing, or an unknown value, throws <see cref="InvalidParameterException"/>.
    /// </summary>
    public static IDenseSolver Default => LazyDefault.Value;

    /// <summary>
    /// The implementation called <paramref name="name"/>: <c>managed</c>, or <c>openblas</c> (throws
    /// <see cref="SpecializedException"/> when the library is missing).
    /// </summary>
    public static IDenseSolver Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "managed" => Managed,
            "openblas" => new OpenBlasDenseSolver(),
            _ => throw new InvalidParameterException("solver", $"'{name}' is not one of managed, openblas"),
        };
    }

    /// <summary>Resolves a setting (null, empty or <c>auto</c>: automatic) given whether OpenBLAS is available.</summary>
    internal static IDenseSolver Select(string? setting, Func<bool> openBlasAvailable)
    {
        string value = (setting ?? "").Trim().ToLowerInvariant();
        switch (value)
        {
            case "managed":
                return Managed;
            case "openblas":
                if (!openBlasAvailable())
                    throw new InvalidParameterException(EnvironmentVariable, "asks for openblas but libopenblas.so.0 (with LAPACK) is not available; install libopenblas0 or unset it");
                return new OpenBlasDenseSolver();
            case "" or "auto":
                return openBlasAvailable() ? new OpenBlasDenseSolver() : Managed;
            default:
                throw new InvalidParameterException(EnvironmentVariable, $"'{setting}' is not one of managed, openblas, auto");
        }
    }
}

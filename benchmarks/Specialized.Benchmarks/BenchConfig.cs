using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Specialized.Benchmarks;

/// <summary>
/// Configuration shared by every suite (added to the command-line job, e.g. <c>--job short</c>):
/// atoms/s and µs/atom columns for suites over structures, and the filter that drops cases a kernel
/// provider does not support.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public BenchConfig()
    {
        AddColumn(new AtomRateColumn(perSecond: true), new AtomRateColumn(perSecond: false));
        AddFilter(new SimpleFilter(SupportedCaseFilter.IsSupported));
        // "generated:MoleculesPowerSpectrum" in full (the default truncates parameter values to 20 characters)
        SummaryStyle = SummaryStyle.Default.WithMaxParameterColumnWidth(40);
        // The per-run build compiles the generated kernels too (source generator); 2 minutes (the default) is not
        // always enough on a loaded machine.
        BuildTimeout = TimeSpan.FromMinutes(10);
    }
}

/// <summary>A suite whose cases may be unsupported by some kernel provider.</summary>
public interface ISupportAware
{
    /// <summary>True when the case described by the current parameter values can run.</summary>
    bool IsSupported();
}

/// <summary>A suite whose operation featurises a known number of atoms (for the rate columns).</summary>
public interface IAtomCounted
{
    /// <summary>Atoms processed by one benchmark operation with the current parameter values.</summary>
    int AtomsPerOperation();
}

/// <summary>
/// Drops benchmark cases a kernel provider cannot run: instantiates the suite, assigns the case's
/// parameter values (BenchmarkDotNet does the same in the child process) and asks <see cref="ISupportAware.IsSupported"/>.
/// </summary>
public static class SupportedCaseFilter
{
    /// <summary>True unless the suite says the case is unsupported.</summary>
    public static bool IsSupported(BenchmarkCase benchmarkCase) =>
        Instantiate(benchmarkCase) is not ISupportAware aware || aware.IsSupported();

    /// <summary>A suite instance with the case's parameter values assigned.</summary>
    public static object Instantiate(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        var instance = Activator.CreateInstance(type) ?? throw new InvalidOperationException($"cannot create {type}");
        foreach (var p in benchmarkCase.Parameters.Items)
        {
            var member = type.GetMember(p.Name, BindingFlags.Public | BindingFlags.Instance).FirstOrDefault();
            switch (member)
            {
                case PropertyInfo property: property.SetValue(instance, p.Value); break;
                case FieldInfo field: field.SetValue(instance, p.Value); break;
            }
        }
        return instance;
    }
}

/// <summary>Atoms per second (or µs per atom) from the mean time of one operation.</summary>
public sealed class AtomRateColumn(bool perSecond) : IColumn
{
    /// <inheritdoc/>
    public string Id => perSecond ? "AtomsPerSecond" : "MicrosecondsPerAtom";
    /// <inheritdoc/>
    public string ColumnName => perSecond ? "atoms/s" : "µs/atom";
    /// <inheritdoc/>
    public bool AlwaysShow => true;
    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;
    /// <inheritdoc/>
    public int PriorityInCategory => perSecond ? 0 : 1;
    /// <inheritdoc/>
    public bool IsNumeric => true;
    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;
    /// <inheritdoc/>
    public string Legend => perSecond ? "Atoms featurised per second (atoms per operation / mean)" : "Mean time per atom in microseconds";

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => typeof(IAtomCounted).IsAssignableFrom(c.Descriptor.Type));
    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (SupportedCaseFilter.Instantiate(benchmarkCase) is not IAtomCounted counted) return "-";
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean; // ns per operation
        if (mean is not > 0) return "NA";
        double seconds = mean.Value * 1e-9;
        int atoms = counted.AtomsPerOperation();
        return perSecond
            ? (atoms / seconds).ToString("N0", CultureInfo.InvariantCulture)
            : (seconds * 1e6 / atoms).ToString("F2", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public override string ToString() => ColumnName;
}

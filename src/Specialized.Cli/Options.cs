using System.Globalization;

namespace Specialized.Cli;

/// <summary>A command-line usage error: reported as one line on stderr with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Minimal GNU-style option parsing: positional arguments, <c>--name value</c>, <c>--name=value</c>,
/// <c>-o value</c> and flags. Every option must be consumed; leftovers are usage errors.
/// </summary>
public sealed class Options
{
    private readonly Dictionary<string, string?> _named = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Positional arguments in order.</summary>
    public List<string> Positional { get; } = [];

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> are options that take no value.</summary>
    public static Options Parse(IEnumerable<string> args, IReadOnlySet<string> flags, IReadOnlyDictionary<string, string> aliases)
    {
        var o = new Options();
        var list = args.ToList();
        for (int k = 0; k < list.Count; k++)
        {
            string a = list[k];
            if (aliases.TryGetValue(a, out var full)) a = full;
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                if (a.StartsWith('-') && a.Length > 1 && !double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new UsageException($"unknown option '{a}'");
                o.Positional.Add(a);
                continue;
            }
            string name = a[2..];
            string? value = null;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            else if (!flags.Contains(name))
            {
                if (k + 1 >= list.Count) throw new UsageException($"option --{name} needs a value");
                value = list[++k];
            }
            if (o._named.ContainsKey(name)) throw new UsageException($"option --{name} given twice");
            o._named[name] = value;
        }
        return o;
    }

    /// <summary>True if the flag or option was given.</summary>
    public bool Has(string name)
    {
        _used.Add(name);
        return _named.ContainsKey(name);
    }

    /// <summary>String value or default.</summary>
    public string? String(string name, string? fallback = null)
    {
        _used.Add(name);
        return _named.TryGetValue(name, out var v) ? v : fallback;
    }

    /// <summary>Floating-point value or default; errors name the option.</summary>
    public double Double(string name, double fallback)
    {
        var s = String(name);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw new UsageException($"--{name}: '{s}' is not a number");
        return v;
    }

    /// <summary>Optional floating-point value.</summary>
    public double? DoubleOrNull(string name) => Has(name) ? Double(name, 0) : null;

    /// <summary>Integer value or default; errors name the option.</summary>
    public int Int(string name, int fallback)
    {
        var s = String(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"--{name}: '{s}' is not an integer");
        return v;
    }

    /// <summary>Creates the directory that will hold <paramref name="path"/> (a file or a path prefix), if missing.</summary>
    public static void CreateParent(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }

    /// <summary>Throws if an option was given that the command never asked about.</summary>
    public void RejectUnused()
    {
        foreach (var k in _named.Keys)
            if (!_used.Contains(k)) throw new UsageException($"unknown option --{k}");
    }
}

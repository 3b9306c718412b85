namespace Specialized.Generators.Tests.Support;

/// <summary>
/// Checked-in baselines of generated files: <c>Snapshots/&lt;TestId&gt;/&lt;Hint&gt;.g.cs.txt</c>. A comparison checks the
/// set of files first, then every file line by line and reports the first differing line. With the
/// environment variable <c>ACCEPT_SNAPSHOTS=1</c> it rewrites the baselines instead (atomically) and
/// deletes stale ones; review the diff like any other change.
/// </summary>
public static class Snapshots
{
    public static bool Accepting => Environment.GetEnvironmentVariable("ACCEPT_SNAPSHOTS") == "1";

    /// <summary>tests/Specialized.Generators.Tests/Snapshots in the source tree.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Specialized.sln")))
                    return Path.Combine(dir.FullName, "tests", "Specialized.Generators.Tests", "Snapshots");
            throw new InvalidOperationException("Specialized.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Compares (or, when accepting, writes) the files of one test id.</summary>
    public static void Verify(string testId, IReadOnlyList<(string Hint, string Text)> files)
    {
        string dir = Path.Combine(Root, testId);
        var actual = files.ToDictionary(f => f.Hint + ".txt", f => f.Text, StringComparer.Ordinal);
        if (Accepting)
        {
            Directory.CreateDirectory(dir);
            foreach (var (name, text) in actual)
            {
                string path = Path.Combine(dir, name), temp = path + ".tmp";
                File.WriteAllText(temp, text);
                File.Move(temp, path, overwrite: true);
            }
            foreach (var stale in Directory.GetFiles(dir).Where(p => !actual.ContainsKey(Path.GetFileName(p))))
                File.Delete(stale);
            return;
        }

        Assert.True(Directory.Exists(dir), $"no snapshots for {testId} in {dir}; run the tests with ACCEPT_SNAPSHOTS=1 and review the new files");
        var expectedNames = Directory.GetFiles(dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var actualNames = actual.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var missing = expectedNames.Except(actualNames).ToList();
        var extra = actualNames.Except(expectedNames).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            Assert.Fail($"{testId}: generated file set differs from the snapshots; not generated: [{string.Join(", ", missing)}], not in snapshots: [{string.Join(", ", extra)}] (ACCEPT_SNAPSHOTS=1 rewrites)");

        foreach (var name in expectedNames)
        {
            var expectedLines = File.ReadAllText(Path.Combine(dir, name!)).Replace("\r\n", "\n").Split('\n');
            var actualLines = actual[name!].Split('\n');
            int n = Math.Min(expectedLines.Length, actualLines.Length);
            for (int k = 0; k < n; k++)
                if (!string.Equals(expectedLines[k], actualLines[k], StringComparison.Ordinal))
                    Assert.Fail($"{testId}/{name}: first difference at line {k + 1}\n  snapshot:  {expectedLines[k]}\n  generated: {actualLines[k]}\n(ACCEPT_SNAPSHOTS=1 rewrites)");
            if (expectedLines.Length != actualLines.Length)
                Assert.Fail($"{testId}/{name}: snapshot has {expectedLines.Length} lines, generated {actualLines.Length}; first extra line {n + 1}: "
                    + (expectedLines.Length > n ? "snapshot: " + expectedLines[n] : "generated: " + actualLines[n]));
        }
    }

    /// <summary>Snapshot directories that belong to no test (deleted when accepting).</summary>
    public static IReadOnlyList<string> StaleDirectories(IEnumerable<string> testIds)
    {
        if (!Directory.Exists(Root)) return [];
        var known = new HashSet<string>(testIds, StringComparer.Ordinal);
        var stale = Directory.GetDirectories(Root).Select(Path.GetFileName).Where(d => !known.Contains(d!)).Select(d => d!).ToList();
        if (Accepting)
        {
            foreach (var d in stale) Directory.Delete(Path.Combine(Root, d), recursive: true);
            return [];
        }
        return stale;
    }
}

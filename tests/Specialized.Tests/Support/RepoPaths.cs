namespace Specialized.Tests.Support;

/// <summary>Paths inside the repository (found by walking up to Specialized.sln).</summary>
public static class RepoPaths
{
    public static readonly string Root = Locate();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Specialized.sln"))) return dir.FullName;
        throw new InvalidOperationException("Specialized.sln not found above the test assembly");
    }

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    /// <summary>A fresh temporary directory for one test.</summary>
    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "specialized-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

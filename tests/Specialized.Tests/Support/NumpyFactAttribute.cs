using System.Diagnostics;

namespace Specialized.Tests.Support;

/// <summary>A fact that needs /usr/bin/python3 with numpy (an independent .npy reader); skipped with the reason otherwise.</summary>
public sealed class NumpyFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists("/usr/bin/python3")) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import numpy"]) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public NumpyFactAttribute()
    {
        if (!Available.Value) Skip = "needs /usr/bin/python3 with numpy (apt-get install python3-numpy; .ci/run installs it)";
    }
}

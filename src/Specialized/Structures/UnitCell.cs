namespace Specialized.Structures;

/// <summary>
/// A periodic cell. <see cref="Matrix"/> is row-major with the lattice vectors as rows
/// (H[k] = h_k, the ASE/featomic convention), so a cell shift S = (s1, s2, s3) maps to the
/// Cartesian translation S·H = Σ_k s_k h_k. Periodicity is set per axis (a non-periodic axis
/// may still carry a lattice vector, as in extended XYZ files with <c>pbc="F F F"</c>).
/// </summary>
public sealed class UnitCell
{
    private readonly double[] _h;

    /// <summary>Creates a cell from 9 numbers (lattice vectors as rows) and per-axis periodicity.</summary>
    public UnitCell(ReadOnlySpan<double> lattice, bool periodicA = true, bool periodicB = true, bool periodicC = true)
    {
        if (lattice.Length != 9) throw new InvalidParameterException("lattice", $"expected 9 numbers, got {lattice.Length}");
        foreach (var x in lattice)
            if (!double.IsFinite(x)) throw new InvalidParameterException("lattice", "contains NaN or infinity");
        _h = lattice.ToArray();
        Pbc = [periodicA, periodicB, periodicC];
    }

    /// <summary>Lattice vectors as rows, row-major: H[3k + β] = (h_k)_β.</summary>
    public ReadOnlySpan<double> Matrix => _h;

    /// <summary>Periodicity of each lattice direction.</summary>
    public IReadOnlyList<bool> Pbc { get; }

    /// <summary>True when at least one axis is periodic.</summary>
    public bool AnyPeriodic => Pbc[0] || Pbc[1] || Pbc[2];

    /// <summary>Entry H[k, β] (lattice vector k, Cartesian component β).</summary>
    public double this[int k, int beta] => _h[3 * k + beta];

    /// <summary>Signed volume det H.</summary>
    public double Determinant =>
        _h[0] * (_h[4] * _h[8] - _h[5] * _h[7])
        - _h[1] * (_h[3] * _h[8] - _h[5] * _h[6])
        + _h[2] * (_h[3] * _h[7] - _h[4] * _h[6]);

    /// <summary>|det H|.</summary>
    public double Volume => Math.Abs(Determinant);

    /// <summary>
    /// Distances between opposite faces, d_k = V / |h_{k+1} × h_{k+2}|: the largest sphere radius
    /// that fits in the cell along direction k is d_k / 2.
    /// </summary>
    public (double A, double B, double C) FaceDistances()
    {
        double v = Volume;
        return (v / CrossNorm(1, 2), v / CrossNorm(2, 0), v / CrossNorm(0, 1));
    }

    private double CrossNorm(int p, int q)
    {
        double x = _h[3 * p + 1] * _h[3 * q + 2] - _h[3 * p + 2] * _h[3 * q + 1];
        double y = _h[3 * p + 2] * _h[3 * q + 0] - _h[3 * p + 0] * _h[3 * q + 2];
        double z = _h[3 * p + 0] * _h[3 * q + 1] - _h[3 * p + 1] * _h[3 * q + 0];
        return Math.Sqrt(x * x + y * y + z * z);
    }

    /// <summary>Inverse of H (row-major), so fractional coordinates are f = r · H⁻¹.</summary>
    public double[] Inverse()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-12) throw new InvalidParameterException("lattice", "cell is singular (zero volume)");
        var h = _h;
        var inv = new double[9];
        inv[0] = (h[4] * h[8] - h[5] * h[7]) / det;
        inv[1] = (h[2] * h[7] - h[1] * h[8]) / det;
        inv[2] = (h[1] * h[5] - h[2] * h[4]) / det;
        inv[3] = (h[5] * h[6] - h[3] * h[8]) / det;
        inv[4] = (h[0] * h[8] - h[2] * h[6]) / det;
        inv[5] = (h[2] * h[3] - h[0] * h[5]) / det;
        inv[6] = (h[3] * h[7] - h[4] * h[6]) / det;
        inv[7] = (h[1] * h[6] - h[0] * h[7]) / det;
        inv[8] = (h[0] * h[4] - h[1] * h[3]) / det;
        return inv;
    }

    /// <summary>A cubic cell of edge <paramref name="a"/>, periodic in all directions.</summary>
    public static UnitCell Cubic(double a) => new([a, 0, 0, 0, a, 0, 0, 0, a]);
}

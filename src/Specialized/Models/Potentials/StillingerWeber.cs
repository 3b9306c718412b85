using Specialized.Structures;

namespace Specialized.Models.Potentials;

/// <summary>
/// The Stillinger–Weber potential (F. H. Stillinger and T. A. Weber, Phys. Rev. B 31, 5262 (1985)),
/// with energy, forces, virial and stress for periodic cells of any shape and for isolated structures.
/// </summary>
/// <remarks>
/// <para>With r_c = aσ and d_ij = r_j − r_i (over periodic images),</para>
/// <code>
/// E  = Σ_{i&lt;j} φ2(r_ij) + Σ_i Σ_{j&lt;k; j,k ≠ i} φ3(d_ij, d_ik)
/// φ2(r)          = A ε [B (σ/r)^p − (σ/r)^q] exp(σ / (r − aσ))                          (r &lt; aσ, else 0)
/// φ3(d_ij, d_ik) = λ ε (cos θ_jik − cos θ₀)² exp(γσ / (r_ij − aσ)) exp(γσ / (r_ik − aσ))   (both r &lt; aσ)
/// cos θ_jik = d_ij · d_ik / (r_ij r_ik)
/// </code>
/// <para>The three-body sum runs over each central atom i and every unordered pair of distinct
/// neighbour entries (j, S_j) ≠ (k, S_k), which may be two images of the same atom in a small cell.
/// Cells smaller than twice the cutoff are handled by including every image within r_c.</para>
/// <para>See <see cref="PotentialResult"/> for the force, virial and stress conventions.</para>
/// </remarks>
public sealed class StillingerWeber
{
    // Parameters of the model (energies in eV, lengths in Å).
    private readonly double _epsilon, _sigma, _a, _lambda, _gamma, _bigA, _bigB, _p, _q, _cosTheta0;
    private readonly int _atomicNumber;

    private StillingerWeber(int atomicNumber, double epsilon, double sigma, double a, double lambda, double gamma,
        double bigA, double bigB, double p, double q, double cosTheta0)
    {
        _atomicNumber = atomicNumber;
        _epsilon = epsilon;
        _sigma = sigma;
        _a = a;
        _lambda = lambda;
        _gamma = gamma;
        _bigA = bigA;
        _bigB = bigB;
        _p = p;
        _q = q;
        _cosTheta0 = cosTheta0;
    }

    /// <summary>
    /// The published parameters for silicon: ε = 2.1683 eV, σ = 2.0951 Å, a = 1.80, λ = 21.0, γ = 1.20,
    /// A = 7.049556277, B = 0.6022245584, p = 4, q = 0, cos θ₀ = −1/3 (cutoff aσ = 3.77118 Å).
    /// Diamond silicon has its minimum at a = 5.431 Å with −2ε = −4.3366 eV per atom.
    /// </summary>
    public static StillingerWeber Silicon { get; } =
        new(14, 2.1683, 2.0951, 1.80, 21.0, 1.20, 7.049556277, 0.6022245584, 4, 0, -1.0 / 3.0);

    /// <summary>Interaction range aσ in Å (both terms vanish smoothly there).</summary>
    public double Cutoff => _a * _sigma;

    /// <summary>Atomic number of the only element the parameterisation covers.</summary>
    public int AtomicNumber => _atomicNumber;

    /// <summary>
    /// Energy, forces, virial and (for cells periodic along all axes) stress of <paramref name="structure"/>.
    /// Throws <see cref="InvalidStructureException"/> for an atom of another element, for two atoms at
    /// the same place, or for a singular periodic cell.
    /// </summary>
    public PotentialResult Compute(Structure structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var numbers = structure.AtomicNumbers;
        for (int i = 0; i < numbers.Length; i++)
        {
            if (numbers[i] != _atomicNumber)
                throw new InvalidStructureException(
                    $"atom {i} is {Elements.Symbol(numbers[i])} (Z = {numbers[i]}); the Stillinger–Weber potential here is parameterised for {Elements.Symbol(_atomicNumber)} only");
        }

        int n = structure.AtomCount;
        double rc = Cutoff;
        var list = ImageNeighbourList.Build(structure, rc);
        var d = list.Vectors;
        var dist = list.Distance;
        int entries = list.Neighbour.Length;

        // Radial factor of the three-body term for every entry: t(r) = exp(γσ/(r − aσ)), t'(r) = dt/dr.
        var t = new double[entries];
        var dt = new double[entries];
        for (int e = 0; e < entries; e++)
        {
            if (dist[e] < 1e-8)
            {
                int i = Array.FindLastIndex(list.Offsets, o => o <= e);
                throw new InvalidStructureException($"atoms {i} and {list.Neighbour[e]} overlap (distance {dist[e]:G3} Å)");
            }
            double u = dist[e] - rc;
            double x = _gamma * _sigma / u;
            if (x < -700) continue; // exp underflows: t = t' = 0 (the term vanishes at the cutoff)
            t[e] = Math.Exp(x);
            dt[e] = -t[e] * x / u;
        }

        double energy = 0;
        var forces = new double[3 * n];
        Span<double> dg = stackalloc double[9]; // Σ d_a ∂E/∂d_b over all displacement vectors; W = −dg
        double lambdaEps = _lambda * _epsilon;

        for (int i = 0; i < n; i++)
        {
            int begin = list.Offsets[i], end = list.Offsets[i + 1];

            // Two-body: every pair appears as i → j and j → i, so each entry carries half of φ2.
            for (int e = begin; e < end; e++)
            {
                var (phi, dphi) = TwoBody(dist[e]);
                if (phi == 0 && dphi == 0) continue;
                energy += 0.5 * phi;
                double c = 0.5 * dphi / dist[e]; // ∂(φ2/2)/∂d = (φ2'/2) d/r
                Accumulate(forces, dg, i, list.Neighbour[e], d, e, c * d[3 * e], c * d[3 * e + 1], c * d[3 * e + 2]);
            }

            // Three-body over unordered pairs of entries (j, k) of the central atom i:
            //   h = λε δ² t1 t2 with δ = cos θ − cos θ₀, cos θ = u·v/(r1 r2), u = d_ij, v = d_ik,
            //   ∂h/∂u = λε [2δ t1 t2 (v/(r1 r2) − cos θ u/r1²) + δ² t1' t2 u/r1], ∂h/∂v likewise.
            for (int e1 = begin; e1 < end; e1++)
            {
                if (t[e1] == 0) continue;
                double ux = d[3 * e1], uy = d[3 * e1 + 1], uz = d[3 * e1 + 2], r1 = dist[e1];
                for (int e2 = e1 + 1; e2 < end; e2++)
                {
                    if (t[e2] == 0) continue;
                    double vx = d[3 * e2], vy = d[3 * e2 + 1], vz = d[3 * e2 + 2], r2 = dist[e2];
                    double inv12 = 1 / (r1 * r2);
                    double cos = (ux * vx + uy * vy + uz * vz) * inv12;
                    double delta = cos - _cosTheta0;
                    double t12 = t[e1] * t[e2];
                    energy += lambdaEps * delta * delta * t12;

                    double angular = lambdaEps * 2 * delta * t12; // ∂h/∂cos θ
                    double radial1 = lambdaEps * delta * delta * dt[e1] * t[e2] / r1; // (∂h/∂r1)/r1
                    double radial2 = lambdaEps * delta * delta * t[e1] * dt[e2] / r2;
                    double cu = cos / (r1 * r1), cv = cos / (r2 * r2);
                    double gux = angular * (vx * inv12 - cu * ux) + radial1 * ux;
                    double guy = angular * (vy * inv12 - cu * uy) + radial1 * uy;
                    double guz = angular * (vz * inv12 - cu * uz) + radial1 * uz;
                    double gvx = angular * (ux * inv12 - cv * vx) + radial2 * vx;
                    double gvy = angular * (uy * inv12 - cv * vy) + radial2 * vy;
                    double gvz = angular * (uz * inv12 - cv * vz) + radial2 * vz;
                    Accumulate(forces, dg, i, list.Neighbour[e1], d, e1, gux, guy, guz);
                    Accumulate(forces, dg, i, list.Neighbour[e2], d, e2, gvx, gvy, gvz);
                }
            }
        }

        var virial = new double[9];
        for (int k = 0; k < 9; k++) virial[k] = -dg[k];
        double[]? stress = null;
        if (structure.Cell is { } cell && cell.Pbc[0] && cell.Pbc[1] && cell.Pbc[2])
        {
            double volume = cell.Volume;
            stress = new double[9];
            for (int k = 0; k < 9; k++) stress[k] = -virial[k] / volume;
        }
        return new PotentialResult(energy, forces, virial, stress);
    }

    /// <summary>
    /// Adds a term's gradient g = ∂E/∂d with respect to the displacement d = r_j + S·H − r_i of entry
    /// <paramref name="e"/>: F_i += g, F_j −= g, and Σ d ⊗ g += d ⊗ g.
    /// </summary>
    private static void Accumulate(double[] forces, Span<double> dg, int i, int j, double[] d, int e, double gx, double gy, double gz)
    {
        forces[3 * i] += gx;
        forces[3 * i + 1] += gy;
        forces[3 * i + 2] += gz;
        forces[3 * j] -= gx;
        forces[3 * j + 1] -= gy;
        forces[3 * j + 2] -= gz;
        for (int a = 0; a < 3; a++)
        {
            double da = d[3 * e + a];
            dg[3 * a] += da * gx;
            dg[3 * a + 1] += da * gy;
            dg[3 * a + 2] += da * gz;
        }
    }

    /// <summary>
    /// φ2(r) = Aε [B s^p − s^q] exp(σ/(r − aσ)) with s = σ/r, and its derivative
    /// φ2'(r) = Aε exp(σ/(r − aσ)) { (q s^q − p B s^p)/r − [B s^p − s^q] σ/(r − aσ)² }; zero beyond aσ.
    /// </summary>
    internal (double Value, double Derivative) TwoBody(double r)
    {
        double u = r - Cutoff;
        if (u >= 0) return (0, 0);
        double x = _sigma / u;
        if (x < -700) return (0, 0); // exp underflows: the pair term has vanished
        double s = _sigma / r;
        double sp = Math.Pow(s, _p), sq = Math.Pow(s, _q);
        double ex = _bigA * _epsilon * Math.Exp(x);
        double bracket = _bigB * sp - sq;
        double value = ex * bracket;
        double derivative = ex * ((_q * sq - _p * _bigB * sp) / r - bracket * x / u);
        return (value, derivative);
    }
}

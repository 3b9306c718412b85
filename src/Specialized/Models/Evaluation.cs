using Specialized.Structures;

namespace Specialized.Models;

/// <summary>Errors of one target over a data set, with the paired values for parity plots.</summary>
public sealed class TargetErrors
{
    internal TargetErrors(string name, string unit, List<double> reference, List<double> predicted)
    {
        Name = name;
        Unit = unit;
        Reference = [.. reference];
        Predicted = [.. predicted];
        double sq = 0, abs = 0, mean = 0;
        for (int k = 0; k < Reference.Length; k++)
        {
            double e = Predicted[k] - Reference[k];
            sq += e * e;
            abs += Math.Abs(e);
            mean += Reference[k];
        }
        int n = Math.Max(Reference.Length, 1);
        mean /= n;
        double variance = 0;
        foreach (var r in Reference) variance += (r - mean) * (r - mean);
        Rmse = Math.Sqrt(sq / n);
        Mae = abs / n;
        ReferenceStd = Math.Sqrt(variance / n);
    }

    /// <summary>Target name (e.g. <c>energy/atom</c>, <c>forces</c>).</summary>
    public string Name { get; }
    /// <summary>Unit of the values.</summary>
    public string Unit { get; }
    /// <summary>Reference values (one per structure or component).</summary>
    public double[] Reference { get; }
    /// <summary>Predicted values, paired with <see cref="Reference"/>.</summary>
    public double[] Predicted { get; }
    /// <summary>Number of values.</summary>
    public int Count => Reference.Length;
    /// <summary>Root-mean-square error.</summary>
    public double Rmse { get; }
    /// <summary>Mean absolute error.</summary>
    public double Mae { get; }
    /// <summary>Standard deviation of the reference values (the RMSE of predicting their mean).</summary>
    public double ReferenceStd { get; }
}

/// <summary>
/// Compares a model's predictions with the reference values stored in structures. The keys default to
/// those the model was trained with (metadata <c>energy_key</c>, <c>forces_key</c>, <c>virial_key</c>,
/// <c>stress_key</c>, <c>target_key</c>); targets missing from every structure are skipped.
/// </summary>
public static class Evaluation
{
    /// <summary>
    /// Evaluates <paramref name="model"/> on <paramref name="structures"/>: potentials give <c>energy</c>,
    /// <c>energy/atom</c>, <c>forces</c> (components) and, for periodic data with a virial or stress
    /// reference, <c>virial/atom</c> or <c>stress</c>; tensor models give <c>dipole</c> or
    /// <c>polarizability</c> (Cartesian components).
    /// </summary>
    public static List<TargetErrors> Evaluate(Model model, IReadOnlyList<Structure> structures, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(structures);
        var predictions = model.Predict(structures, threads);
        var md = model.Metadata;
        string energyUnit = md.Get("energy_unit") ?? "energy units";
        var results = new List<TargetErrors>();
        if (model.Kind == ModelKind.Potential)
        {
            string energyKey = md.Get("energy_key") ?? "energy";
            string? forcesKey = md.Get("forces_key");
            if (forcesKey is null || !Targets.AllHaveArray(structures, forcesKey))
                forcesKey = Targets.AllHaveArray(structures, "forces") ? "forces" : Targets.AllHaveArray(structures, "force") ? "force" : null;
            string? virialKey = md.Get("virial_key");
            string? stressKey = md.Get("stress_key");
            if (Targets.AllHaveInfo(structures, energyKey))
            {
                List<double> re = [], pe = [], ra = [], pa = [];
                for (int k = 0; k < structures.Count; k++)
                {
                    double r = Targets.Scalar(structures[k], energyKey, k), p = predictions[k].Energy!.Value;
                    int n = Math.Max(structures[k].AtomCount, 1);
                    re.Add(r); pe.Add(p); ra.Add(r / n); pa.Add(p / n);
                }
                results.Add(new TargetErrors("energy", energyUnit, re, pe));
                results.Add(new TargetErrors("energy/atom", energyUnit + "/atom", ra, pa));
            }
            if (forcesKey is not null)
            {
                List<double> r = [], p = [];
                for (int k = 0; k < structures.Count; k++)
                {
                    r.AddRange(Targets.PerAtomVectors(structures[k], forcesKey, k));
                    p.AddRange(predictions[k].Forces!);
                }
                results.Add(new TargetErrors("forces", energyUnit + "/Å", r, p));
            }
            var periodic = Enumerable.Range(0, structures.Count).Where(k => predictions[k].Virial is not null).ToList();
            if (virialKey is null && stressKey is null && periodic.Count > 0)
            {
                if (periodic.All(k => structures[k].Info.ContainsKey("virial"))) virialKey = "virial";
                else if (periodic.All(k => structures[k].Info.ContainsKey("stress"))) stressKey = "stress";
            }
            if (periodic.Count > 0 && virialKey is not null && periodic.All(k => structures[k].Info.ContainsKey(virialKey)))
            {
                List<double> r = [], p = [];
                foreach (int k in periodic)
                {
                    int n = Math.Max(structures[k].AtomCount, 1);
                    r.AddRange(Targets.Vector(structures[k], virialKey, 9, k).Select(v => v / n));
                    p.AddRange(predictions[k].Virial!.Select(v => v / n));
                }
                results.Add(new TargetErrors("virial/atom", energyUnit + "/atom", r, p));
            }
            else if (periodic.Count > 0 && stressKey is not null && periodic.All(k => structures[k].Info.ContainsKey(stressKey) && predictions[k].Stress is not null))
            {
                List<double> r = [], p = [];
                foreach (int k in periodic)
                {
                    r.AddRange(Targets.Vector(structures[k], stressKey, 9, k));
                    p.AddRange(predictions[k].Stress!);
                }
                results.Add(new TargetErrors("stress", energyUnit + "/Å³", r, p));
            }
        }
        else
        {
            bool dipole = model.Kind == ModelKind.Dipole;
            string key = md.Get("target_key") ?? (dipole ? "mu" : "alpha");
            string unit = md.Get("tensor_unit") ?? "target units";
            if (Targets.AllHaveInfo(structures, key))
            {
                List<double> r = [], p = [];
                for (int k = 0; k < structures.Count; k++)
                {
                    r.AddRange(Targets.Vector(structures[k], key, dipole ? 3 : 9, k));
                    p.AddRange(dipole ? predictions[k].Dipole! : predictions[k].Polarizability!);
                }
                results.Add(new TargetErrors(dipole ? "dipole" : "polarizability", unit, r, p));
            }
        }
        return results;
    }
}

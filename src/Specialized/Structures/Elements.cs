namespace Specialized.Structures;

/// <summary>Chemical element symbols ↔ atomic numbers (1 … 118).</summary>
public static class Elements
{
    /// <summary>Largest supported atomic number.</summary>
    public const int MaxAtomicNumber = 118;

    private static readonly string[] Symbols =
    [
        "X",
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
        "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
        "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe",
        "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
        "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn",
        "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr",
        "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
    ];

    private static readonly Dictionary<string, int> BySymbol = BuildLookup();

    private static Dictionary<string, int> BuildLookup()
    {
        var d = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int z = 1; z < Symbols.Length; z++) d[Symbols[z]] = z;
        return d;
    }

    /// <summary>Symbol of atomic number <paramref name="z"/>.</summary>
    public static string Symbol(int z) =>
        z >= 1 && z <= MaxAtomicNumber ? Symbols[z] : throw new InvalidParameterException("atomic number", $"{z} is not an element");

    /// <summary>Atomic number of a symbol (case-insensitive), or false when unknown.</summary>
    public static bool TryGetAtomicNumber(string symbol, out int z) => BySymbol.TryGetValue(symbol, out z);
}

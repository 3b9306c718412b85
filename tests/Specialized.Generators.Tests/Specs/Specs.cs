using Specialized.Kernels;

// The specs the equivalence, allocation and performance-sensitive tests run. They are compiled by the
// generator exactly as in a user project (the test project references it as an analyzer).
namespace Specialized.Generators.Tests.Specs;

/// <summary>ν=1: spherical expansion, radial spectrum and the l = 2 block, two species.</summary>
[Representation(LMax = 4, NMax = 6, BodyOrder = 1, SpeciesCount = 2, SphericalExpansion = true)]
[EquivariantBlock(2)]
public partial struct DensityL4;

/// <summary>ν=1 at l_max = 8, three species, spherical expansion only.</summary>
[Representation(LMax = 8, NMax = 4, BodyOrder = 1, SpeciesCount = 3, SphericalExpansion = true, Invariants = false)]
public partial struct DensityL8;

/// <summary>ν=2 silicon power spectrum (the benchmark spec), species fixed by the spec.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 2, Species = new[] { 14 })]
public partial struct SiliconSoap;

/// <summary>ν=2 power spectrum of three species plus the density itself.</summary>
[Representation(LMax = 4, NMax = 5, BodyOrder = 2, Species = new[] { 1, 6, 8 }, SphericalExpansion = true)]
public partial struct OrganicSoap;

/// <summary>ν=2 λ-SOAP blocks only (true and pseudo tensors, λ up to 2 l_max), two species.</summary>
[Representation(LMax = 3, NMax = 4, BodyOrder = 2, SpeciesCount = 2, Invariants = false)]
[EquivariantBlock(0, +1)]
[EquivariantBlock(1, +1)]
[EquivariantBlock(1, -1)]
[EquivariantBlock(2, +1)]
[EquivariantBlock(3, -1)]
[EquivariantBlock(6, +1)]
public partial struct WaterLambdaSoap;

/// <summary>ν=2 at l_max = 8: power spectrum and two λ-SOAP blocks, two species.</summary>
[Representation(LMax = 8, NMax = 3, BodyOrder = 2, SpeciesCount = 2)]
[EquivariantBlock(1, +1)]
[EquivariantBlock(3, -1)]
public partial struct DeepSoap;

/// <summary>The smallest interesting spec (snapshot-sized): ν=2, two species, one block.</summary>
[Representation(LMax = 2, NMax = 3, BodyOrder = 2, SpeciesCount = 2)]
[EquivariantBlock(1, +1)]
public partial struct Tiny;

/// <summary>ν=2 power spectrum only, two species, N = 8 (the SIMD fast paths of the fused position gradients, cross-species blocks).</summary>
[Representation(LMax = 3, NMax = 8, BodyOrder = 2, SpeciesCount = 2)]
public partial struct PairSoap;

/// <summary>ν=2 power spectrum only, three species, N = 5 (the general-N paths of the fused position gradients).</summary>
[Representation(LMax = 2, NMax = 5, BodyOrder = 2, SpeciesCount = 3)]
public partial struct OddSoap;

/// <summary>NICE ν=3, one channel per species (species fixed by the spec), λ_max = 2.</summary>
[Representation(LMax = 2, NMax = 3, BodyOrder = 3, Species = new[] { 1, 8 }, MaxLambda = 2)]
public partial struct NiceNu3;

/// <summary>NICE ν=4, one channel per species, three species, λ_max = l_max.</summary>
[Representation(LMax = 2, NMax = 3, BodyOrder = 4, SpeciesCount = 3)]
public partial struct NiceNu4;

/// <summary>Tensor-reduced rank K = 2, ν=3, three species.</summary>
[Representation(LMax = 2, NMax = 3, BodyOrder = 3, SpeciesCount = 3, SpeciesRank = 2)]
public partial struct ReducedK2;

/// <summary>Tensor-reduced rank K = 4, ν=4, three species, λ_max = 3 above l_max.</summary>
[Representation(LMax = 2, NMax = 3, BodyOrder = 4, SpeciesCount = 3, SpeciesRank = 4, MaxLambda = 3)]
public partial struct ReducedK4;

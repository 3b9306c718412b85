using Specialized.Kernels;

// Generated kernels the CLI ships (issue 6). The spec fixes shapes only: l_max, n_max, body order, the species list
// and the outputs. Cutoff, cutoff function and width, density width, radial scaling, centre weight and spline accuracy
// are runtime parameters of Descriptor<TRep>, so one spec serves every value of them (GTO basis only: the ragged
// Laplacian-eigenstate basis runs on the generic path). The generated code does not grow with the number of species
// (species are loop bounds), so the 10- and 14-species benchmark specs cost no more code than si216's.
namespace Specialized.Cli.Shipped;

/// <summary>si216 benchmark row: SOAP power spectrum, l_max 6, n_max 8, Si.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 2, Species = new[] { 14 })]
internal partial struct SiPowerSpectrum;

/// <summary>water192 benchmark row: SOAP power spectrum, l_max 6, n_max 8, H and O.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 2, Species = new[] { 1, 8 })]
internal partial struct WaterPowerSpectrum;

/// <summary>hea256 benchmark row: SOAP power spectrum, l_max 6, n_max 8, Ti V Cr Mn Fe Co Ni Cu Zr Nb.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 2, Species = new[] { 22, 23, 24, 25, 26, 27, 28, 29, 40, 41 })]
internal partial struct HeaPowerSpectrum;

/// <summary>molecules.xyz benchmark row: SOAP power spectrum, l_max 6, n_max 8, H Li Be B C N O F Na Al Si P S Cl.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 2, Species = new[] { 1, 3, 4, 5, 6, 7, 8, 9, 11, 13, 14, 15, 16, 17 })]
internal partial struct MoleculesPowerSpectrum;

/// <summary>si216 spherical expansion (ν=1 coefficients), l_max 6, n_max 8, Si.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 1, Species = new[] { 14 }, SphericalExpansion = true, Invariants = false)]
internal partial struct SiSphericalExpansion;

/// <summary>water192 spherical expansion (ν=1 coefficients), l_max 6, n_max 8, H and O.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 1, Species = new[] { 1, 8 }, SphericalExpansion = true, Invariants = false)]
internal partial struct WaterSphericalExpansion;

/// <summary>si216 λ-SOAP block λ = 1, σ = +1, l_max 6, n_max 8, Si.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 2, Species = new[] { 14 }, Invariants = false)]
[EquivariantBlock(1, +1)]
internal partial struct SiLambdaSoap;

/// <summary>water192 λ-SOAP block λ = 1, σ = +1, l_max 6, n_max 8, H and O.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 2, Species = new[] { 1, 8 }, Invariants = false)]
[EquivariantBlock(1, +1)]
internal partial struct WaterLambdaSoap;

/// <summary>Preset for organic molecules: SOAP power spectrum, l_max 4, n_max 6, H C N O.</summary>
[Representation(LMax = 4, NMax = 6, BodyOrder = 2, Species = new[] { 1, 6, 7, 8 })]
internal partial struct HcnoPowerSpectrum;

/// <summary>Preset for dipoles of organic molecules: λ-SOAP block λ = 1, σ = +1, l_max 4, n_max 6, H C N O.</summary>
[Representation(LMax = 4, NMax = 6, BodyOrder = 2, Species = new[] { 1, 6, 7, 8 }, Invariants = false)]
[EquivariantBlock(1, +1)]
internal partial struct HcnoLambdaSoap;

// Generated NICE / tensor-reduced kernels. The spec fixes l_max, n_max, body order ν, λ_max (the CLI's --max-lambda,
// default l_max), the species list and the species rank K; expansion/keep widths, purification, the embedding and the
// fitted contractions are run-time data of the NiceModel, so one spec serves every fit with those shapes.

/// <summary>molecules.xyz NICE benchmark row: ν = 3, l_max 5, n_max 5, λ_max 5, H Li Be B C N O F Na Al Si P S Cl.</summary>
[Representation(LMax = 5, NMax = 5, BodyOrder = 3, Species = new[] { 1, 3, 4, 5, 6, 7, 8, 9, 11, 13, 14, 15, 16, 17 }, MaxLambda = 5)]
internal partial struct MoleculesNice3;

/// <summary>molecules.xyz NICE benchmark row: ν = 4, l_max 5, n_max 5, λ_max 5, H Li Be B C N O F Na Al Si P S Cl.</summary>
[Representation(LMax = 5, NMax = 5, BodyOrder = 4, Species = new[] { 1, 3, 4, 5, 6, 7, 8, 9, 11, 13, 14, 15, 16, 17 }, MaxLambda = 5)]
internal partial struct MoleculesNice4;

/// <summary>hea256 tensor-reduced benchmark row: ν = 3, K = 8, l_max 6, n_max 8, λ_max 6, Ti V Cr Mn Fe Co Ni Cu Zr Nb.</summary>
[Representation(LMax = 6, NMax = 8, BodyOrder = 3, Species = new[] { 22, 23, 24, 25, 26, 27, 28, 29, 40, 41 }, SpeciesRank = 8, MaxLambda = 6)]
internal partial struct HeaTensorReduced3;

/// <summary>Preset for organic molecules: NICE ν = 4, l_max 4, n_max 6, λ_max 4, H C N O.</summary>
[Representation(LMax = 4, NMax = 6, BodyOrder = 4, Species = new[] { 1, 6, 7, 8 }, MaxLambda = 4)]
internal partial struct HcnoNice4;

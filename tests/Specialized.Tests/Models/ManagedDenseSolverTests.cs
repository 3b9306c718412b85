using Specialized.Models.LinearAlgebra;

namespace Specialized.Tests.Models;

public class ManagedDenseSolverTests
{
    private static readonly IDenseSolver Solver = new ManagedDenseSolver();

    [Fact] public void SolvesSpdSystems() => DenseSolverChecks.SolvesSpdSystems(Solver);
    [Fact] public void RejectsMatricesThatAreNotPositiveDefinite() => DenseSolverChecks.RejectsMatricesThatAreNotPositiveDefinite(Solver);
    [Fact] public void SolvesFullRankLeastSquares() => DenseSolverChecks.SolvesFullRankLeastSquares(Solver);
    [Fact] public void GivesTheMinimumNormSolutionWhenRankDeficient() => DenseSolverChecks.GivesTheMinimumNormSolutionWhenRankDeficient(Solver);
    [Fact] public void DecomposesSymmetricMatrices() => DenseSolverChecks.DecomposesSymmetricMatrices(Solver);
    [Fact] public void GramMatchesNaiveLoops() => DenseSolverChecks.GramMatchesNaiveLoops(Solver);
    [Fact] public void MultiplyMatchesNaiveLoops() => DenseSolverChecks.MultiplyMatchesNaiveLoops(Solver);
    [Fact] public void RejectsWrongShapes() => DenseSolverChecks.RejectsWrongShapes(Solver);

    [Fact]
    public void IsNamedManaged() => Assert.Equal("managed", Solver.Name);
}

using System.Runtime.ExceptionServices;

namespace Specialized.Models;

/// <summary><see cref="Parallel"/>.For that rethrows the first error unwrapped (not as an AggregateException).</summary>
internal static class Parallelism
{
    /// <summary>Runs <paramref name="body"/> for <paramref name="from"/> ≤ k &lt; <paramref name="to"/>, one state per thread.</summary>
    public static void For<TState>(int from, int to, ParallelOptions options, Func<TState> init, Func<int, ParallelLoopState, TState, TState> body, Action<TState> done)
    {
        try
        {
            Parallel.For(from, to, options, init, body, done);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }

    /// <summary>Runs <paramref name="body"/> for 0 ≤ k &lt; count on up to <paramref name="threads"/> threads.</summary>
    public static void For(int count, int threads, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}

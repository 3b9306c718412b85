using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Specialized.Kernels;

/// <summary>
/// A fixed set of background threads that run the chunks of one job: chunk 0 on the calling thread,
/// chunk t on worker t. Signalling uses pre-allocated events, so a run allocates nothing (unlike
/// <see cref="Parallel"/>, whose task objects are allocated per call). Between runs the workers hold no
/// reference to the job's owner; <see cref="Dispose"/> (or the owner's finalizer) ends them.
/// <para>
/// After a chunk a worker stays awake for <see cref="SpinMicroseconds"/> (spinning, yielding its core to other
/// runnable threads) before it blocks: a run that follows within that window (the next phase of the same call, or the
/// next call of a loop) starts at once, without the kernel wake-up of a blocked thread (tens of µs, as much as a whole
/// small structure's chunk).
/// </para>
/// </summary>
internal sealed class ChunkRunner : IDisposable
{
    private readonly ManualResetEventSlim[] _start;
    private readonly CountdownEvent _done = new(1);
    private Action<int>? _job;
    private ExceptionDispatchInfo? _error;
    private volatile bool _disposed;

    /// <summary>Starts <paramref name="threads"/> − 1 workers (the caller is the first thread).</summary>
    public ChunkRunner(int threads)
    {
        _start = new ManualResetEventSlim[threads - 1];
        for (int t = 0; t < _start.Length; t++)
        {
            _start[t] = new ManualResetEventSlim(false);
            var thread = new Thread(Loop) { IsBackground = true, Name = "Specialized descriptor worker " + (t + 1) };
            thread.Start(t + 1);
        }
    }

    /// <summary>Runs <paramref name="job"/>(0 … count − 1), chunk 0 on the calling thread; rethrows the first failure.</summary>
    public void Run(Action<int> job, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count < 1 || count > _start.Length + 1) throw new ArgumentOutOfRangeException(nameof(count));
        if (count == 1)
        {
            job(0);
            return;
        }
        _job = job;
        _error = null;
        _done.Reset(count - 1);
        for (int t = 1; t < count; t++) _start[t - 1].Set();
        try
        {
            job(0);
        }
        finally
        {
            // Spin (yielding the core) rather than block: a blocking wait allocates on this thread, and the
            // chunks are balanced, so the wait is short.
            var spin = new SpinWait();
            while (!_done.IsSet) spin.SpinOnce(sleep1Threshold: -1);
            _job = null;
        }
        _error?.Throw();
    }

    /// <summary>How long (µs) an idle worker spins for the next run before blocking.</summary>
    internal const int SpinMicroseconds = 200;

    private static readonly long SpinTicks = Math.Max(1, SpinMicroseconds * Stopwatch.Frequency / 1_000_000);

    private void Loop(object? state)
    {
        int t = (int)state!;
        var start = _start[t - 1];
        while (true)
        {
            if (!start.IsSet)
            {
                long until = Stopwatch.GetTimestamp() + SpinTicks;
                var spin = new SpinWait();
                while (!start.IsSet && Stopwatch.GetTimestamp() < until) spin.SpinOnce(sleep1Threshold: -1);
            }
            start.Wait();
            start.Reset();
            if (_disposed) return;
            try
            {
                _job!(t);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                _done.Signal();
            }
        }
    }

    /// <summary>Ends the workers (they finish a running chunk first).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var s in _start) s.Set();
    }
}

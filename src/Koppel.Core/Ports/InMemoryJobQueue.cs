namespace Koppel.Core.Ports;

/// <summary>
/// Jobs of one kind kept in this process, in order: for tests and a host without storage (a storage queue replaces it).
/// Nothing takes them off; a test reads <see cref="Jobs"/>.
/// </summary>
public abstract class InMemoryJobQueue<TJob>
    where TJob : class
{
    private readonly Lock _lock = new();
    private readonly List<TJob> _jobs = [];

    public IReadOnlyList<TJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                return [.. _jobs];
            }
        }
    }

    public Task EnqueueAsync(TJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_lock)
        {
            _jobs.Add(job);
        }

        return Task.CompletedTask;
    }
}

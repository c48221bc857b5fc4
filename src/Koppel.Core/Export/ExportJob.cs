namespace Koppel.Core.Export;

/// <summary>
/// The queued part of a manual export: which run, which documents (the ids, or a receipt range), to which connections.
/// Everything the job needs travels in the message; where it got to is stored on the run (<c>JobCursor</c>), so a job
/// picked up again after a crash, or continued in a next slice, goes on from there.
/// </summary>
public sealed record ExportJob
{
    public required string DossierId { get; init; }

    public required string RunId { get; init; }

    public IReadOnlyList<string>? DocumentIds { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>The connections resolved when the export was asked for.</summary>
    public required IReadOnlyList<string> ConnectionIds { get; init; }

    /// <summary>True when the caller named the connection: every document goes to it, whatever kinds it takes.</summary>
    public bool ConnectionNamed { get; init; }

    public bool Resend { get; init; }

    /// <summary>Who asked for the export (the history's "resent by").</summary>
    public string Actor { get; init; } = "system";

    /// <summary>
    /// The late copy queued before the run is saved (<see cref="ExportOptions.WatchdogDelay"/>): it finds a run that is
    /// still queued without a single page done, after a crash between saving the run and queuing its job, and queues the
    /// job again. It never works on the run itself.
    /// </summary>
    public bool Watchdog { get; init; }
}

/// <summary>
/// Where export jobs wait. Self-hosted: a storage queue read by the server's export pump. Azure: the same storage
/// queue, read by a queue-triggered function.
/// </summary>
public interface IExportJobQueue
{
    /// <param name="delay">How long the message stays invisible; null: at once.</param>
    Task EnqueueAsync(ExportJob job, TimeSpan? delay, CancellationToken cancellationToken);
}

/// <summary>Configuration section <c>Koppel:Export</c>.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Koppel:Export";

    /// <summary>Documents read per page of the job; only one page is in memory at a time.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// How long one pick-up of a job works before it queues its own continuation and lets go, well inside the storage
    /// queue's visibility timeout and the Functions timeout.
    /// </summary>
    public TimeSpan SliceDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Pick-ups of the same job message after which the job stops queuing: the run then counts what was queued so far
    /// and ends when those deliveries have ended, saying the export stopped early. Matches the Functions queue
    /// trigger's maxDequeueCount (5) so a job never sits in a poison queue with its run open.
    /// </summary>
    public int MaxJobAttempts { get; set; } = 5;

    /// <summary>
    /// When the export's watchdog looks whether the job has started (see <see cref="ExportJob.Watchdog"/>). Longer than a
    /// normal wait in the queue, so it rarely queues a second copy; a second copy is harmless (the job is idempotent and
    /// a pick-up that loses the race for the run lets go).
    /// </summary>
    public TimeSpan WatchdogDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most document ids one export may name; a longer list is a date range's job.</summary>
    public int MaxDocumentIds { get; set; } = 500;
}

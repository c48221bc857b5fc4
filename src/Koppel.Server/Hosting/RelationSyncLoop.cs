using Koppel.Azure.Queues;
using Koppel.Core.Relations;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Functions app's <c>QueueRelationSyncs</c> timer: every
/// <see cref="RelationOptions.TimerInterval"/> (UTC) it lets <see cref="RelationSyncScheduler"/> queue the nightly syncs
/// that are due. A failed firing is logged; the next one still picks the slot up within <see cref="RelationOptions.CatchUp"/>.
/// </summary>
public sealed class RelationSyncLoop(RelationSyncScheduler scheduler, TimeProvider clock, IOptions<RelationOptions> options, ILogger<RelationSyncLoop> logger)
    : IntervalTimerLoop(clock, logger)
{
    protected override TimeSpan Interval => options.Value.TimerInterval;

    protected override string Name => "The relation sync timer";

    protected override Task FireAsync(CancellationToken stoppingToken) => scheduler.FanOutAsync(stoppingToken);
}

/// <summary>
/// The self-hosted stand-in for the Functions <c>SyncRelations</c> queue trigger: takes sync jobs from
/// <c>{prefix}relationsyncs</c> and runs them, one at a time. A job that throws comes back after the visibility timeout,
/// up to <see cref="RelationOptions.MaxJobAttempts"/> pick-ups, then it is dropped with a log line.
/// </summary>
public sealed class RelationSyncPump(StorageQueueRelationSyncs queue, RelationSyncHandler handler, IOptions<ServerOptions> server, IOptions<RelationOptions> relations, ILogger<RelationSyncPump> logger)
    : JobQueuePump<RelationSyncJob>(queue, server, logger)
{
    protected override int BatchSize => 2;

    protected override int? MaxAttempts => relations.Value.MaxJobAttempts;

    protected override string WhenDropped => "the next night syncs again";

    protected override Task HandleAsync(ReceivedJob<RelationSyncJob> work, CancellationToken stoppingToken) =>
        handler.RunAsync(work.Job, stoppingToken);

    protected override string Describe(RelationSyncJob job) =>
        $"Relation sync of connection {job.ConnectionId} (dossier {job.DossierId})";
}

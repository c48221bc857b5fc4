using Koppel.Azure.Queues;
using Koppel.Core.Export;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Functions export-job trigger: takes manual export jobs from their own queue, one at a
/// time, and runs them. A job that throws (storage outage, a crash of its own) stays on the queue and comes back after
/// the visibility timeout; the job goes on from the last page it stored.
/// </summary>
public sealed class ExportJobPump(StorageQueueExportJobs queue, ExportHandler exports, IOptions<ServerOptions> options, ILogger<ExportJobPump> logger)
    : JobQueuePump<ExportJob>(queue, options, logger)
{
    protected override int BatchSize => 1;

    protected override Task HandleAsync(ReceivedJob<ExportJob> work, CancellationToken stoppingToken) =>
        exports.RunJobAsync(work.Job, work.DequeueCount, stoppingToken);

    protected override string Describe(ExportJob job) =>
        $"Export job of run {job.RunId} (dossier {job.DossierId})";
}

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

    protected override async Task RunAsync(ReceivedJob<ExportJob> work, CancellationToken stoppingToken)
    {
        try
        {
            await exports.RunJobAsync(work.Job, work.DequeueCount, stoppingToken);
            await work.CompleteAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Export job of run {RunId} (dossier {DossierId}) failed on pick-up {Attempt}; it is picked up again", work.Job.RunId, work.Job.DossierId, work.DequeueCount);
        }
    }
}

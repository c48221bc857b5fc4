using Koppel.Azure.Queues;
using Koppel.Core.Export;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Functions export-job trigger: takes manual export jobs from their own queue, one at a
/// time, and runs them. A job that throws (storage outage, a crash of its own) stays on the queue and comes back after
/// the visibility timeout; the job goes on from the last page it stored. No failure stops this loop.
/// </summary>
public sealed class ExportJobPump(StorageQueueExportJobs queue, ExportHandler exports, IOptions<ServerOptions> options, ILogger<ExportJobPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await queue.ReceiveAsync(1, settings.QueueVisibilityTimeout, stoppingToken);
                if (received.Count == 0)
                {
                    await Task.Delay(settings.QueuePollInterval, stoppingToken);
                    continue;
                }

                foreach (var work in received)
                {
                    await RunAsync(work, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not read the export job queue");
                await Task.Delay(settings.QueuePollInterval * 5, stoppingToken);
            }
        }
    }

    private async Task RunAsync(ReceivedExportJob work, CancellationToken stoppingToken)
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

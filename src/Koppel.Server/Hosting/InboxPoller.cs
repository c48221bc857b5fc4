using Koppel.Core.Ingestion;
using Koppel.Core.Ports;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the blob trigger: lists the inbox and ingests what it finds.
/// A file that fails for an unexpected reason (storage down) stays in the inbox and is tried on the next pass.
/// </summary>
public sealed class InboxPoller(IInbox inbox, IngestHandler ingest, IOptions<ServerOptions> options, ILogger<InboxPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.InboxPollInterval);
        do
        {
            try
            {
                // Files are independent of each other; ordering matters per delivery, which the queue keeps.
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.IngestConcurrency), CancellationToken = stoppingToken };
                await Parallel.ForEachAsync(inbox.ListAsync(stoppingToken), parallel, async (item, ct) =>
                {
                    try
                    {
                        await ingest.HandleAsync(item, ct);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        logger.LogError(ex, "Could not ingest {Path}; it stays in the inbox and is tried again", item.Path);
                    }
                });
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not list the inbox");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

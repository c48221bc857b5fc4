using Koppel.Core.ReadBack;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Functions app's <c>ReadBack</c> timer: on <see cref="ReadBackOptions.Schedule"/>
/// (UTC, every 30 minutes by default) asks file targets and providers what became of documents delivered earlier
/// (<see cref="ReadBackHandler"/>). A failed run is logged; the next runs on schedule.
/// </summary>
public sealed class ReadBackLoop(ReadBackHandler readBack, TimeProvider clock, IOptions<ReadBackOptions> options, ILogger<ReadBackLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            if (options.Value.NextRun(now) is not { } next)
            {
                return;
            }

            await Task.Delay(next - now, clock, stoppingToken);
            try
            {
                await readBack.RunAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The read-back run failed; it runs again on schedule");
            }
        }
    }
}

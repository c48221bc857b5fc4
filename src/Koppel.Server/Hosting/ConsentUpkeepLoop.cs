using Cronos;
using Koppel.Core.Dossiers;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Functions app's daily <c>KeepConsentsAlive</c> and <c>WatchQuotas</c> timers: renews
/// OAuth consents left unused (<see cref="ConsentUpkeepJob"/>), then flags quotas nearly used up
/// (<see cref="QuotaWatchJob"/>), on <see cref="ServerOptions.ConsentUpkeepSchedule"/>.
/// </summary>
public sealed class ConsentUpkeepLoop(ConsentUpkeepJob upkeep, QuotaWatchJob quotas, TimeProvider clock, IOptions<ServerOptions> options, ILogger<ConsentUpkeepLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        var schedule = CronExpression.Parse(settings.ConsentUpkeepSchedule, CronFormat.IncludeSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = schedule.GetNextOccurrence(now, zone);
            if (next is null)
            {
                return;
            }

            await Task.Delay(next.Value - now, clock, stoppingToken);
            try
            {
                await upkeep.RunAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The consent upkeep failed; it runs again on schedule");
            }

            try
            {
                await quotas.RunAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The quota check failed; it runs again on schedule");
            }
        }
    }
}

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for a Functions timer that fires on fixed UTC boundaries (…:00, …:05, …) and only fans
/// work out. A failed firing is logged; the next one runs on time (the schedulers pick up what a missed one left).
/// </summary>
public abstract class IntervalTimerLoop(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The time between firings; five minutes when not positive.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The timer in words, for the log, e.g. "The payment timer".</summary>
    protected abstract string Name { get; }

    protected abstract Task FireAsync(CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval > TimeSpan.Zero ? Interval : TimeSpan.FromMinutes(5);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FireAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{Timer} failed; it fires again in {Interval}", Name, interval);
            }

            var now = clock.GetUtcNow();
            var next = new DateTimeOffset((now.UtcTicks / interval.Ticks + 1) * interval.Ticks, TimeSpan.Zero);
            await Task.Delay(next - now, clock, stoppingToken);
        }
    }
}

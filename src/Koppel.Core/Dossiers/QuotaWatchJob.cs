using System.Globalization;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Dossiers;

/// <summary>Configuration section <c>Koppel:Health</c>: the daily check's warnings ahead of trouble.</summary>
public sealed class HealthCheckOptions
{
    public const string SectionName = "Koppel:Health";

    /// <summary>
    /// A connection whose daily quota was used above this share (yesterday, or today so far) is flagged. At 80 % a
    /// domain still delivers today, but one busy day more and documents wait for the next day.
    /// </summary>
    public decimal QuotaWarningShare { get; set; } = 0.8m;
}

/// <summary>What one quota check saw.</summary>
public sealed record QuotaWatchSummary(int Checked, int Warned, int Cleared);

/// <summary>
/// Once a day, beside the consent upkeep: every connection whose connector keeps a daily quota
/// (<see cref="IQuotaGauge"/>) gets a warning on its health when its quota holder used more than
/// <see cref="HealthCheckOptions.QuotaWarningShare"/> of the quota yesterday or today so far, and loses it when it no
/// longer does. The warning shows in the morning list of connections to look at and goes out as a "needs attention" event.
/// </summary>
public sealed class QuotaWatchJob(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    ConnectionService connectionService,
    ConnectionHealthRecorder health,
    ConnectorCatalog catalog,
    IOptions<HealthCheckOptions> options,
    TimeProvider clock,
    ILogger<QuotaWatchJob> logger)
{
    public async Task<QuotaWatchSummary> RunAsync(CancellationToken cancellationToken)
    {
        var threshold = options.Value.QuotaWarningShare;
        int seen = 0, warned = 0, cleared = 0;

        // Connections of one quota holder (a Yuki domain serves many dossiers) are read once per run.
        var usageByScope = new Dictionary<string, (QuotaUsage Yesterday, QuotaUsage Today)>(StringComparer.Ordinal);
        await foreach (var dossier in dossiers.ListAsync(cancellationToken))
        {
            await foreach (var connection in connections.ListAsync(dossier.Id, cancellationToken))
            {
                if (!connection.Enabled || catalog.Find(connection.Provider) is not IQuotaGauge gauge || connection.Health.NeedsAPerson)
                {
                    continue;
                }

                seen++;
                IReadOnlyCollection<string> secretValues = [];
                try
                {
                    (var settings, secretValues) = await connectionService.LoadSettingsAsync(connection, cancellationToken);
                    var today = gauge.QuotaDay(clock.GetUtcNow());
                    var todayUsage = await gauge.ReadQuotaUsageAsync(settings, today, cancellationToken);
                    if (!usageByScope.TryGetValue(todayUsage.Scope, out var usage))
                    {
                        usage = (await gauge.ReadQuotaUsageAsync(settings, today.AddDays(-1), cancellationToken), todayUsage);
                        usageByScope[todayUsage.Scope] = usage;
                    }

                    var warning = WarningFor(connection, usage.Yesterday, usage.Today, threshold);
                    if (warning is not null && connection.Health.Warning != warning)
                    {
                        warned++;
                    }
                    else if (warning is null && connection.Health.Warning is not null)
                    {
                        cleared++;
                    }

                    await health.SetWarningAsync(connection, warning, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // One connection's surprise must not stop the others' check; the next run tries it again.
                    logger.LogError("The quota of connection {ConnectionId} of dossier {DossierId} could not be checked: {Error}", connection.Id, connection.DossierId, SecretScrubber.Scrub(e.Message, secretValues));
                }
            }
        }

        logger.LogInformation("Quota check: {Checked} connection(s) checked, {Warned} warned, {Cleared} cleared", seen, warned, cleared);
        return new QuotaWatchSummary(seen, warned, cleared);
    }

    private static string? WarningFor(Connection connection, QuotaUsage yesterday, QuotaUsage today, decimal threshold)
    {
        var (worst, when) = today.Share >= yesterday.Share ? (today, "today so far") : (yesterday, "yesterday");
        if (worst.Share < threshold)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{worst.Label} used {worst.Used} of its {worst.Limit} daily calls {when} ({worst.Share:P0}), above the {threshold:P0} warning level. "
            + $"When the quota runs out, documents for {connection.DisplayName ?? connection.Provider} wait for the next day: ask the provider for a larger quota or spread the dossiers over more keys.");
    }
}

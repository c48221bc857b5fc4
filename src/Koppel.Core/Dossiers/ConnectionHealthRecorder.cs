using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Events;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;

namespace Koppel.Core.Dossiers;

/// <summary>
/// Keeps a connection's health in step with what its provider last said, whoever asked: a delivery, a payment poll, a
/// relations sync. One write per change of state (not one per call), and one "needs attention" event when the change is
/// one a person must act on or wait out. A warning (e.g. a quota nearly used) stays until the check that raised it clears it.
/// </summary>
public sealed class ConnectionHealthRecorder(
    IConnectionRepository connections,
    EventPublisher events,
    TimeProvider clock,
    ILogger<ConnectionHealthRecorder> logger)
{
    /// <summary>Records what a call to the provider ended in; <paramref name="secretValues"/> are scrubbed from the reason.</summary>
    public Task RecordAsync(Connection connection, DeliveryResult result, IReadOnlyCollection<string> secretValues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(result);
        if (HealthAfter(result, connection.Health) is not { } changed || changed == connection.Health.Status)
        {
            return Task.CompletedTask;
        }

        var reason = changed == ConnectionHealthStatus.Healthy ? null : SecretScrubber.Scrub(result.Reason ?? changed.ToString(), secretValues);
        return ChangeAsync(connection, changed, reason, cancellationToken);
    }

    /// <summary>Records that the provider answered as it should (a read that worked).</summary>
    public Task RecordWorkedAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Health.Status == ConnectionHealthStatus.Healthy
            ? Task.CompletedTask
            : ChangeAsync(connection, ConnectionHealthStatus.Healthy, null, cancellationToken);
    }

    /// <summary>
    /// Sets or clears the connection's standing warning (null clears it). A new warning publishes a "needs attention"
    /// event; the same warning again writes nothing.
    /// </summary>
    public async Task SetWarningAsync(Connection connection, string? warning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var current = await connections.GetAsync(connection.DossierId, connection.Id, cancellationToken);
        if (current is null || string.Equals(current.Health.Warning, warning, StringComparison.Ordinal))
        {
            return;
        }

        var health = current.Health with { Warning = warning, WarnedAt = warning is null ? null : clock.GetUtcNow() };
        await connections.UpsertAsync(current with { Health = health }, cancellationToken);
        if (warning is not null)
        {
            logger.LogWarning("Connection {ConnectionId} of dossier {DossierId}: {Warning}", connection.Id, connection.DossierId, warning);
            await events.PublishAsync(PlatformEvents.ConnectionWarned(current, health), cancellationToken);
        }
    }

    /// <summary>
    /// The connection's state after this result, or null when it says nothing new. A connection only a person can mend
    /// (broken, needs consent) stays so through retries and quota waits; only a call that works clears it.
    /// </summary>
    internal static ConnectionHealthStatus? HealthAfter(DeliveryResult result, ConnectionHealth current) => result switch
    {
        { Kind: DeliveryResultKind.Delivered } => ConnectionHealthStatus.Healthy,
        { ConnectionProblem: { } problem } => problem,
        _ when current.NeedsAPerson => null,
        { Kind: DeliveryResultKind.Deferred } => ConnectionHealthStatus.QuotaExhausted,
        { Kind: DeliveryResultKind.Transient, Unreachable: true } => ConnectionHealthStatus.Unreachable,
        { Kind: DeliveryResultKind.Transient } => ConnectionHealthStatus.Degraded,
        _ => null, // a refused document says nothing about the connection
    };

    private async Task ChangeAsync(Connection connection, ConnectionHealthStatus status, string? reason, CancellationToken cancellationToken)
    {
        // Re-read so a concurrent settings change is not overwritten with the copy this call started from.
        var current = await connections.GetAsync(connection.DossierId, connection.Id, cancellationToken);
        if (current is null || (current.Health.Status == status && current.Health.Reason == reason))
        {
            return;
        }

        var health = current.Health with { Status = status, Reason = reason, Since = clock.GetUtcNow() };
        await connections.UpsertAsync(current with { Health = health }, cancellationToken);
        if (health.NeedsAPerson || status == ConnectionHealthStatus.QuotaExhausted)
        {
            await events.PublishAsync(PlatformEvents.ConnectionNeedsAttention(current, health), cancellationToken);
        }

        if (status != ConnectionHealthStatus.Healthy)
        {
            logger.LogWarning("Connection {ConnectionId} of dossier {DossierId} is now {Health}: {Reason}", connection.Id, connection.DossierId, status, reason);
        }
    }
}

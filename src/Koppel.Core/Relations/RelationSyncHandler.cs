using System.Globalization;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Ports;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Relations;

/// <summary>What one relation sync did, as the run log counts it.</summary>
public sealed record RelationSyncSummary(
    bool Full,
    int Read,
    int Added,
    int Updated,
    int Unchanged,
    int Older,
    int LedgerAccounts,
    int VatCodes,
    int Calls,
    RunStatus Status,
    string ResultText)
{
    /// <summary>Parties removed because the provider deleted them.</summary>
    public int Removed { get; init; }
}

/// <summary>
/// One relation sync job: reads the connection's customers and suppliers changed since the stored watermark (all of
/// them on the first sync or when asked for a full one), page by page, keeping the watermark after each page, and
/// removes the parties the provider reports deleted (<see cref="PartyPage.Removed"/>); then
/// the ledger accounts and VAT codes, whole. One run-log line ("sync relations") with the counts. Safe to run twice
/// or side by side: a party is upserted by its provider id and an older copy never overwrites a newer one.
/// </summary>
public sealed class RelationSyncHandler(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    IRelationStore store,
    ConnectorCatalog catalog,
    ConnectionService connectionService,
    ConnectionHealthRecorder health,
    RunLogWriter runLog,
    IOptions<RelationOptions> options,
    TimeProvider clock,
    ILogger<RelationSyncHandler> logger)
{
    public async Task<RelationSyncSummary?> RunAsync(RelationSyncJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var startedAt = clock.GetUtcNow();
        var dossier = await dossiers.GetAsync(job.DossierId, cancellationToken);
        var connection = dossier is null ? null : await connections.GetAsync(job.DossierId, job.ConnectionId, cancellationToken);
        if (dossier is null || connection is null || !connection.Enabled || catalog.Find(connection.Provider) is not { } connector || connector is not IRelationReader reader)
        {
            logger.LogInformation("Relation sync of connection {ConnectionId} of dossier {DossierId} skipped: it is gone, disabled or cannot read relations", job.ConnectionId, job.DossierId);
            return null;
        }

        var name = connector.Descriptor.DisplayName;
        var state = await store.GetSyncStateAsync(dossier.Id, connection.Id, cancellationToken)
            ?? new RelationSyncState { DossierId = dossier.Id, ConnectionId = connection.Id };
        var full = job.Full || state.Watermark is null;
        var watermark = full ? null : state.Watermark;

        IReadOnlyCollection<string> secretValues = [];
        ConnectorSettings settings;
        try
        {
            (settings, secretValues) = await connectionService.LoadSettingsAsync(connection, cancellationToken);
        }
        catch (ConnectorConfigurationException e)
        {
            return await RecordAsync(dossier, connection, job, startedAt, Failed(full, 0, 0, 0, 0, 0, 0, $"{name} could not be asked for its customers and suppliers: {e.Message}"), cancellationToken);
        }

        var context = new RelationReadContext(dossier, connection, settings, startedAt);
        int read = 0, added = 0, updated = 0, unchanged = 0, older = 0, removed = 0, calls = 0, pages = 0;
        string? token = null;
        DeliveryResult? failure = null;
        var complete = false;
        while (pages < Math.Max(1, options.Value.MaxPagesPerSync))
        {
            var page = await reader.ReadPartiesAsync(context, watermark, token, cancellationToken);
            pages++;
            calls += page.Calls;
            if (page.Failure is not null)
            {
                failure = page.Failure;
                break;
            }

            var now = clock.GetUtcNow();
            foreach (var data in page.Parties)
            {
                if (string.IsNullOrWhiteSpace(data.ProviderId) || string.IsNullOrWhiteSpace(data.Name))
                {
                    continue;
                }

                read++;
                switch (await store.UpsertPartyAsync(Party.From(dossier.Id, connection.Id, data, now), cancellationToken))
                {
                    case UpsertOutcome.Added: added++; break;
                    case UpsertOutcome.Updated: updated++; break;
                    case UpsertOutcome.Unchanged: unchanged++; break;
                    default: older++; break;
                }
            }

            foreach (var gone in page.Removed.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal))
            {
                if (await store.RemovePartyAsync(dossier.Id, connection.Id, gone.Trim(), cancellationToken))
                {
                    removed++;
                }
            }

            // Kept after every page: a sync cut short goes on from here next time.
            if (page.Watermark is not null && page.Watermark != state.Watermark)
            {
                state = state with { Watermark = page.Watermark };
                await store.SaveSyncStateAsync(state, cancellationToken);
            }

            token = page.NextPageToken;
            if (token is null)
            {
                complete = true;
                break;
            }
        }

        int accounts = 0, vatCodes = 0;
        if (failure is null)
        {
            var ledger = await reader.ReadLedgerAccountsAsync(context, cancellationToken);
            calls += ledger.Calls;
            if (ledger.Failure is null)
            {
                await store.ReplaceLedgerAccountsAsync(dossier.Id, connection.Id, ledger.Items, cancellationToken);
                accounts = ledger.Items.Count;
                var vat = await reader.ReadVatCodesAsync(context, cancellationToken);
                calls += vat.Calls;
                if (vat.Failure is null)
                {
                    await store.ReplaceVatCodesAsync(dossier.Id, connection.Id, vat.Items, cancellationToken);
                    vatCodes = vat.Items.Count;
                }
                else
                {
                    failure = vat.Failure;
                }
            }
            else
            {
                failure = ledger.Failure;
            }
        }

        var finishedAt = clock.GetUtcNow();
        state = state with
        {
            LastSyncAt = finishedAt,
            LastFullSyncAt = full && complete && failure is null ? finishedAt : state.LastFullSyncAt,
            Parties = state.Parties + added,
            LedgerAccounts = failure is null ? accounts : state.LedgerAccounts,
            VatCodes = failure is null ? vatCodes : state.VatCodes,
        };
        await store.SaveSyncStateAsync(state, cancellationToken);

        // A sync says as much about the connection as a delivery does: a refused key shows on the morning list either way.
        if (calls > 0 || failure is not null)
        {
            await health.RecordAsync(connection, failure ?? DeliveryResult.Delivered("read"), secretValues, cancellationToken);
        }

        var counts = string.Create(
            CultureInfo.InvariantCulture,
            $"{read} customer(s)/supplier(s) read ({added} new, {updated} changed, {unchanged} unchanged{(older > 0 ? $", {older} older than what Koppel has" : string.Empty)}){(removed > 0 ? $", {removed} removed (deleted at the provider)" : string.Empty)}");
        if (failure is not null)
        {
            var reason = SecretScrubber.Scrub(failure.Reason ?? "the provider could not be read", secretValues);
            var deferred = failure.Kind == DeliveryResultKind.Deferred;
            var text = $"{(full ? "Full" : "Incremental")} sync from {name} stopped: {reason} {counts} before it stopped; {calls} call(s). The next sync goes on from there.";
            return await RecordAsync(dossier, connection, job, startedAt, new RelationSyncSummary(full, read, added, updated, unchanged, older, accounts, vatCodes, calls, read > 0 || removed > 0 || deferred ? RunStatus.PartiallySucceeded : RunStatus.Failed, text) { Removed = removed }, cancellationToken);
        }

        var rest = complete ? string.Empty : " More changes are waiting at the provider; the next sync goes on from there.";
        var result = string.Create(
            CultureInfo.InvariantCulture,
            $"{(full ? "Full" : "Incremental")} sync from {name}: {counts}; {accounts} ledger account(s), {vatCodes} VAT code(s); {calls} call(s).{rest}");
        return await RecordAsync(dossier, connection, job, startedAt, new RelationSyncSummary(full, read, added, updated, unchanged, older, accounts, vatCodes, calls, complete ? RunStatus.Succeeded : RunStatus.PartiallySucceeded, result) { Removed = removed }, cancellationToken);
    }

    private static RelationSyncSummary Failed(bool full, int read, int added, int updated, int unchanged, int older, int calls, string text) =>
        new(full, read, added, updated, unchanged, older, 0, 0, calls, RunStatus.Failed, text);

    private async Task<RelationSyncSummary> RecordAsync(Dossier dossier, Connection connection, RelationSyncJob job, DateTimeOffset startedAt, RelationSyncSummary summary, CancellationToken cancellationToken)
    {
        await runLog.RecordAsync(
            dossier.Id,
            RunCategory.RelationSync,
            summary.Status,
            summary.ResultText,
            summary.Read,
            provider: connection.Provider,
            connectionId: connection.Id,
            startedBy: job.RequestedBy,
            startedAt: startedAt,
            cancellationToken: cancellationToken);
        logger.LogInformation("Relation sync of connection {ConnectionId} ({Provider}) of dossier {DossierId}: {Result}", connection.Id, connection.Provider, dossier.Id, summary.ResultText);
        return summary;
    }
}

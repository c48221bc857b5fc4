using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Runs;
using Koppel.Core.Security;

namespace Koppel.Core.Export;

/// <summary>
/// A manual export: one document, a list, or every document received in a date range, to one connection or all.
/// Already delivered documents are skipped unless <see cref="Resend"/> is set, which delivers them again on purpose
/// (a new delivery, recorded in the history as "resent by").
/// </summary>
public sealed record ExportRequest(
    IReadOnlyList<string>? DocumentIds,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? ConnectionId,
    bool Resend);

public sealed class ExportHandler(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    IDocumentRepository documents,
    IDeliveryLedger ledger,
    IRunLog runLog,
    RunLogWriter runLogWriter,
    DeliveryDispatcher dispatcher,
    TimeProvider clock)
{
    public const int MaxDocumentsPerExport = 10_000;

    /// <summary>Checks the request, records the run, queues every delivery, and returns the run (progress comes as deliveries finish).</summary>
    public async Task<RunLogEntry> StartAsync(string dossierId, ExportRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        _ = await dossiers.GetAsync(dossierId, cancellationToken) ?? throw new ResourceNotFoundException($"Dossier {dossierId} does not exist.");

        var hasIds = request.DocumentIds is { Count: > 0 };
        if (hasIds == (request.From is not null || request.To is not null))
        {
            throw new RequestValidationException("documentIds", "Give either documentIds or a date range (from/to), not both and not neither.");
        }

        if (request.From is not null && request.To is not null && request.To <= request.From)
        {
            throw new RequestValidationException("to", "'to' must be after 'from'.");
        }

        var targets = await ResolveConnectionsAsync(dossierId, request.ConnectionId, cancellationToken);
        var selected = await ResolveDocumentsAsync(dossierId, request, cancellationToken);

        var now = clock.GetUtcNow();
        var run = new RunLogEntry
        {
            DossierId = dossierId,
            RunId = RunIds.New(now),
            Category = RunCategory.Export,
            Provider = targets.Count == 1 ? targets[0].Provider : null,
            ConnectionId = targets.Count == 1 ? targets[0].Id : null,
            StartedAt = now,
            StartedBy = caller.Name,
            ResultText = $"Export of {selected.Count} document(s) to {targets.Count} connection(s) queued.",
        };

        var plan = new List<(DocumentRecord Document, Connection Connection)>();
        var skipped = 0;
        foreach (var document in selected)
        {
            foreach (var connection in targets.Where(c => c.Wants(document.Kind) || request.ConnectionId is not null))
            {
                var automatic = await ledger.GetAsync(dossierId, DeliveryIds.For(document.Id, connection.Id), cancellationToken);
                if (!request.Resend && automatic is { Status: DeliveryStatus.Delivered })
                {
                    skipped++;
                    continue;
                }

                plan.Add((document, connection));
            }
        }

        run = run with { TotalDocuments = plan.Count + skipped, SkippedDocuments = skipped, SkippedAtStart = skipped };
        run = runLogWriter.Close(run);
        await runLog.AddAsync(run, cancellationToken);

        foreach (var (document, connection) in plan)
        {
            // Each export is its own generation: a resend never collides with the automatic delivery's ledger line.
            await dispatcher.DispatchAsync(document, [connection], run.RunId, generation: run.RunId, actor: caller.Name, cancellationToken);
        }

        return await runLog.GetAsync(dossierId, run.RunId, cancellationToken) ?? run;
    }

    public async Task<RunLogEntry> GetRunAsync(string dossierId, string runId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        var run = await runLog.GetAsync(dossierId, runId, cancellationToken)
            ?? throw new ResourceNotFoundException($"Run {runId} does not exist in dossier {dossierId}.");

        // A running run is counted afresh from its deliveries: what the caller sees is exact even if a count was lost.
        return run.Status == RunStatus.Running ? await runLogWriter.RecountAsync(run, cancellationToken) : run;
    }

    private async Task<List<Connection>> ResolveConnectionsAsync(string dossierId, string? connectionId, CancellationToken cancellationToken)
    {
        if (connectionId is not null)
        {
            var one = await connections.GetAsync(dossierId, connectionId, cancellationToken)
                ?? throw new RequestValidationException("connectionId", $"Connection {connectionId} does not exist in dossier {dossierId}.");
            return [one];
        }

        var all = new List<Connection>();
        await foreach (var connection in connections.ListAsync(dossierId, cancellationToken))
        {
            if (connection.Enabled)
            {
                all.Add(connection);
            }
        }

        return all.Count > 0 ? all : throw new RequestValidationException("connectionId", $"Dossier {dossierId} has no enabled connection to export to.");
    }

    private async Task<List<DocumentRecord>> ResolveDocumentsAsync(string dossierId, ExportRequest request, CancellationToken cancellationToken)
    {
        var result = new List<DocumentRecord>();
        if (request.DocumentIds is { Count: > 0 } ids)
        {
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                result.Add(await documents.GetAsync(dossierId, id, cancellationToken)
                    ?? throw new RequestValidationException("documentIds", $"Document {id} does not exist in dossier {dossierId}."));
            }

            return result;
        }

        await foreach (var document in documents.ListAsync(dossierId, request.From, request.To, cancellationToken))
        {
            if (result.Count == MaxDocumentsPerExport)
            {
                throw new RequestValidationException("to", $"The range holds more than {MaxDocumentsPerExport} documents; export a shorter range.");
            }

            result.Add(document);
        }

        return result;
    }
}

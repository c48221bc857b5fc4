using System.Globalization;
using System.Net;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Refit;

namespace Koppel.Connectors.Venice;

/// <summary>
/// Books sales and purchase invoices (and credit notes) in Venice through WebConnect, as <c>Sales</c> and
/// <c>Purchase</c> records with Koppel's delivery id as their <c>SyncReference</c>: before sending, the record is
/// looked up by it, so a retry after a lost answer returns the record booked before. Venice publishes no call for
/// CODA statements or other PDFs, so this connector does not take them: an e-mail or SFTP connection does.
/// </summary>
public sealed class VeniceConnector : IConnector
{
    public const string ProviderKey = "venice";

    private const string NoCodaOrPdf = "Venice has no public call for CODA bank statements or other documents (PDF): add an e-mail or SFTP connection to this dossier for those; Koppel delivers each kind to every connection that takes it.";

    private readonly IVeniceApi _api;

    public VeniceConnector(IVeniceApi api)
    {
        _api = api;
    }

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Venice (WebConnect)",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection,
        Delivers = new Dictionary<DocumentKind, DeliveryMode>
        {
            [DocumentKind.SalesInvoice] = DeliveryMode.BookEntry,
            [DocumentKind.PurchaseInvoice] = DeliveryMode.BookEntry,
        },
        Settings = VeniceSettings.Fields,
        Notes = NoCodaOrPdf + " WebConnect is a paid module, active per dossier. Venice's error format, limits, the read-by-key call, "
            + "the object plurals and its credit-note convention are not publicly documented: Koppel reads errors by HTTP status (VeniceErrors), "
            + "looks records up with GET …/{Object}?SyncReference=… and sends credit notes with DocType CreditNote and positive amounts (VeniceMapping).",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        VeniceSettings? settings = null;
        var kind = context.Document.Kind;
        var what = $"booking {context.Document.FileName} ({context.Document.Number ?? kind.ToString()})";
        try
        {
            settings = VeniceSettings.From(context.Settings);
            if (kind is not (DocumentKind.SalesInvoice or DocumentKind.PurchaseInvoice))
            {
                return DeliveryResult.Permanent($"Venice does not take {kind} documents. {NoCodaOrPdf}");
            }

            var invoice = await InvoiceForBooking.ReadAsync(context, cancellationToken);
            var objectName = VeniceMapping.ObjectFor(kind);
            var earlier = await FindAsync(settings, objectName, "SyncReference", context.DeliveryId, cancellationToken);
            if (earlier is not null)
            {
                return DeliveryResult.Delivered($"{objectName} {earlier}");
            }

            var relation = await RelationAsync(settings, invoice.Counterparty, kind, cancellationToken);
            var fields = VeniceMapping.Booking(invoice, kind, settings, relation, context.DeliveryId, out var entries);
            var answer = await _api.CreateAsync(settings.Authorization, settings.DossierId, settings.FinancialYear!.Value, objectName, VeniceEnvelope.Request(objectName, fields, entries), cancellationToken);
            var number = VeniceEnvelope.FirstSystemNumber(answer)
                ?? throw new InvalidOperationException($"Venice accepted the {objectName} record but answered without a SystemNumber.");
            return DeliveryResult.Delivered($"{objectName} {number}");
        }
        catch (Exception e) when (VeniceErrors.Describe(e, what, settings?.Redactor ?? new SecretRedactor(), cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>On save: user, password, dossier, financial year and both books are there and well formed, the VAT codes valid.</summary>
    public void ValidateSettings(ConnectorSettings settings) => VeniceSettings.From(settings);

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        VeniceSettings? parsed = null;
        try
        {
            parsed = VeniceSettings.From(settings, forTest: true);

            // Venice has no public call that lists dossiers or years: the configured ones, this year and last year are probed.
            var thisYear = DateTime.UtcNow.Year;
            var candidates = new[] { parsed.FinancialYear, thisYear, thisYear - 1 }.OfType<int>().Distinct().OrderDescending();
            var answering = new List<int>();
            foreach (var year in candidates)
            {
                if (await YearAnswersAsync(parsed, year, cancellationToken))
                {
                    answering.Add(year);
                }
            }

            if (answering.Count == 0)
            {
                return new ConnectionTestResult(false, $"Venice accepted the login but dossier '{parsed.DossierId}' answers for none of the years {string.Join(", ", candidates)}; check the dossier id and that WebConnect is active for it.");
            }

            var choices = answering.Select(y => new ConnectionChoice(VeniceSettings.FinancialYearKey, y.ToString(CultureInfo.InvariantCulture), $"Financial year {y}")).Prepend(
                new ConnectionChoice(VeniceSettings.DossierKey, parsed.DossierId, $"Dossier {parsed.DossierId} (confirmed)")).ToList();
            var yearNote = parsed.FinancialYear is { } chosen && !answering.Contains(chosen)
                ? $" The configured year {chosen} does not answer; choose one of {string.Join(", ", answering)}."
                : parsed.FinancialYear is null ? $" Choose the financial year: {string.Join(", ", answering)}." : string.Empty;
            return new ConnectionTestResult(yearNote.Length == 0 || parsed.FinancialYear is null, $"Logged in to Venice as {parsed.User}; dossier '{parsed.DossierId}' answers for {string.Join(", ", answering)}.{yearNote} {NoCodaOrPdf}")
            {
                Choices = choices,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var redactor = parsed?.Redactor ?? new SecretRedactor();
            var reason = VeniceErrors.Describe(e, "testing the connection", redactor, CancellationToken.None)?.Reason ?? redactor.Redact($"Venice failed while testing the connection: {e.Message}");
            return new ConnectionTestResult(false, reason) { CredentialsRejected = VeniceErrors.IsCredentialsRejected(e) };
        }
    }

    private async Task<bool> YearAnswersAsync(VeniceSettings settings, int year, CancellationToken cancellationToken)
    {
        try
        {
            await _api.FindAsync(settings.Authorization, settings.DossierId, year, VeniceEnvelope.Sales, new Dictionary<string, string> { ["SyncReference"] = "koppel-connection-test" }, cancellationToken);
            return true;
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The SystemNumber of the record of <paramref name="objectName"/> whose <paramref name="field"/> is <paramref name="value"/>, or null.</summary>
    private async Task<long?> FindAsync(VeniceSettings settings, string objectName, string field, string value, CancellationToken cancellationToken)
    {
        var answer = await _api.FindAsync(settings.Authorization, settings.DossierId, settings.FinancialYear!.Value, objectName, new Dictionary<string, string> { [field] = value }, cancellationToken);
        return VeniceEnvelope.FirstSystemNumber(answer);
    }

    /// <summary>The customer or supplier by VAT number (by name without one), created when Venice does not know it yet.</summary>
    private async Task<long> RelationAsync(VeniceSettings settings, Counterparty party, DocumentKind kind, CancellationToken cancellationToken)
    {
        var objectName = VeniceMapping.RelationObjectFor(kind);
        var existing = party.VatNumber is { } vat
            ? await FindAsync(settings, objectName, "VatNumber", vat, cancellationToken)
            : await FindAsync(settings, objectName, "Name", party.Name, cancellationToken);
        if (existing is { } number)
        {
            return number;
        }

        var created = await _api.CreateAsync(settings.Authorization, settings.DossierId, settings.FinancialYear!.Value, objectName, VeniceEnvelope.Request(objectName, VeniceMapping.Relation(party)), cancellationToken);
        return VeniceEnvelope.FirstSystemNumber(created)
            ?? throw new InvalidOperationException($"Venice created the {objectName} but answered without a SystemNumber.");
    }
}

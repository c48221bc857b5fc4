using System.Globalization;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Refit;

namespace Koppel.Connectors.Octopus;

/// <summary>
/// Delivers to Octopus (Inaras) through its REST APIs: invoices and credit notes booked as sales or purchase
/// bookings (or handed over to the Octopus document inbox, per kind), CODA statements through the CODA import,
/// other documents to the document inbox. A booking carries the delivery id in its comment and is looked up
/// by it before sending (<see cref="OctopusBookingLookup"/>), so a retry after a lost answer books nothing twice.
/// </summary>
public sealed class OctopusConnector : IConnector
{
    public const string ProviderKey = "octopus";

    private readonly OctopusSession _session;

    public OctopusConnector(OctopusSession session)
    {
        _session = session;
    }

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Octopus",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection | ConnectorCapabilities.ListAdministrations,
        Delivers = new Dictionary<DocumentKind, DeliveryMode>
        {
            [DocumentKind.SalesInvoice] = DeliveryMode.BookEntry,
            [DocumentKind.PurchaseInvoice] = DeliveryMode.HandOver,
            [DocumentKind.BankStatement] = DeliveryMode.HandOver,
            [DocumentKind.OtherDocument] = DeliveryMode.HandOver,
        },
        Settings = OctopusSettings.Fields,
        Notes = "Invoices are booked (mode.{Kind}=book) or handed over to the Octopus document inbox (handover); the defaults are shown. "
            + "Needs the software-house UUID Octopus issues to the operator. Bookings are found again by a [koppel:{delivery id}] marker in their comment "
            + "through buysellbookings/modified (a third-party note mentions a daily cap on that call: unverified). "
            + "The JSON field names of bookings, relations and the CODA upload follow the public Swagger summary; the file inbox and CODA import "
            + "have no documented look-up, so a hand-over whose answer was lost may appear twice there, under the same file name.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        OctopusSettings? settings = null;
        var kind = context.Document.Kind;
        var what = $"delivering {context.Document.FileName} ({context.Document.Number ?? kind.ToString()})";
        try
        {
            settings = OctopusSettings.From(context.Settings);
            var dossierId = settings.RequireDossier();
            return kind switch
            {
                DocumentKind.SalesInvoice or DocumentKind.PurchaseInvoice when settings.Modes[kind] == OctopusMode.Book =>
                    await BookAsync(context, settings, dossierId, cancellationToken),
                DocumentKind.SalesInvoice or DocumentKind.PurchaseInvoice or DocumentKind.OtherDocument =>
                    await HandOverAsync(context, settings, dossierId, cancellationToken),
                DocumentKind.BankStatement => await ImportCodaAsync(context, settings, dossierId, cancellationToken),
                _ => DeliveryResult.Permanent($"Octopus takes no {kind} documents from Koppel; remove this kind from the connection."),
            };
        }
        catch (Exception e) when (OctopusFailure.Describe(e, what, settings?.Redactor ?? new SecretRedactor(), cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>On save: user and password are there, dossier and book year are numbers, the modes and VAT codes are valid.</summary>
    public void ValidateSettings(ConnectorSettings settings) => OctopusSettings.From(settings);

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        OctopusSettings? parsed = null;
        try
        {
            parsed = OctopusSettings.From(settings);
            var login = parsed;
            var dossiers = await _session.WithUserTokenAsync(login, token => _session.Api.GetDossiersAsync(token, cancellationToken), cancellationToken);
            var choices = dossiers.Select(d => new ConnectionChoice(OctopusSettings.DossierKey, d.DossierId.ToString(CultureInfo.InvariantCulture), d.Name)).ToList();
            if (login.DossierId == 0)
            {
                return new ConnectionTestResult(true, $"Logged in to Octopus as {login.User}; choose one of its {dossiers.Count} dossiers in '{OctopusSettings.DossierKey}'.") { Choices = choices };
            }

            var dossier = dossiers.FirstOrDefault(d => d.DossierId == login.DossierId);
            if (dossier is null)
            {
                return new ConnectionTestResult(false, $"The Octopus user {login.User} cannot reach dossier {login.DossierId}; choose one of the {dossiers.Count} dossiers listed.") { Choices = choices };
            }

            var bookYears = await _session.WithDossierTokenAsync(login, token => _session.Api.GetBookYearsAsync(token, login.DossierId, cancellationToken), cancellationToken);
            choices.AddRange(bookYears.Select(y => new ConnectionChoice(
                OctopusSettings.BookYearKey,
                y.BookyearId.ToString(CultureInfo.InvariantCulture),
                $"{y.Description} ({y.StartDate:yyyy-MM-dd} – {y.EndDate:yyyy-MM-dd}{(y.Closed ? ", closed" : string.Empty)})")));
            var open = bookYears.Where(y => !y.Closed).Select(y => y.Description).ToList();
            var modes = string.Join(", ", login.Modes.Select(m => $"{m.Key}: {(m.Value == OctopusMode.Book ? "booked" : "to the document inbox")}"));
            return new ConnectionTestResult(true, $"Logged in to Octopus as {login.User}; dossier {dossier.DossierId} '{dossier.Name}' is reachable, open book years: {(open.Count == 0 ? "none" : string.Join(", ", open))}. {modes}.")
            {
                Choices = choices,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var redactor = parsed?.Redactor ?? new SecretRedactor();
            return new ConnectionTestResult(false, OctopusFailure.Message(e, "testing the connection", redactor))
            {
                CredentialsRejected = e is OctopusAccessException { CredentialsRejected: true } || e is ApiException { StatusCode: System.Net.HttpStatusCode.Unauthorized },
            };
        }
    }

    private async Task<DeliveryResult> BookAsync(DeliveryContext context, OctopusSettings settings, int dossierId, CancellationToken cancellationToken)
    {
        var invoice = await InvoiceForBooking.ReadAsync(context, cancellationToken);
        var kind = context.Document.Kind;
        var api = _session.Api;
        return await _session.WithDossierTokenAsync(settings, async token =>
        {
            var bookYear = await BookYearForAsync(api, token, dossierId, settings, invoice, cancellationToken);
            var earlier = await OctopusBookingLookup.FindAsync(api, token, dossierId, bookYear, context.DeliveryId, context.Document.ReceivedAt, cancellationToken);
            if (earlier is not null)
            {
                return DeliveryResult.Delivered(earlier.AsReference());
            }

            var relationId = await RelationIdAsync(api, token, dossierId, invoice.Counterparty, kind, cancellationToken);
            var booking = OctopusBookingMapper.Map(invoice, kind, settings, bookYear, relationId, OctopusBookingLookup.MarkerFor(context.DeliveryId));
            var key = await api.BookAsync(token, dossierId, booking, cancellationToken);
            return DeliveryResult.Delivered(key.AsReference());
        }, cancellationToken);
    }

    private static async Task<int> BookYearForAsync(IOctopusApi api, string token, int dossierId, OctopusSettings settings, InvoiceForBooking invoice, CancellationToken cancellationToken)
    {
        var years = await api.GetBookYearsAsync(token, dossierId, cancellationToken);
        var year = settings.BookYearId is { } chosen
            ? years.FirstOrDefault(y => y.BookyearId == chosen)
              ?? throw new ConnectorConfigurationException($"Octopus dossier {dossierId} has no book year {chosen}; run the connection test and choose one of its book years.")
            : years.FirstOrDefault(y => y.StartDate <= invoice.IssueDate && invoice.IssueDate <= y.EndDate)
              ?? throw new UnbookableDocumentException($"Octopus dossier {dossierId} has no book year for {invoice.IssueDate:yyyy-MM-dd}, the date of {invoice.Number}; create the book year in Octopus");
        if (year.Closed)
        {
            throw new UnbookableDocumentException($"the Octopus book year {year.Description} is closed, so {invoice.Number} of {invoice.IssueDate:yyyy-MM-dd} cannot be booked in it; reopen it or book the invoice by hand");
        }

        return year.BookyearId;
    }

    /// <summary>The relation by VAT number (by name when the party has none), created when Octopus does not know it yet.</summary>
    private static async Task<int> RelationIdAsync(IOctopusApi api, string token, int dossierId, Counterparty party, DocumentKind kind, CancellationToken cancellationToken)
    {
        var found = await api.FindRelationsAsync(token, dossierId, party.VatNumber, party.VatNumber is null ? party.Name : null, cancellationToken);
        if (found.FirstOrDefault(r => r.RelationId is not null) is { RelationId: { } existing })
        {
            return existing;
        }

        var created = await api.UpsertRelationAsync(token, dossierId, OctopusBookingMapper.RelationFor(party, kind), cancellationToken);
        return created.RelationId ?? throw new InvalidOperationException("Octopus created the relation but returned no relation id.");
    }

    private async Task<DeliveryResult> HandOverAsync(DeliveryContext context, OctopusSettings settings, int dossierId, CancellationToken cancellationToken)
    {
        var name = DeliveryFileName.For(context.Document.FileName, context.DeliveryId);
        var import = await _session.WithFileImportTokenAsync(settings, async token =>
        {
            // Opened inside the call: if the token is renewed, the second try streams the files afresh.
            var streams = new List<Stream>();
            try
            {
                var parts = new List<StreamPart>();
                foreach (var attachment in context.Document.Attachments)
                {
                    var stream = await context.OpenAttachmentAsync(attachment, cancellationToken);
                    streams.Add(stream);
                    parts.Add(new StreamPart(stream, name.ForAttachment(attachment.FileName), attachment.MimeType));
                }

                var document = await context.OpenDocumentAsync(cancellationToken);
                streams.Add(document);
                parts.Insert(0, new StreamPart(document, name.FileName, ContentTypeOf(context.Document)));
                return await _session.FileImport.ImportFilesAsync(token, dossierId, parts, cancellationToken);
            }
            finally
            {
                foreach (var stream in streams)
                {
                    await stream.DisposeAsync();
                }
            }
        }, cancellationToken);
        return DeliveryResult.Delivered(import.ImportId is { Length: > 0 } id ? $"import {id}: {name.FileName}" : name.FileName);
    }

    private async Task<DeliveryResult> ImportCodaAsync(DeliveryContext context, OctopusSettings settings, int dossierId, CancellationToken cancellationToken)
    {
        var name = DeliveryFileName.For(context.Document.FileName, context.DeliveryId);
        var import = await _session.WithDossierTokenAsync(settings, async token =>
        {
            await using var coda = await context.OpenDocumentAsync(cancellationToken);
            using var content = new StreamContent(coda);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            return await _session.Api.ImportCodaAsync(token, dossierId, name.FileName, content, cancellationToken);
        }, cancellationToken);
        return DeliveryResult.Delivered(import.ImportId is { } id ? $"CODA import {id}: {name.FileName}" : name.FileName);
    }

    private static string ContentTypeOf(DocumentRecord document) =>
        Path.GetExtension(document.FileName).Equals(".pdf", StringComparison.OrdinalIgnoreCase) ? "application/pdf" : "application/xml";
}

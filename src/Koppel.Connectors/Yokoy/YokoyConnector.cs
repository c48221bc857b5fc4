using System.Text.Json.Nodes;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Refit;

namespace Koppel.Connectors.Yokoy;

/// <summary>
/// Hands purchase invoices to Yokoy's accounts-payable inbox of one legal entity: a Peppol BIS UBL with its PDF to
/// <c>/invoices/einvoice</c>, a PDF without UBL to <c>/invoices/upload</c> for Yokoy's AI. Yokoy takes purchase
/// invoices only. Never twice: each created invoice gets Koppel's delivery id in its custom information
/// (<see cref="ReferenceField"/>), and before sending, the invoice is looked up by it, and a UBL also by its number and amount.
/// </summary>
public sealed class YokoyConnector(IYokoyApi api) : IConnector
{
    public const string ProviderKey = "yokoy";

    /// <summary>The custom-information field Koppel keeps its delivery id in (the only invoice data the API may change).</summary>
    public const string ReferenceField = "koppelReference";

    private const string PurchaseOnly = "Yokoy takes purchase invoices only (it is an accounts-payable tool): sales invoices, CODA bank statements, expense claims and other documents are not delivered to it; add another connection for those.";

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Yokoy (accounts payable)",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection | ConnectorCapabilities.ListAdministrations,
        Delivers = new Dictionary<DocumentKind, DeliveryMode> { [DocumentKind.PurchaseInvoice] = DeliveryMode.HandOver },
        Settings = YokoySettings.Fields,
        Notes = PurchaseOnly + " A UBL invoice goes as Peppol BIS with its PDF, a PDF alone for Yokoy's AI extraction. Yokoy publishes no rate limit "
            + "or Retry-After: Koppel backs off on 429. Koppel writes its delivery id into the invoice's custom information ('" + ReferenceField
            + "') to find it again; if Yokoy only keeps custom fields that an admin defined, define that one. There is no paid status in Yokoy.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        YokoySettings? settings = null;
        var document = context.Document;
        var what = $"sending {document.FileName} ({document.Number ?? document.Kind.ToString()})";
        try
        {
            settings = YokoySettings.From(context.Settings);
            if (document.Kind != DocumentKind.PurchaseInvoice)
            {
                return DeliveryResult.Permanent($"Not sent: {PurchaseOnly}");
            }

            var isUbl = document.Format is DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote;
            if (!isUbl && document.Format != DocumentFormat.Pdf)
            {
                return DeliveryResult.Permanent($"Yokoy takes a purchase invoice as Peppol UBL or as PDF; {document.FileName} is neither.");
            }

            if (await FindEarlierAsync(settings, context, isUbl, cancellationToken) is { } earlier)
            {
                return DeliveryResult.Delivered($"invoice {earlier}");
            }

            var created = isUbl ? await SendUblAsync(settings, context, cancellationToken) : await SendPdfAsync(settings, context, cancellationToken);
            var id = FirstId(created) ?? throw new InvalidOperationException("Yokoy accepted the invoice but answered without its id.");
            await MarkAsync(settings, id, context.DeliveryId, cancellationToken);
            return DeliveryResult.Delivered($"invoice {id}");
        }
        catch (Exception e) when (YokoyErrors.Describe(e, what, settings?.Redactor ?? new SecretRedactor(), cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    public void ValidateSettings(ConnectorSettings settings) => YokoySettings.From(settings);

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        YokoySettings? parsed = null;
        try
        {
            parsed = YokoySettings.From(settings, forTest: true);
            var entities = (await api.LegalEntitiesAsync(parsed.Login, parsed.OrganizationId, cancellationToken)).LegalEntities ?? [];
            var choices = entities.Select(e => new ConnectionChoice(YokoySettings.LegalEntityKey, e.Id, e.Code is { Length: > 0 } code ? $"{e.Name} ({code})" : e.Name ?? e.Id)).ToList();
            if (entities.Count == 0)
            {
                return new ConnectionTestResult(false, $"Yokoy accepted the API client, but organisation {parsed.OrganizationId} shows it no legal entity.");
            }

            var list = string.Join(", ", choices.Select(c => c.Label));
            if (parsed.LegalEntityId is null)
            {
                return new ConnectionTestResult(true, $"Connected to Yokoy organisation {parsed.OrganizationId}. Choose the legal entity: {list}. {PurchaseOnly}") { Choices = choices };
            }

            return entities.Any(e => e.Id == parsed.LegalEntityId)
                ? new ConnectionTestResult(true, $"Connected to Yokoy organisation {parsed.OrganizationId}; purchase invoices go to legal entity {choices.First(c => c.Value == parsed.LegalEntityId).Label}. {PurchaseOnly}") { Choices = choices }
                : new ConnectionTestResult(false, $"Yokoy organisation {parsed.OrganizationId} has no legal entity '{parsed.LegalEntityId}'; choose one of: {list}.") { Choices = choices };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var redactor = parsed?.Redactor ?? new SecretRedactor();
            var reason = YokoyErrors.Describe(e, "testing the connection", redactor, CancellationToken.None)?.Reason ?? redactor.Redact($"Yokoy failed while testing the connection: {e.Message}");
            return new ConnectionTestResult(false, reason) { CredentialsRejected = YokoyErrors.IsCredentialsRejected(e) };
        }
    }

    /// <summary>The id of the invoice an earlier try of this delivery created, found by Koppel's reference or (UBL) by number and amount.</summary>
    private async Task<string?> FindEarlierAsync(YokoySettings settings, DeliveryContext context, bool isUbl, CancellationToken cancellationToken)
    {
        var byReference = await api.FindInvoicesAsync(settings.Login, settings.OrganizationId, settings.LegalEntityId!, $"customInformation.{ReferenceField} eq {Scim(context.DeliveryId)}", 10, cancellationToken);
        if (byReference.Invoices is [var marked, ..])
        {
            return marked.Id;
        }

        // A crash between creating the invoice and marking it: the UBL's number and total find it (a PDF has neither yet).
        if (!isUbl || context.Document.Number is not { Length: > 0 } number)
        {
            return null;
        }

        var byNumber = await api.FindInvoicesAsync(settings.Login, settings.OrganizationId, settings.LegalEntityId!, $"invoiceNumber eq {Scim(number)}", 100, cancellationToken);
        var unmarked = byNumber.Invoices?.FirstOrDefault(i =>
            i.CustomInformation?[ReferenceField] is null
            && (context.Document.PayableAmount is not { } amount || i.GrossAmount is not { } gross || gross == amount));
        if (unmarked is not null)
        {
            await MarkAsync(settings, unmarked.Id, context.DeliveryId, cancellationToken);
        }

        return unmarked?.Id;
    }

    private async Task<JsonNode> SendUblAsync(YokoySettings settings, DeliveryContext context, CancellationToken cancellationToken)
    {
        var document = context.Document;
        await using var ubl = await context.OpenDocumentAsync(cancellationToken);
        var invoiceData = new StreamPart(ubl, document.FileName, "application/xml");
        if (document.Attachments.FirstOrDefault(a => a.MimeType == "application/pdf") is not { } pdfAttachment)
        {
            return await api.EInvoiceWithoutPdfAsync(settings.Login, settings.OrganizationId, settings.LegalEntityId!, "peppolBis", invoiceData, cancellationToken);
        }

        await using var pdf = await context.OpenAttachmentAsync(pdfAttachment, cancellationToken);
        return await api.EInvoiceAsync(settings.Login, settings.OrganizationId, settings.LegalEntityId!, "peppolBis", invoiceData, new StreamPart(pdf, pdfAttachment.FileName, "application/pdf"), cancellationToken);
    }

    private async Task<JsonNode> SendPdfAsync(YokoySettings settings, DeliveryContext context, CancellationToken cancellationToken)
    {
        await using var pdf = await context.OpenDocumentAsync(cancellationToken);
        return await api.UploadAsync(settings.Login, settings.OrganizationId, settings.LegalEntityId!, new StreamPart(pdf, context.Document.FileName, "application/pdf"), cancellationToken);
    }

    /// <summary>
    /// Writes the delivery id into the invoice's custom information. The invoice is in Yokoy whatever happens here, so
    /// a failure is not a failed delivery: only the look-up of a later retry loses its first key (number and amount remain).
    /// </summary>
    private async Task MarkAsync(YokoySettings settings, string invoiceId, string deliveryId, CancellationToken cancellationToken)
    {
        try
        {
            await api.UpdateInvoiceAsync(settings.Login, settings.OrganizationId, settings.LegalEntityId!, invoiceId, new YokoyInvoicePatch(new Dictionary<string, string> { [ReferenceField] = deliveryId }), cancellationToken);
        }
        catch (ApiException)
        {
        }
        catch (HttpRequestException)
        {
        }
    }

    /// <summary>The first <c>id</c> of a create answer: Yokoy answers with the invoice, or a list of the invoices it made.</summary>
    private static string? FirstId(JsonNode? node) => node switch
    {
        JsonObject obj when obj["id"] is JsonValue v => v.ToString(),
        JsonObject obj => obj.Select(p => FirstId(p.Value)).FirstOrDefault(id => id is not null),
        JsonArray array => array.Select(FirstId).FirstOrDefault(id => id is not null),
        _ => null,
    };

    private static string Scim(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

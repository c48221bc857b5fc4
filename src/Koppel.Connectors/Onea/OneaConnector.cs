using System.Net;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.Onea;

/// <summary>
/// Hands UBL invoices to the Onea bridge of the dossier's package (Exact, Venice or Octopus): purchase invoices as
/// incoming, sales invoices as outgoing e-invoices. Onea answers with a uuid, which is the delivery's reference and
/// reads back the processing status (<see cref="ReadStatusAsync"/>).
/// </summary>
public sealed class OneaConnector(IOneaApi api) : IConnector, IDeliveryStatusReader
{
    public const string ProviderKey = "onea";

    private const string Reference = "onea ";

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Onea (e-invoice bridge for Exact, Venice, Octopus)",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection,
        Delivers = new Dictionary<DocumentKind, DeliveryMode>
        {
            [DocumentKind.SalesInvoice] = DeliveryMode.HandOver,
            [DocumentKind.PurchaseInvoice] = DeliveryMode.HandOver,
        },
        Settings = OneaSettings.Fields,
        Notes = "UBL invoices and credit notes only: purchase as Onea 'incoming', sales as 'outgoing'. Onea publishes no call for CODA, PDFs, "
            + "relations or administrations, none to check an API key before the first delivery, no limits, and not the list of its status values "
            + "(OneaStatusWords reads them). Onea has no look-up by Koppel's reference: after a lost answer the retry posts again, and the package's "
            + "own duplicate check (same supplier and number) is the last guard. The status is read back by uuid (IDeliveryStatusReader) "
            + "by the read-back job every 30 minutes and written into the document's history when it changes.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        OneaSettings? settings = null;
        var document = context.Document;
        var what = $"sending {document.FileName} ({document.Number ?? document.Kind.ToString()})";
        try
        {
            settings = OneaSettings.From(context.Settings);
            if (document.Kind is not (DocumentKind.SalesInvoice or DocumentKind.PurchaseInvoice))
            {
                return DeliveryResult.Permanent($"Onea takes sales and purchase e-invoices only, not {document.Kind} documents; add an e-mail or SFTP connection for those.");
            }

            if (document.Format is not (DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote))
            {
                return DeliveryResult.Permanent($"Onea takes e-invoices as UBL only; {document.FileName} is not a UBL invoice or credit note.");
            }

            string data;
            await using (var content = await context.OpenDocumentAsync(cancellationToken))
            using (var buffer = new MemoryStream())
            {
                await content.CopyToAsync(buffer, cancellationToken);
                data = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
            }

            var invoice = new OneaEInvoice(settings.ApiKey, data, null);
            var transfer = document.Kind == DocumentKind.PurchaseInvoice
                ? await api.IncomingAsync(invoice, cancellationToken)
                : await api.OutgoingAsync(invoice, cancellationToken);
            return string.IsNullOrWhiteSpace(transfer.Uuid)
                ? DeliveryResult.Transient("Onea accepted the invoice but answered without its uuid.")
                : DeliveryResult.Delivered(Reference + transfer.Uuid);
        }
        catch (Exception e) when (Describe(e, what, settings?.Redactor ?? new SecretRedactor(), cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    public void ValidateSettings(ConnectorSettings settings) => OneaSettings.From(settings);

    /// <summary>
    /// Onea has no call that checks a key: the test checks the settings and that the Transfer API answers (a status
    /// read of an unknown uuid), and says the key is checked by the first delivery.
    /// </summary>
    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        OneaSettings? parsed = null;
        try
        {
            parsed = OneaSettings.From(settings);
            try
            {
                await api.StatusAsync("00000000-0000-0000-0000-000000000000", cancellationToken);
            }
            catch (ApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            {
                // An unknown uuid: Onea answered, which is all this call can show.
            }

            return new ConnectionTestResult(true, $"Onea's Transfer API answers. Onea publishes no call to check an API key, so the key from {OneaSettings.Portals[parsed.Platform]} ({parsed.Platform}) is checked by the first delivery. Onea takes UBL sales and purchase invoices only.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var redactor = parsed?.Redactor ?? new SecretRedactor();
            return new ConnectionTestResult(false, Describe(e, "testing the connection", redactor, CancellationToken.None)?.Reason ?? redactor.Redact($"Onea failed while testing the connection: {e.Message}"));
        }
    }

    /// <summary>What Onea made of an invoice delivered earlier, by the reference the delivery returned (<c>onea {uuid}</c>).</summary>
    public async Task<ProviderStatus> ReadStatusAsync(ConnectorSettings settings, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var uuid = reference.StartsWith(Reference, StringComparison.Ordinal) ? reference[Reference.Length..] : reference;
        if (!Guid.TryParse(uuid, out _))
        {
            throw new ArgumentException($"'{reference}' is not an Onea delivery reference.", nameof(reference));
        }

        try
        {
            return OneaStatusWords.Read(await api.StatusAsync(uuid, cancellationToken));
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return new ProviderStatus(ProviderStatusKind.Failed, $"Onea does not know the invoice {uuid} (any more).");
        }
    }

    private static DeliveryResult? Describe(Exception exception, string what, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        DeliveryResult? result = exception switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            ConnectorConfigurationException e => DeliveryResult.Permanent(e.Message),
            ApiRequestException or HttpRequestException => DeliveryResult.Transient($"Onea did not answer while {what}; it may have arrived, Onea offers no look-up to check."),
            TimeoutRejectedException or TaskCanceledException => DeliveryResult.Transient($"Onea took too long while {what}."),
            ApiException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } =>
                DeliveryResult.ConnectionBroken("Onea refused the API key of this connection; take the dossier's key from the Onea portal of its package and enter it again."),
            ApiException { StatusCode: HttpStatusCode.TooManyRequests } e => DeliveryResult.Transient($"Onea asks Koppel to slow down while {what}.", e.Headers.RetryAfter?.Delta),
            ApiException { StatusCode: >= HttpStatusCode.InternalServerError } e => DeliveryResult.Transient($"Onea had a problem of its own while {what} ({(int)e.StatusCode}); Koppel tries again later.", e.Headers.RetryAfter?.Delta),
            ApiException e => DeliveryResult.Permanent($"Onea refused {what}{(string.IsNullOrWhiteSpace(e.Content) ? "." : $": {e.Content[..Math.Min(e.Content.Length, 300)]}")}"),
            _ => null,
        };
        return result switch
        {
            null or { Reason: null } => result,
            { ConnectionProblem: not null } => DeliveryResult.ConnectionBroken(redactor.Redact(result.Reason)),
            { Kind: DeliveryResultKind.Transient } => DeliveryResult.Transient(redactor.Redact(result.Reason), result.RetryAfter),
            _ => DeliveryResult.Permanent(redactor.Redact(result.Reason)),
        };
    }
}

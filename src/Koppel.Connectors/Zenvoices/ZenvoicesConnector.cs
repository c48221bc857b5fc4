using System.Net;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.Zenvoices;

/// <summary>
/// Puts purchase invoices (UBL or PDF) into the inbox of one Zenvoices company, where Zenvoices' AP workflow picks
/// them up. Zenvoices is AP-only. The upload call itself is unverified (<see cref="IZenvoicesInboxUpload"/>).
/// </summary>
public sealed class ZenvoicesConnector(ZenvoicesSession session, IZenvoicesInboxUpload inbox) : IConnector
{
    public const string ProviderKey = "zenvoices";

    public const string UnverifiedUpload = "The upload into the Zenvoices inbox (" + IZenvoicesInboxUpload.Path + ") is not verified: its path and payload were not "
        + "captured from Zenvoices' public Swagger, so the first delivery shows whether it works.";

    private const string PurchaseOnly = "Zenvoices takes purchase invoices only (it is an accounts-payable tool): sales invoices, CODA statements and other documents are not delivered to it.";

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Zenvoices (accounts payable)",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection | ConnectorCapabilities.ListAdministrations,
        Delivers = new Dictionary<DocumentKind, DeliveryMode> { [DocumentKind.PurchaseInvoice] = DeliveryMode.HandOver },
        Settings = ZenvoicesSettings.Fields,
        Notes = PurchaseOnly + " " + UnverifiedUpload + " Zenvoices publishes no look-up of inbox documents, no limits, no error format and no payment status: "
            + "after a lost answer the retry uploads again.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ZenvoicesSettings? settings = null;
        var document = context.Document;
        var what = $"uploading {document.FileName} ({document.Number ?? document.Kind.ToString()})";
        try
        {
            settings = ZenvoicesSettings.From(context.Settings);
            if (document.Kind != DocumentKind.PurchaseInvoice)
            {
                return DeliveryResult.Permanent($"Not sent: {PurchaseOnly}");
            }

            if (document.Format is not (DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote or DocumentFormat.Pdf))
            {
                return DeliveryResult.Permanent($"Zenvoices takes a purchase invoice as UBL or PDF; {document.FileName} is neither.");
            }

            var token = await session.AccessTokenAsync(settings, cancellationToken);
            await using var content = await context.OpenDocumentAsync(cancellationToken);
            var mime = document.Format == DocumentFormat.Pdf ? "application/pdf" : "application/xml";
            try
            {
                var uploaded = await inbox.UploadAsync(token, settings.Company!, new StreamPart(content, DeliveryFileName.For(document.FileName, context.DeliveryId, document.Format).FileName, mime), cancellationToken);
                return DeliveryResult.Delivered($"inbox {uploaded.Result?.Id ?? document.FileName}");
            }
            catch (ApiException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
            {
                session.Forget(settings);
                throw;
            }
        }
        catch (Exception e) when (Describe(e, what, settings?.Redactor ?? new SecretRedactor(), cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    public void ValidateSettings(ConnectorSettings settings) => ZenvoicesSettings.From(settings);

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        ZenvoicesSettings? parsed = null;
        try
        {
            parsed = ZenvoicesSettings.From(settings, forTest: true);
            var token = await session.AccessTokenAsync(parsed, cancellationToken);
            var companies = (await session.Api.CompaniesAsync(token, cancellationToken)).Result?.Items ?? [];
            var choices = companies.Select(c => new ConnectionChoice(ZenvoicesSettings.CompanyKey, c.Code, c.Name is null ? c.Code : $"{c.Name} ({c.Code})")).ToList();
            var list = string.Join(", ", choices.Select(c => c.Label));
            if (parsed.Company is not null && !companies.Any(c => c.Code == parsed.Company))
            {
                return new ConnectionTestResult(false, $"Logged in to Zenvoices organisation {parsed.Organisation}, but it has no company '{parsed.Company}'; choose one of: {list}. {UnverifiedUpload}") { Choices = choices };
            }

            var target = parsed.Company is null ? $"Choose the company: {list}." : $"Purchase invoices go to the inbox of company {parsed.Company}.";
            return new ConnectionTestResult(true, $"Logged in to Zenvoices organisation {parsed.Organisation} as {parsed.User}. {target} {UnverifiedUpload}") { Choices = choices };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var redactor = parsed?.Redactor ?? new SecretRedactor();
            var reason = Describe(e, "testing the connection", redactor, CancellationToken.None)?.Reason ?? redactor.Redact($"Zenvoices failed while testing the connection: {e.Message}");
            return new ConnectionTestResult(false, reason) { CredentialsRejected = e is ZenvoicesLoginRefusedException };
        }
    }

    private static DeliveryResult? Describe(Exception exception, string what, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        DeliveryResult? result = exception switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            ConnectorConfigurationException e => DeliveryResult.Permanent(e.Message),
            ZenvoicesLoginRefusedException e => DeliveryResult.ConnectionBroken(e.Message),
            ApiRequestException or HttpRequestException => DeliveryResult.Transient($"Zenvoices did not answer while {what}."),
            TimeoutRejectedException or TaskCanceledException => DeliveryResult.Transient($"Zenvoices took too long while {what}."),
            ApiException { StatusCode: HttpStatusCode.Unauthorized } => DeliveryResult.Transient($"Zenvoices refused Koppel's access token while {what}; Koppel logs in again and tries again."),
            ApiException { StatusCode: HttpStatusCode.Forbidden } => DeliveryResult.ConnectionBroken($"Zenvoices refused access while {what}; give the API user the API permissions Inbox and Companies → List."),
            ApiException { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed } =>
                DeliveryResult.Permanent($"Zenvoices does not know the call Koppel used while {what}. {UnverifiedUpload}"),
            ApiException { StatusCode: HttpStatusCode.TooManyRequests } e => DeliveryResult.Transient($"Zenvoices asks Koppel to slow down while {what}.", e.Headers.RetryAfter?.Delta),
            ApiException { StatusCode: >= HttpStatusCode.InternalServerError } e => DeliveryResult.Transient($"Zenvoices had a problem of its own while {what} ({(int)e.StatusCode}).", e.Headers.RetryAfter?.Delta),
            ApiException e => DeliveryResult.Permanent($"Zenvoices refused {what}{(string.IsNullOrWhiteSpace(e.Content) ? "." : $": {e.Content[..Math.Min(e.Content.Length, 300)]}")}"),
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

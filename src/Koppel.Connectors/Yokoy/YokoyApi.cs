using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Refit;

namespace Koppel.Connectors.Yokoy;

/// <summary>
/// The Yokoy REST API (OpenAPI 3, developer.yokoy.ai) as far as Koppel uses it, relative to
/// <c>https://api.yokoy.ai/v1/</c>. Every call carries the connection's login as a request property: the
/// <see cref="YokoyAuthHandler"/> turns it into the bearer token and adds <c>X-Yk-Auth-Method: yokoy</c>.
/// </summary>
public interface IYokoyApi
{
    [Get("/organizations/{organizationId}/legal-entities")]
    Task<YokoyLegalEntities> LegalEntitiesAsync([Property(YokoyAuthHandler.LoginProperty)] YokoyLogin login, string organizationId, CancellationToken cancellationToken);

    /// <summary>Invoices of a legal entity matching a SCIM filter, e.g. <c>invoiceNumber eq "F-1"</c>.</summary>
    [Get("/organizations/{organizationId}/legal-entities/{legalEntityId}/invoices")]
    Task<YokoyInvoices> FindInvoicesAsync([Property(YokoyAuthHandler.LoginProperty)] YokoyLogin login, string organizationId, string legalEntityId, [Query] string filter, [Query] int count, CancellationToken cancellationToken);

    [Get("/organizations/{organizationId}/legal-entities/{legalEntityId}/invoices/{invoiceId}")]
    Task<YokoyInvoice> InvoiceAsync([Property(YokoyAuthHandler.LoginProperty)] YokoyLogin login, string organizationId, string legalEntityId, string invoiceId, CancellationToken cancellationToken);

    /// <summary>A purchase e-invoice: <c>standard</c> = peppolBis, the UBL as <c>invoiceData</c>, its PDF as <c>pdf</c>.</summary>
    [Multipart]
    [Post("/organizations/{organizationId}/legal-entities/{legalEntityId}/invoices/einvoice")]
    Task<JsonNode> EInvoiceAsync([Property(YokoyAuthHandler.LoginProperty)] YokoyLogin login, string organizationId, string legalEntityId, [AliasAs("standard")] string standard, [AliasAs("invoiceData")] StreamPart invoiceData, [AliasAs("pdf")] StreamPart pdf, CancellationToken cancellationToken);

    [Multipart]
    [Post("/organizations/{organizationId}/legal-entities/{legalEntityId}/invoices/einvoice")]
    Task<JsonNode> EInvoiceWithoutPdfAsync([Property(YokoyAuthHandler.LoginProperty)] YokoyLogin login, string organizationId, string legalEntityId, [AliasAs("standard")] string standard, [AliasAs("invoiceData")] StreamPart invoiceData, CancellationToken cancellationToken);

    /// <summary>A PDF for Yokoy's AI extraction; its fields are filled in later (status 8, waiting for async input).</summary>
    [Multipart]
    [Post("/organizations/{organizationId}/legal-entities/{legalEntityId}/invoices/upload")]
    Task<JsonNode> UploadAsync([Property(YokoyAuthHandler.LoginProperty)] YokoyLogin login, string organizationId, string legalEntityId, [AliasAs("file")] StreamPart file, CancellationToken cancellationToken);

    /// <summary>Only the custom information of an invoice may be changed through the API: Koppel keeps its reference there.</summary>
    [Patch("/organizations/{organizationId}/legal-entities/{legalEntityId}/invoices/{invoiceId}")]
    Task<JsonNode> UpdateInvoiceAsync([Property(YokoyAuthHandler.LoginProperty)] YokoyLogin login, string organizationId, string legalEntityId, string invoiceId, [Body] YokoyInvoicePatch patch, CancellationToken cancellationToken);
}

/// <summary>Yokoy's token endpoint (<c>POST /oauth2/token</c>, client credentials, HTTP Basic; no scopes, no refresh token).</summary>
public interface IYokoyTokenApi
{
    [Post("/oauth2/token")]
    Task<YokoyToken> TokenAsync([Header("Authorization")] string basic, [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);
}

public sealed record YokoyToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn)
{
    public override string ToString() => $"token (hidden), {ExpiresIn} s";
}

public sealed record YokoyLegalEntity(string Id, string? Code, string? Name);

public sealed record YokoyLegalEntities(IReadOnlyList<YokoyLegalEntity>? LegalEntities);

public sealed record YokoyInvoice(string Id, string? Status, string? InvoiceNumber, decimal? GrossAmount, JsonObject? CustomInformation);

public sealed record YokoyInvoices(IReadOnlyList<YokoyInvoice>? Invoices);

public sealed record YokoyInvoicePatch(IReadOnlyDictionary<string, string> CustomInformation);

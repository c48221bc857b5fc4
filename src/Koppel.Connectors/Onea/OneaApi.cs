using System.Text.Json.Serialization;
using Refit;

namespace Koppel.Connectors.Onea;

/// <summary>
/// The Onea Transfer API (dev.onea.be), relative to <c>https://transfer.onea.be/restv1/</c>: an e-invoice is posted
/// as base64 UBL with the dossier's API key in the body and answered with a uuid; its status is read by that uuid
/// without a key.
/// </summary>
public interface IOneaApi
{
    /// <summary>A purchase invoice into the package (Onea: incoming).</summary>
    [Post("/einvoice/incoming")]
    Task<OneaTransfer> IncomingAsync([Body] OneaEInvoice invoice, CancellationToken cancellationToken);

    /// <summary>A sales invoice into the package (Onea: outgoing).</summary>
    [Post("/einvoice/outgoing")]
    Task<OneaTransfer> OutgoingAsync([Body] OneaEInvoice invoice, CancellationToken cancellationToken);

    [Get("/einvoice/status/{uuid}")]
    Task<OneaStatus> StatusAsync(string uuid, CancellationToken cancellationToken);
}

public sealed record OneaEInvoice(
    [property: JsonPropertyName("apiKey")] string ApiKey,
    [property: JsonPropertyName("eInvoiceData")] string EInvoiceData,
    [property: JsonPropertyName("callbackURL")] string? CallbackUrl)
{
    /// <summary>Records print their members; this one carries the API key and must never show it.</summary>
    public override string ToString() => "onea e-invoice (key hidden)";
}

public sealed record OneaTransfer(string Uuid);

/// <summary>Onea's processing status. Its values are not published: <see cref="OneaStatusWords"/> reads them.</summary>
public sealed record OneaStatus(string? Uuid, string? Status, string? Id, string? Message);

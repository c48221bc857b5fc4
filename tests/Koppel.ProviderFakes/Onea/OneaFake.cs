using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.Onea;

/// <summary>
/// A fake of the Onea Transfer API as docs/providers.md §10 describes it: <c>POST /einvoice/incoming</c> and
/// <c>/einvoice/outgoing</c> with <c>{apiKey, eInvoiceData (base64 UBL), callbackURL?}</c> answering <c>{uuid}</c>,
/// and <c>GET /einvoice/status/{uuid}</c> without a key. The status values are an assumption (processing,
/// processed, error), as in the connector. Transfers stay inspectable; switches inject failures.
/// </summary>
public sealed class OneaFake : IProviderFake
{
    public const string ApiKey = "onea-fake-dossier-key";

    private int _failNext;
    private int _failStatus;

    public string PathPrefix => "onea";

    public ConcurrentDictionary<Guid, OneaFakeTransfer> Transfers { get; } = new();

    /// <summary>The next post is refused with 400 and this message.</summary>
    public string? RejectNext { get; set; }

    /// <summary>The next <paramref name="count"/> calls answer <paramref name="status"/>.</summary>
    public void FailNext(int status, int count = 1)
    {
        _failNext = count;
        _failStatus = status;
    }

    /// <summary>Onea's bridge finishes a transfer: its status becomes <paramref name="status"/>.</summary>
    public void Finish(Guid uuid, string status, string? message = null, string? id = null) =>
        Transfers[uuid] = Transfers[uuid] with { Status = status, Message = message, TargetId = id };

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/einvoice/{direction}", async (HttpContext http, string direction) => Fail() ?? await PostAsync(http, direction));
        routes.MapGet("/einvoice/status/{uuid}", (string uuid) => Fail() ?? (Guid.TryParse(uuid, out var id) && Transfers.TryGetValue(id, out var transfer)
            ? Results.Json(new JsonObject { ["uuid"] = uuid, ["status"] = transfer.Status, ["id"] = transfer.TargetId, ["message"] = transfer.Message })
            : Results.Json(new JsonObject { ["message"] = "Unknown uuid" }, statusCode: 404)));
    }

    private async Task<IResult> PostAsync(HttpContext http, string direction)
    {
        if (direction is not ("incoming" or "outgoing"))
        {
            return Results.NotFound();
        }

        var body = await JsonNode.ParseAsync(http.Request.Body);
        if ((string?)body?["apiKey"] != ApiKey)
        {
            return Results.Json(new JsonObject { ["message"] = "Invalid API key" }, statusCode: 401);
        }

        if (RejectNext is { } reject)
        {
            RejectNext = null;
            return Results.Json(new JsonObject { ["message"] = reject }, statusCode: 400);
        }

        byte[] ubl;
        try
        {
            ubl = Convert.FromBase64String((string?)body?["eInvoiceData"] ?? string.Empty);
        }
        catch (FormatException)
        {
            return Results.Json(new JsonObject { ["message"] = "eInvoiceData is not base64" }, statusCode: 400);
        }

        var uuid = Guid.NewGuid();
        Transfers[uuid] = new OneaFakeTransfer(direction, ubl, (string?)body?["callbackURL"]);
        return Results.Json(new JsonObject { ["uuid"] = uuid.ToString() });
    }

    private IResult? Fail()
    {
        if (_failNext <= 0)
        {
            return null;
        }

        _failNext--;
        return Results.Json(new JsonObject { ["message"] = "Service unavailable" }, statusCode: _failStatus);
    }
}

/// <summary>One posted e-invoice as the Onea fake keeps it.</summary>
public sealed record OneaFakeTransfer(string Direction, byte[] Ubl, string? CallbackUrl)
{
    public string Status { get; init; } = "processing";

    public string? Message { get; init; }

    public string? TargetId { get; init; }
}

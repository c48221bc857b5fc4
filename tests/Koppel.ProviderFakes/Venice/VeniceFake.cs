using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.Venice;

/// <summary>
/// A fake of Venice WebConnect as docs/providers.md §3 describes it: <c>/{DossierId}/{FinancialYear}/{Object}</c>,
/// HTTP Basic, the <c>{"Request": {"&lt;ObjectPlural&gt;": {"&lt;Object&gt;": [ {"Fields", "Entries"} ]}}}</c> envelope
/// and a <c>SystemNumber</c> in the answer; <c>SyncReference</c> is unique per object. The read-by-key call
/// (<c>GET …/{Object}?{Field}={value}</c>) and the error body (<c>{"Error": {"Message"}}</c>) are assumptions, as
/// in the connector, since the public pages do not show them. Records stay inspectable; switches inject failures.
/// </summary>
public sealed class VeniceFake : IProviderFake
{
    public const string User = "venice-admin";
    public const string Password = "venice-fake-password";
    public const string Dossier = "DEMO01";

    private static readonly Dictionary<string, string> Plurals = new(StringComparer.Ordinal)
    {
        ["Sales"] = "Sales",
        ["Purchase"] = "Purchases",
        ["Customer"] = "Customers",
        ["Supplier"] = "Suppliers",
    };

    private readonly Lock _gate = new();
    private long _nextSystemNumber = 1000;
    private int _failNext;
    private int _failStatus;

    public string PathPrefix => "venice";

    /// <summary>Dossiers and the financial years WebConnect answers for.</summary>
    public Dictionary<string, int[]> Years { get; } = new() { [Dossier] = [2025, 2026] };

    public ConcurrentQueue<VeniceRecord> Records { get; } = new();

    /// <summary>The next <paramref name="count"/> calls answer <paramref name="status"/>.</summary>
    public void FailNext(int status, int count = 1)
    {
        lock (_gate)
        {
            _failNext = count;
            _failStatus = status;
        }
    }

    /// <summary>The next record is created, then the connection drops before the answer leaves.</summary>
    public bool LoseNextCreateResponse { get; set; }

    /// <summary>The next Sales or Purchase is refused with 400 and this message.</summary>
    public string? RejectNextBooking { get; set; }

    public IEnumerable<VeniceRecord> Of(string objectName) => Records.Where(r => r.ObjectName == objectName);

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/{dossier}/{year:int}/{objectName}", async (HttpContext http, string dossier, int year, string objectName) =>
            Check(http, dossier, year, objectName) ?? await CreateAsync(http, dossier, year, objectName));
        routes.MapGet("/{dossier}/{year:int}/{objectName}", (HttpContext http, string dossier, int year, string objectName) =>
            Check(http, dossier, year, objectName) ?? Find(http, dossier, year, objectName));
    }

    private async Task<IResult> CreateAsync(HttpContext http, string dossier, int year, string objectName)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body);
        var list = body?["Request"]?[Plurals[objectName]]?[objectName]?.AsArray();
        if (list is null || list.Count == 0 || list[0]?["Fields"] is not JsonObject fields)
        {
            return Error(400, $"The request does not hold Request.{Plurals[objectName]}.{objectName}[].Fields.");
        }

        var entries = list[0]?["Entries"]?.AsArray();
        if (objectName is "Sales" or "Purchase")
        {
            if (RejectNextBooking is { } reject)
            {
                RejectNextBooking = null;
                return Error(400, reject);
            }

            var relation = objectName == "Sales" ? "Customer" : "Supplier";
            var relationNumber = (long?)fields[relation];
            if (relationNumber is null || !Records.Any(r => r.ObjectName == relation && r.SystemNumber == relationNumber && r.Dossier == dossier))
            {
                return Error(400, $"{relation} {relationNumber} does not exist.");
            }

            if (entries is null || entries.Count == 0 || string.IsNullOrEmpty((string?)fields["Book"]))
            {
                return Error(400, "A booking needs a Book and at least one entry.");
            }

            var sync = (string?)fields["SyncReference"];
            if (sync is not null && Records.Any(r => r.ObjectName == objectName && r.Dossier == dossier && (string?)r.Fields["SyncReference"] == sync))
            {
                return Error(409, $"SyncReference {sync} is already used.");
            }
        }

        var number = Interlocked.Increment(ref _nextSystemNumber);
        Records.Enqueue(new VeniceRecord(dossier, year, objectName, number, (JsonObject)fields.DeepClone(), (JsonArray?)entries?.DeepClone()));
        if (LoseNextCreateResponse && objectName is "Sales" or "Purchase")
        {
            LoseNextCreateResponse = false;
            http.Abort();
            return Results.Empty;
        }

        return Results.Json(Envelope("Response", objectName, [new JsonObject { ["SystemNumber"] = number }]));
    }

    private IResult Find(HttpContext http, string dossier, int year, string objectName)
    {
        var matches = Records.Where(r => r.Dossier == dossier && r.ObjectName == objectName && (objectName is "Customer" or "Supplier" || r.Year == year))
            .Where(r => http.Request.Query.All(q => (string?)r.Fields[q.Key]?.ToString() == q.Value.ToString()))
            .Select(r =>
            {
                var fields = (JsonObject)r.Fields.DeepClone();
                fields["SystemNumber"] = r.SystemNumber;
                return (JsonNode)new JsonObject { ["Fields"] = fields };
            })
            .ToArray();
        return Results.Json(Envelope("Response", objectName, matches));
    }

    private IResult? Check(HttpContext http, string dossier, int year, string objectName)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        if (http.Request.Headers.Authorization.ToString() != expected)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"WebConnect\"";
            return Error(401, "Invalid user name or password.");
        }

        lock (_gate)
        {
            if (_failNext > 0)
            {
                _failNext--;
                return Error(_failStatus, "The service is temporarily unavailable.");
            }
        }

        if (!Years.TryGetValue(dossier, out var years) || !years.Contains(year))
        {
            return Error(404, $"Dossier {dossier} has no financial year {year} in WebConnect.");
        }

        return Plurals.ContainsKey(objectName) ? null : Error(404, $"Unknown object {objectName}.");
    }

    private static JsonObject Envelope(string root, string objectName, JsonNode[] records) =>
        new() { [root] = new JsonObject { [Plurals[objectName]] = new JsonObject { [objectName] = new JsonArray(records) } } };

    private static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["Error"] = new JsonObject { ["Message"] = message } }, statusCode: status);
}

public sealed record VeniceRecord(string Dossier, int Year, string ObjectName, long SystemNumber, JsonObject Fields, JsonArray? Entries);

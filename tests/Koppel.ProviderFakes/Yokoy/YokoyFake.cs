using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.Yokoy;

/// <summary>
/// A fake of Yokoy as docs/providers.md §9 describes it: client-credentials tokens at <c>/accounts/oauth2/token</c>
/// (HTTP Basic, <c>expires_in</c> 3900), and under <c>/api/v1/organizations/{org}</c> the legal entities, invoice
/// look-up with a SCIM filter (<c>field eq "value"</c>), e-invoice and PDF upload (multipart), PATCH of custom
/// information. Every API call needs the bearer token and <c>X-Yk-Auth-Method: yokoy</c>. Switches inject 429 and
/// 5xx answers, a lost answer after creating, and expired tokens.
/// </summary>
public sealed class YokoyFake : IProviderFake
{
    public const string ClientId = "yokoy-client";
    public const string ClientSecret = "yokoy-fake-client-secret";
    public const string Organization = "org-demo";

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private int _nextId;
    private int _failNext;
    private int _failStatus;
    private string? _retryAfter;
    private (int Status, string? RetryAfter)? _failNextCreate;

    public string PathPrefix => "yokoy";

    public Dictionary<string, (string Code, string Name)> LegalEntities { get; } = new()
    {
        ["le-be"] = ("BE01", "Bakkerij Peeters BV"),
        ["le-nl"] = ("NL01", "Bakkerij Peeters Nederland BV"),
    };

    public ConcurrentQueue<YokoyFakeInvoice> Invoices { get; } = new();

    /// <summary>How many tokens were issued.</summary>
    public int TokensIssued { get; private set; }

    /// <summary>API calls that came without <c>X-Yk-Auth-Method: yokoy</c> (answered 400).</summary>
    public int CallsWithoutAuthMethod { get; private set; }

    /// <summary>The next create answers 400 with this message.</summary>
    public string? RejectNextInvoice { get; set; }

    /// <summary>The next invoice is created, then the connection drops before the answer leaves.</summary>
    public bool LoseNextCreateResponse { get; set; }

    /// <summary>Every PATCH answers 500 (the invoice stays without Koppel's reference).</summary>
    public bool FailPatches { get; set; }

    /// <summary>The next <paramref name="count"/> API calls answer <paramref name="status"/>, with a Retry-After header when given.</summary>
    public void FailNext(int status, int count = 1, string? retryAfter = null)
    {
        lock (_gate)
        {
            _failNext = count;
            _failStatus = status;
            _retryAfter = retryAfter;
        }
    }

    /// <summary>The next create (e-invoice or upload) answers <paramref name="status"/>, with a Retry-After header when given, and creates nothing.</summary>
    public void FailNextCreate(int status, string? retryAfter = null) => _failNextCreate = (status, retryAfter);

    /// <summary>Every token issued so far stops working (Yokoy answers 401 to it).</summary>
    public void ExpireTokens() => _tokens.Clear();

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/accounts/oauth2/token", (Func<HttpContext, Task<IResult>>)Token);
        var org = routes.MapGroup("/api/v1/organizations/{org}");
        org.MapGet("/legal-entities", (HttpContext http, string org) => Check(http, org) ?? Results.Json(new JsonObject
        {
            ["legalEntities"] = new JsonArray(LegalEntities.Select(e => (JsonNode)new JsonObject { ["id"] = e.Key, ["code"] = e.Value.Code, ["name"] = e.Value.Name }).ToArray()),
        }));
        org.MapGet("/legal-entities/{le}/invoices", (HttpContext http, string org, string le) => Check(http, org, le) ?? Find(http, le));
        org.MapGet("/legal-entities/{le}/invoices/{id}", (HttpContext http, string org, string le, string id) =>
            Check(http, org, le) ?? (Invoices.FirstOrDefault(i => i.Id == id && i.LegalEntity == le) is { } invoice ? Results.Json(invoice.ToJson()) : Error(404, "Invoice not found")));
        org.MapPost("/legal-entities/{le}/invoices/einvoice", async (HttpContext http, string org, string le) => Check(http, org, le) ?? await CreateAsync(http, le, einvoice: true));
        org.MapPost("/legal-entities/{le}/invoices/upload", async (HttpContext http, string org, string le) => Check(http, org, le) ?? await CreateAsync(http, le, einvoice: false));
        org.MapPatch("/legal-entities/{le}/invoices/{id}", async (HttpContext http, string org, string le, string id) => Check(http, org, le) ?? await PatchAsync(http, le, id));
    }

    private async Task<IResult> Token(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (http.Request.Headers.Authorization.ToString() != expected)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "client_credentials")
        {
            return Results.Json(new JsonObject { ["error"] = "unsupported_grant_type" }, statusCode: 400);
        }

        var token = Guid.NewGuid().ToString("N");
        _tokens[token] = true;
        TokensIssued++;
        return Results.Json(new JsonObject { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = 3900 });
    }

    private IResult Find(HttpContext http, string le)
    {
        var filter = http.Request.Query["filter"].ToString();
        var match = Regex.Match(filter, "^([A-Za-z.]+) eq \"((?:[^\"\\\\]|\\\\.)*)\"$");
        if (!match.Success)
        {
            return Error(400, $"Unsupported filter '{filter}'.");
        }

        var field = match.Groups[1].Value;
        var value = Regex.Unescape(match.Groups[2].Value);
        var found = Invoices.Where(i => i.LegalEntity == le && i.ToJson() is var json && Path(json, field) == value).Select(i => (JsonNode)i.ToJson()).ToArray();
        return Results.Json(new JsonObject { ["invoices"] = new JsonArray(found) });
    }

    private static string? Path(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node?.ToString();
    }

    private async Task<IResult> CreateAsync(HttpContext http, string le, bool einvoice)
    {
        var form = await http.Request.ReadFormAsync();
        if (_failNextCreate is { } fail)
        {
            _failNextCreate = null;
            if (fail.RetryAfter is not null)
            {
                http.Response.Headers.RetryAfter = fail.RetryAfter;
            }

            return Error(fail.Status, fail.Status == 429 ? "Too many requests" : "Service unavailable");
        }

        if (RejectNextInvoice is { } reject)
        {
            RejectNextInvoice = null;
            return Error(400, reject);
        }

        YokoyFakeInvoice invoice;
        if (einvoice)
        {
            if (form["standard"] != "peppolBis" || form.Files["invoiceData"] is not { } data)
            {
                return Error(400, "An e-invoice needs standard=peppolBis and invoiceData.");
            }

            var xml = await ReadAsync(data);
            var number = Regex.Match(Encoding.UTF8.GetString(xml), "<cbc:ID>([^<]+)</cbc:ID>").Groups[1].Value;
            var total = Regex.Match(Encoding.UTF8.GetString(xml), "<cbc:PayableAmount[^>]*>([^<]+)<").Groups[1].Value;
            invoice = new YokoyFakeInvoice(NewId(), le, "peppolBis", xml, form.Files["pdf"] is { } pdf ? await ReadAsync(pdf) : null, data.FileName)
            {
                InvoiceNumber = number,
                GrossAmount = decimal.TryParse(total, System.Globalization.CultureInfo.InvariantCulture, out var gross) ? gross : null,
                Status = "7",
            };
        }
        else
        {
            if (form.Files["file"] is not { } file)
            {
                return Error(400, "An upload needs a file.");
            }

            invoice = new YokoyFakeInvoice(NewId(), le, "upload", null, await ReadAsync(file), file.FileName) { Status = "8" };
        }

        Invoices.Enqueue(invoice);
        if (LoseNextCreateResponse)
        {
            LoseNextCreateResponse = false;
            http.Abort();
            return Results.Empty;
        }

        return Results.Json(new JsonObject { ["invoices"] = new JsonArray(invoice.ToJson()) }, statusCode: 201);
    }

    private async Task<IResult> PatchAsync(HttpContext http, string le, string id)
    {
        if (FailPatches)
        {
            return Error(500, "Internal error");
        }

        if (Invoices.FirstOrDefault(i => i.Id == id && i.LegalEntity == le) is not { } invoice)
        {
            return Error(404, "Invoice not found");
        }

        var body = await JsonNode.ParseAsync(http.Request.Body);
        if (body?["customInformation"] is JsonObject custom)
        {
            foreach (var (key, value) in custom)
            {
                invoice.CustomInformation[key] = value?.ToString() ?? string.Empty;
            }
        }

        return Results.Json(invoice.ToJson());
    }

    private IResult? Check(HttpContext http, string org, string? le = null)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(auth["Bearer ".Length..]))
        {
            return Error(401, "Unauthorized");
        }

        if (http.Request.Headers["X-Yk-Auth-Method"] != "yokoy")
        {
            CallsWithoutAuthMethod++;
            return Error(400, "Missing header X-Yk-Auth-Method.");
        }

        lock (_gate)
        {
            if (_failNext > 0)
            {
                _failNext--;
                if (_retryAfter is not null)
                {
                    http.Response.Headers.RetryAfter = _retryAfter;
                }

                return Error(_failStatus, _failStatus == 429 ? "Too many requests" : "Service unavailable");
            }
        }

        if (org != Organization)
        {
            return Error(403, "Forbidden");
        }

        return le is not null && !LegalEntities.ContainsKey(le) ? Error(404, "Legal entity not found") : null;
    }

    private string NewId() => "inv" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<byte[]> ReadAsync(IFormFile file)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["code"] = status, ["message"] = message }, statusCode: status);
}

/// <summary>One invoice as the Yokoy fake keeps it.</summary>
public sealed record YokoyFakeInvoice(string Id, string LegalEntity, string Channel, byte[]? InvoiceData, byte[]? File, string FileName)
{
    public string? InvoiceNumber { get; init; }

    public decimal? GrossAmount { get; init; }

    public string Status { get; init; } = "7";

    public ConcurrentDictionary<string, string> CustomInformation { get; } = new();

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["status"] = Status,
        ["invoiceNumber"] = InvoiceNumber,
        ["grossAmount"] = GrossAmount,
        ["customInformation"] = new JsonObject(CustomInformation.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
    };
}

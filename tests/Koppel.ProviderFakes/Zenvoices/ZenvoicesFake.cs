using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.Zenvoices;

/// <summary>
/// A fake of Zenvoices as docs/providers.md §16 describes it: <c>POST api/TokenAuth/TokenLogin</c> with
/// <c>{userNameOrEmailAddress, password, tenancyName}</c> answering access and refresh tokens in the ASP.NET
/// Boilerplate envelope <c>{result, success, error}</c>. The refresh call, the company list and the inbox upload
/// (<c>public-api/v1/inbox/upload</c>, multipart <c>companyCode</c> + <c>file</c>) are the connector's assumptions,
/// not captured from Zenvoices. Uploads stay inspectable; switches expire tokens and inject failures.
/// </summary>
public sealed class ZenvoicesFake : IProviderFake
{
    public const string User = "api@bakkerij.be";
    public const string Password = "zenvoices-fake-password";
    public const string Organisation = "bakkerij";

    private readonly ConcurrentDictionary<string, bool> _access = new();
    private readonly ConcurrentDictionary<string, bool> _refresh = new();
    private int _failNext;
    private int _failStatus;

    public string PathPrefix => "zenvoices";

    public Dictionary<string, string> Companies { get; } = new() { ["BP01"] = "Bakkerij Peeters BV", ["BP02"] = "Peeters Vastgoed NV" };

    public ConcurrentQueue<(string Company, string FileName, byte[] Content)> Inbox { get; } = new();

    public int Logins { get; private set; }

    public int Refreshes { get; private set; }

    /// <summary>Lifetime of the access tokens it issues (Zenvoices: 86,400 s).</summary>
    public int AccessTokenSeconds { get; set; } = 86400;

    public void FailNext(int status, int count = 1)
    {
        _failNext = count;
        _failStatus = status;
    }

    /// <summary>Every access token issued so far stops working; refresh tokens still do.</summary>
    public void ExpireAccessTokens() => _access.Clear();

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/api/TokenAuth/TokenLogin", async (HttpContext http) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body);
            if ((string?)body?["userNameOrEmailAddress"] != User || (string?)body?["password"] != Password || (string?)body?["tenancyName"] != Organisation)
            {
                return Envelope(null, 401, "Invalid user name or password");
            }

            Logins++;
            return Issue(withRefresh: true);
        });
        routes.MapPost("/api/TokenAuth/RefreshToken", (string refreshToken) =>
        {
            if (!_refresh.ContainsKey(refreshToken))
            {
                return Envelope(null, 401, "Invalid refresh token");
            }

            Refreshes++;
            return Issue(withRefresh: false);
        });
        routes.MapGet("/public-api/v1/companies", (HttpContext http) => Check(http) ?? Envelope(new JsonObject
        {
            ["items"] = new JsonArray(Companies.Select(c => (JsonNode)new JsonObject { ["code"] = c.Key, ["name"] = c.Value }).ToArray()),
        }));
        routes.MapPost("/public-api/v1/inbox/upload", async (HttpContext http) =>
        {
            if (Check(http) is { } refused)
            {
                return refused;
            }

            var form = await http.Request.ReadFormAsync();
            var company = form["companyCode"].ToString();
            if (!Companies.ContainsKey(company) || form.Files["file"] is not { } file)
            {
                return Envelope(null, 400, $"Unknown company '{company}' or no file.");
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            Inbox.Enqueue((company, file.FileName, buffer.ToArray()));
            return Envelope(new JsonObject { ["id"] = $"doc-{Inbox.Count}" });
        });
    }

    private IResult Issue(bool withRefresh)
    {
        var access = Guid.NewGuid().ToString("N");
        _access[access] = true;
        var result = new JsonObject { ["accessToken"] = access, ["expireInSeconds"] = AccessTokenSeconds };
        if (withRefresh)
        {
            var refresh = Guid.NewGuid().ToString("N");
            _refresh[refresh] = true;
            result["refreshToken"] = refresh;
            result["refreshTokenExpireInSeconds"] = 365 * 24 * 3600;
        }

        return Envelope(result);
    }

    private IResult? Check(HttpContext http)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_access.ContainsKey(auth["Bearer ".Length..]))
        {
            return Envelope(null, 401, "Current user did not login to the application!");
        }

        if (_failNext > 0)
        {
            _failNext--;
            return Envelope(null, _failStatus, "Service unavailable");
        }

        return null;
    }

    private static IResult Envelope(JsonNode? result, int status = 200, string? error = null) =>
        Results.Json(new JsonObject
        {
            ["result"] = result,
            ["success"] = error is null,
            ["error"] = error is null ? null : new JsonObject { ["message"] = error },
        }, statusCode: status);
}

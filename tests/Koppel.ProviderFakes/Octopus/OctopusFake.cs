using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.Octopus;

/// <summary>
/// A fake of Octopus' REST API (at the prefix) and file-import API (at <c>{prefix}/file-import-api/</c>), as
/// docs/providers.md §4 describes them: <c>POST /authentication</c> with the <c>softwareHouseUuid</c> header,
/// 10-minute user and dossier tokens (headers <c>Token</c> and <c>dossierToken</c>), errors as
/// <c>{errorCode, errorMessage, technicalInfo}</c>. Everything booked or uploaded stays inspectable, and switches
/// inject the failures a connector must survive.
/// </summary>
public sealed class OctopusFake : IProviderFake
{
    public const string SoftwareHouseUuid = "5f0c3a9e-0000-4000-8000-00000000c0de";
    public const string User = "boekhouder@example.be";
    public const string Password = "octopus-fake-password";
    public const string FileImportSegment = "file-import-api";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _userTokens = new();
    private readonly ConcurrentDictionary<string, (int DossierId, DateTimeOffset Expires)> _dossierTokens = new();
    private readonly Lock _gate = new();
    private int _nextSequence = 1;
    private int _nextRelation = 100;
    private int _failNext;
    private int _failStatus;
    private string? _failBody;

    public string PathPrefix => "octopus";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public Dictionary<int, string> Dossiers { get; } = new() { [4711] = "Bakkerij Peeters BV", [4712] = "Slagerij Janssens" };

    public List<FakeBookYear> BookYears { get; } =
    [
        new(20, "2025", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), Closed: true),
        new(21, "2026", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), Closed: false),
    ];

    /// <summary>Every booking accepted, with the JSON as it arrived.</summary>
    public ConcurrentQueue<FakeBooking> Bookings { get; } = new();

    public ConcurrentDictionary<int, JsonObject> Relations { get; } = new();

    public ConcurrentQueue<FakeUpload> CodaImports { get; } = new();

    public ConcurrentQueue<FakeUpload> FileImports { get; } = new();

    private int _logins;
    private int _modifiedCalls;

    /// <summary>How often a login (on either API) succeeded: tokens are reused while valid.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>How often <c>buysellbookings/modified</c> was read.</summary>
    public int ModifiedCalls => Volatile.Read(ref _modifiedCalls);

    /// <summary>Every token and dossier token issued so far stops working, as after ten quiet minutes.</summary>
    public void ExpireAllTokens()
    {
        _userTokens.Clear();
        _dossierTokens.Clear();
    }

    /// <summary>The next <paramref name="count"/> calls (after authentication) answer <paramref name="status"/> with an Octopus error body.</summary>
    public void FailNext(int status, string errorCode = "ERR", string errorMessage = "Internal error", int count = 1)
    {
        lock (_gate)
        {
            _failNext = count;
            _failStatus = status;
            _failBody = JsonSerializer.Serialize(new { errorCode, errorMessage, technicalInfo = "at be.inaras.Fake.stack(Fake.java:42)" });
        }
    }

    /// <summary>The next <c>buysellbookings/modified</c> call is answered, then every token expires: the booking that follows meets a 401.</summary>
    public bool ExpireTokensAfterNextLookup { get; set; }

    /// <summary>The next booking is made, then the connection is dropped before the answer leaves.</summary>
    public bool LoseNextBookingResponse { get; set; }

    /// <summary>The next booking is refused with 400 and this Octopus error body.</summary>
    public (string Code, string Message)? RejectNextBooking { get; set; }

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/authentication", (Delegate)Authenticate);
        routes.MapGet("/dossiers", (HttpContext http) => WithUserToken(http, () => Results.Json(Dossiers.Select(d => new { dossierId = d.Key, name = d.Value }))));
        routes.MapPost("/dossiers", (HttpContext http, int dossierId) => WithUserToken(http, () => OpenDossier(dossierId)));
        routes.MapGet("/dossiers/{dossierId:int}/bookyears", (HttpContext http, int dossierId) => WithDossierToken(http, dossierId, () => Results.Json(BookYears.Select(y => new
        {
            bookyearId = y.Id,
            description = y.Description,
            startDate = y.Start,
            endDate = y.End,
            closed = y.Closed,
        }))));
        routes.MapGet("/dossiers/{dossierId:int}/relations", (HttpContext http, int dossierId, string? vatNr, string? name) => WithDossierToken(http, dossierId, () =>
            Results.Json(Relations.Values.Where(r => (vatNr is not null && (string?)r["vatNr"] == vatNr) || (name is not null && (string?)r["name"] == name)))));
        routes.MapPut("/dossiers/{dossierId:int}/relations", async (HttpContext http, int dossierId) => await WithDossierTokenAsync(http, dossierId, async () =>
        {
            var relation = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            var id = (int?)relation["relationId"] ?? Interlocked.Increment(ref _nextRelation);
            relation["relationId"] = id;
            Relations[id] = relation;
            return Results.Json(relation);
        }));
        routes.MapPost("/dossiers/{dossierId:int}/buysellbookings", async (HttpContext http, int dossierId) => await WithDossierTokenAsync(http, dossierId, () => BookAsync(http, dossierId)));
        routes.MapGet("/dossiers/{dossierId:int}/buysellbookings/modified", (HttpContext http, int dossierId, int bookyearId, string modifiedTimeStamp) => WithDossierToken(http, dossierId, () =>
        {
            Interlocked.Increment(ref _modifiedCalls);
            if (ExpireTokensAfterNextLookup)
            {
                ExpireTokensAfterNextLookup = false;
                ExpireAllTokens();
            }

            return Results.Json(Bookings.Where(b => b.DossierId == dossierId && (int?)b.Body["bookyearId"] == bookyearId).Select(b => b.Body));
        }));
        routes.MapPost("/dossiers/{dossierId:int}/coda", async (HttpContext http, int dossierId) => await WithDossierTokenAsync(http, dossierId, async () =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var fileName = http.Request.Headers["fileName"].ToString();
            if (fileName.Length == 0)
            {
                return Error(400, "FILENAME_MISSING", "The fileName header is required.");
            }

            CodaImports.Enqueue(new FakeUpload(dossierId, fileName, buffer.ToArray()));
            return Results.Json(new { importId = CodaImports.Count });
        }));

        var files = routes.MapGroup("/" + FileImportSegment);
        files.MapPost("/authentication", (Delegate)Authenticate);
        files.MapPost("/dossiers/{dossierId:int}/files/imports", async (HttpContext http, int dossierId) => await WithUserTokenAsync(http, async () =>
        {
            if (!Dossiers.ContainsKey(dossierId))
            {
                return Error(403, "NO_ACCESS", $"No access to dossier {dossierId}.");
            }

            var form = await http.Request.ReadFormAsync();
            if (form.Files.Count == 0)
            {
                return Error(400, "NO_FILES", "No files in the request.");
            }

            var ids = new List<string>();
            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer);
                FileImports.Enqueue(new FakeUpload(dossierId, file.FileName, buffer.ToArray()));
                ids.Add(FileImports.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return Results.Json(new { importId = string.Join(",", ids) });
        }));
    }

    private async Task<IResult> Authenticate(HttpContext http)
    {
        if (http.Request.Headers["softwareHouseUuid"].ToString() != SoftwareHouseUuid)
        {
            return Error(401, "INVALID_SOFTWARE_HOUSE", "Unknown software house.");
        }

        var body = await JsonNode.ParseAsync(http.Request.Body);
        if ((string?)body?["user"] != User || (string?)body?["password"] != Password)
        {
            return Error(401, "INVALID_CREDENTIALS", "Invalid user or password.");
        }

        Interlocked.Increment(ref _logins);
        var token = "tok-" + Guid.NewGuid().ToString("N");
        _userTokens[token] = DateTimeOffset.UtcNow + TokenLifetime;
        return Results.Json(new { token });
    }

    private IResult OpenDossier(int dossierId)
    {
        if (!Dossiers.ContainsKey(dossierId))
        {
            return Error(403, "NO_ACCESS", $"The user has no access to dossier {dossierId}.");
        }

        var dossierToken = "dos-" + Guid.NewGuid().ToString("N");
        _dossierTokens[dossierToken] = (dossierId, DateTimeOffset.UtcNow + TokenLifetime);
        return Results.Json(new { dossierToken });
    }

    private async Task<IResult> BookAsync(HttpContext http, int dossierId)
    {
        var booking = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        if (RejectNextBooking is { } reject)
        {
            RejectNextBooking = null;
            return Error(400, reject.Code, reject.Message);
        }

        var bookYear = BookYears.FirstOrDefault(y => y.Id == (int?)booking["bookyearId"]);
        if (bookYear is null || bookYear.Closed)
        {
            return Error(400, "BOOKYEAR_CLOSED", "The book year is closed or unknown.");
        }

        if (booking["relationId"] is null || !Relations.ContainsKey((int)booking["relationId"]!))
        {
            return Error(400, "RELATION_UNKNOWN", "Unknown relation.");
        }

        var sequence = Interlocked.Increment(ref _nextSequence) - 1;
        booking["documentSequenceNr"] = sequence;
        Bookings.Enqueue(new FakeBooking(dossierId, booking));
        if (LoseNextBookingResponse)
        {
            LoseNextBookingResponse = false;
            http.Abort();
            return Results.Empty;
        }

        return Results.Json(new { bookyearId = bookYear.Id, journalKey = (string?)booking["journalKey"], documentSequenceNr = sequence });
    }

    private IResult WithUserToken(HttpContext http, Func<IResult> then) =>
        CheckUserToken(http) ?? Injected() ?? then();

    private async Task<IResult> WithUserTokenAsync(HttpContext http, Func<Task<IResult>> then) =>
        CheckUserToken(http) ?? Injected() ?? await then();

    private IResult WithDossierToken(HttpContext http, int dossierId, Func<IResult> then) =>
        CheckDossierToken(http, dossierId) ?? Injected() ?? then();

    private async Task<IResult> WithDossierTokenAsync(HttpContext http, int dossierId, Func<Task<IResult>> then) =>
        CheckDossierToken(http, dossierId) ?? Injected() ?? await then();

    private IResult? CheckUserToken(HttpContext http) =>
        _userTokens.TryGetValue(http.Request.Headers["Token"].ToString(), out var expires) && expires > DateTimeOffset.UtcNow
            ? null
            : Error(401, "TOKEN_EXPIRED", "The token is invalid or expired.");

    private IResult? CheckDossierToken(HttpContext http, int dossierId) =>
        _dossierTokens.TryGetValue(http.Request.Headers["dossierToken"].ToString(), out var entry) && entry.Expires > DateTimeOffset.UtcNow
            ? entry.DossierId == dossierId ? null : Error(403, "WRONG_DOSSIER", "The dossier token is for another dossier.")
            : Error(401, "DOSSIER_TOKEN_EXPIRED", "The dossier token is invalid or expired.");

    private IResult? Injected()
    {
        lock (_gate)
        {
            if (_failNext <= 0)
            {
                return null;
            }

            _failNext--;
            return Results.Content(_failBody, "application/json", statusCode: _failStatus);
        }
    }

    private static IResult Error(int status, string errorCode, string errorMessage) =>
        Results.Json(new { errorCode, errorMessage, technicalInfo = "be.inaras.octopus.fake" }, statusCode: status);
}

public sealed record FakeBookYear(int Id, string Description, DateOnly Start, DateOnly End, bool Closed);

public sealed record FakeBooking(int DossierId, JsonObject Body)
{
    public decimal Amount => (decimal)Body["amount"]!;

    public string? Comment => (string?)Body["comment"];

    public IEnumerable<JsonObject> Lines => Body["bookingLines"]!.AsArray().Select(l => l!.AsObject());
}

public sealed record FakeUpload(int DossierId, string FileName, byte[] Content);

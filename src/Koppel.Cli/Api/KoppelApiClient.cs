using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Koppel.Cli.Api;

/// <summary>
/// The few calls the CLI makes to a Koppel server's HTTP API (docs/openapi/v1.json). Answers come back as the JSON the
/// server sent (so <c>--json</c> prints exactly that); what the CLI itself acts on is read with source-generated types.
/// Every failure becomes an <see cref="ApiFailure"/> with the exit code it means.
/// </summary>
internal sealed class KoppelApiClient : IDisposable
{
    private const string KeyHeader = "X-Api-Key";
    private const int PageSize = 500;
    private readonly HttpClient _http;

    public KoppelApiClient(CliSettings settings, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = settings.Server;
        _http.Timeout = TimeSpan.FromSeconds(100);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("koppel-cli");
        if (settings.ApiKey is { } key)
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation(KeyHeader, key);
        }
    }

    public Uri Server => _http.BaseAddress!;

    public Task<IReadOnlyList<JsonElement>> ListDossiersAsync(CancellationToken ct) => ListAsync("api/dossiers", ct);

    public Task<IReadOnlyList<JsonElement>> ListConnectionsAsync(string dossier, CancellationToken ct) =>
        ListAsync($"api/dossiers/{Escape(dossier)}/connections", ct);

    public Task<IReadOnlyList<JsonElement>> ListDocumentsAsync(string dossier, string? from, string? to, CancellationToken ct) =>
        ListAsync($"api/dossiers/{Escape(dossier)}/documents{Query(("from", from), ("to", to))}", ct);

    public Task<IReadOnlyList<JsonElement>> HistoryAsync(string dossier, string document, CancellationToken ct) =>
        ListAsync($"api/dossiers/{Escape(dossier)}/documents/{Escape(document)}/history", ct);

    public Task<IReadOnlyList<JsonElement>> ListRunsAsync(string dossier, CancellationToken ct) =>
        ListAsync($"api/dossiers/{Escape(dossier)}/runs", ct);

    public Task<JsonElement> GetRunAsync(string dossier, string runId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"api/dossiers/{Escape(dossier)}/runs/{Escape(runId)}", null, ct);

    public Task<IReadOnlyList<JsonElement>> ListDeadLettersAsync(string dossier, CancellationToken ct) =>
        ListAsync($"api/dossiers/{Escape(dossier)}/deliveries?status=DeadLettered", ct);

    public Task<IReadOnlyList<JsonElement>> ListQuarantineAsync(string? dossier, CancellationToken ct) =>
        ListAsync(dossier is null ? "api/quarantine" : $"api/dossiers/{Escape(dossier)}/quarantine", ct);

    public Task<JsonElement> ListConnectorsAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "api/connectors", null, ct);

    public Task<JsonElement> CreateDossierAsync(DossierInput input, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "api/dossiers", JsonContent(input, CliJson.Default.DossierInput), ct);

    /// <summary>Creates a connection; with <paramref name="test"/> the server tests it first and saves nothing if it fails (422).</summary>
    public Task<JsonElement> CreateConnectionAsync(string dossier, ConnectionInput input, bool test, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/dossiers/{Escape(dossier)}/connections{(test ? "?test=true" : "")}", JsonContent(input, CliJson.Default.ConnectionInput), ct);

    public Task<JsonElement> TestConnectionAsync(string dossier, string connection, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/dossiers/{Escape(dossier)}/connections/{Escape(connection)}/test", null, ct);

    public Task<JsonElement> RetryDeliveryAsync(string dossier, string delivery, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/dossiers/{Escape(dossier)}/deliveries/{Escape(delivery)}/retry", null, ct);

    public Task<JsonElement> DiscardDeliveryAsync(string dossier, string delivery, string? reason, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/dossiers/{Escape(dossier)}/deliveries/{Escape(delivery)}/discard", JsonContent(new DiscardInput(reason), CliJson.Default.DiscardInput), ct);

    /// <summary>Ingests a quarantined file again (once fixed): answered like an upload; 422 when it is refused again (answered, not thrown).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Answer)> ReingestAsync(string path, string? dossier, CancellationToken ct)
    {
        var target = $"api/quarantine/reingest{Query(("path", path), ("dossierId", dossier))}";
        using var response = await SendRawAsync(HttpMethod.Post, target, null, ct);
        return await IngestAnswerAsync(response, target, ct);
    }

    /// <summary>Starts an export, a resend or (with <c>DryRun</c>) asks what one would send: a run (202) or a preview (200).</summary>
    public Task<JsonElement> ExportAsync(string dossier, ExportRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/dossiers/{Escape(dossier)}/exports", JsonContent(request), ct);

    /// <summary>Uploads a file, streamed; 201 accepted, 200 the same bytes again, 422 quarantined (answered, not thrown).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Answer)> UploadAsync(string dossier, string file, CancellationToken ct)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var path = $"api/dossiers/{Escape(dossier)}/documents{Query(("fileName", Path.GetFileName(file)))}";
        using var response = await SendRawAsync(HttpMethod.Post, path, content, ct);
        return await IngestAnswerAsync(response, path, ct);
    }

    /// <summary>An ingest's answer: a file refused into quarantine (422 with an outcome) is an answer, not a failure.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Answer)> IngestAnswerAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            if (await TryReadAsync(response, ct) is { } refused && refused.TryGetProperty("outcome", out _))
            {
                return (response.StatusCode, refused);
            }
        }

        return (response.StatusCode, await ReadAsync(response, path, ct));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Every item of a list, following the continuation token page after page.</summary>
    private async Task<IReadOnlyList<JsonElement>> ListAsync(string path, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        string? token = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await SendAsync(HttpMethod.Get, $"{path}{separator}pageSize={PageSize}{(token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token))}", null, ct);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);

        return items;
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, content, ct);
        return await ReadAsync(response, path, ct);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ApiFailure(KoppelCommandLine.Unreachable, $"Cannot reach the Koppel server at {Server}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ApiFailure(KoppelCommandLine.Unreachable, $"The Koppel server at {Server} did not answer within {_http.Timeout.TotalSeconds:0} seconds.");
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return await TryReadAsync(response, ct) ?? default;
        }

        var what = path.Split('?')[0];
        var problem = await ProblemAsync(response, ct);
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new ApiFailure(KoppelCommandLine.Refused, $"The server refused the API key for {what} (401): check --key, {CliSettings.KeyVariable} or the config file."),
            HttpStatusCode.Forbidden => new ApiFailure(KoppelCommandLine.Refused, $"The API key may not do this: {what} answered 403{Describe(problem)}."),
            HttpStatusCode.NotFound => new ApiFailure(KoppelCommandLine.NotFound, $"Not found: {what} answered 404{Describe(problem)}."),
            HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge =>
                new ApiFailure(KoppelCommandLine.Rejected, $"The server rejected the request to {what} ({(int)response.StatusCode}){Describe(problem)}."),
            _ => new ApiFailure(KoppelCommandLine.Unreachable, $"The server failed on {what} ({(int)response.StatusCode}){Describe(problem)}."),
        };
    }

    private static async Task<JsonElement?> TryReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<ProblemDetails?> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            return text.Length == 0 ? null : JsonSerializer.Deserialize(text, CliJson.Default.ProblemDetails);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The problem's title and detail (and the fields it names) as the API wrote them.</summary>
    private static string Describe(ProblemDetails? problem)
    {
        if (problem is null)
        {
            return "";
        }

        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(problem.Title))
        {
            parts.Add(problem.Title.TrimEnd('.'));
        }

        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            parts.Add(problem.Detail.TrimEnd('.'));
        }

        if (problem.Errors is { Count: > 0 } errors)
        {
            parts.AddRange(errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value).TrimEnd('.')}"));
        }

        return parts.Count == 0 ? "" : ": " + string.Join("; ", parts);
    }

    private static ByteArrayContent JsonContent(ExportRequest request) => JsonContent(request, CliJson.Default.ExportRequest);

    private static ByteArrayContent JsonContent<T>(T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join("&", given);
    }
}

using System.Net;
using System.Net.Http.Json;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Dashboard.Tests.Support;
using Koppel.Functions.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Koppel.Functions.Tests.Dashboard;

/// <summary>
/// The dashboard deployed the way docs/dashboard.md says for Azure: its files as they are, on a static site of their
/// own, with one setting in config.json pointing at the Functions app, whose CORS allows the site. Chromium loads the
/// files from one origin and calls the other; both origins are played by the test (the files from disk, the API by
/// the app's own HTTP functions in this process), and the app's CORS answer is the one the platform would give.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class When_the_dashboard_is_deployed_as_static_files_against_the_functions_app(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Site = "https://dashboard.koppel.example";
    private const string FunctionApp = "https://koppel-func.azurewebsites.net";
    private const string FunctionKey = "fn-key-0123456789abcdef-never-in-the-page";
    private const string Dossier = "0403170701";

    private readonly FunctionsApi _api = new(azurite);
    private readonly List<(string Method, string Url, string? Key)> _calls = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        using var created = await _api.Client.PostAsJsonAsync("/api/dossiers", new { name = "Demo Bakkerij BV", enterpriseNumber = Dossier });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        _playwright = await Playwright.CreateAsync();
        _browser = await DebianChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task The_files_as_they_are_with_apiBase_and_the_function_key_header_in_config_json_sign_in_and_show_the_dossiers()
    {
        await using var context = await _browser!.NewContextAsync();
        await context.RouteAsync(Site + "/**", ServeFileAsync);
        await context.RouteAsync(FunctionApp + "/**", CallFunctionAppAsync);
        var page = await context.NewPageAsync();

        await page.GotoAsync(Site + "/index.html");
        await page.GetByLabel("API key").FillAsync(FunctionKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Demo Bakkerij BV" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Demo Bakkerij BV" })).ToBeVisibleAsync();
        await Expect(page.GetByText("this dossier has no connections.", new() { Exact = false })).ToBeVisibleAsync();
        Assert.NotEmpty(_calls);
        Assert.All(_calls, c => Assert.StartsWith(FunctionApp + "/api/", c.Url, StringComparison.Ordinal));
        Assert.All(_calls, c => Assert.Equal(FunctionKey, c.Key)); // the host checks it (function-level auth)
        Assert.DoesNotContain(_calls, c => c.Url.Contains(FunctionKey, StringComparison.Ordinal));
        Assert.Contains(_calls, c => c.Url.StartsWith($"{FunctionApp}/api/dossiers/{Dossier}/connections", StringComparison.Ordinal));
        Assert.DoesNotContain(FunctionKey, await page.ContentAsync(), StringComparison.Ordinal);
    }

    /// <summary>The static site: the files from src/Koppel.Dashboard/wwwroot, config.json as an operator would set it.</summary>
    private static async Task ServeFileAsync(IRoute route)
    {
        var name = new Uri(route.Request.Url).AbsolutePath.TrimStart('/');
        if (name == "config.json")
        {
            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = $$"""{ "apiBase": "{{FunctionApp}}", "keyHeader": "x-functions-key" }""" });
            return;
        }

        var path = FunctionsBuild.PathOf("src", "Koppel.Dashboard", "wwwroot", name);
        if (name.Contains("..", StringComparison.Ordinal) || !File.Exists(path))
        {
            await route.FulfillAsync(new() { Status = 404 });
            return;
        }

        var type = Path.GetExtension(path) switch { ".js" => "text/javascript", ".css" => "text/css", ".html" => "text/html", _ => "application/octet-stream" };
        await route.FulfillAsync(new() { Status = 200, ContentType = type, BodyBytes = await File.ReadAllBytesAsync(path) });
    }

    /// <summary>The Functions app behind its platform CORS setting (allowed origin: the site), answering with its HTTP functions.</summary>
    private async Task CallFunctionAppAsync(IRoute route)
    {
        var request = route.Request;
        var cors = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = Site, ["Vary"] = "Origin" };
        if (request.Method == "OPTIONS")
        {
            cors["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE";
            cors["Access-Control-Allow-Headers"] = request.Headers.GetValueOrDefault("access-control-request-headers", "");
            await route.FulfillAsync(new() { Status = 204, Headers = cors });
            return;
        }

        var key = request.Headers.GetValueOrDefault("x-functions-key");
        lock (_calls)
        {
            _calls.Add((request.Method, request.Url, key));
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Url).PathAndQuery);
        if (request.PostDataBuffer is { } body)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.Headers.GetValueOrDefault("content-type", "application/json"));
        }

        using var answer = await _api.Client.SendAsync(message);
        foreach (var header in answer.Content.Headers.Where(h => h.Key == "Content-Type"))
        {
            cors[header.Key] = string.Join(", ", header.Value);
        }

        await route.FulfillAsync(new() { Status = (int)answer.StatusCode, Headers = cors, BodyBytes = await answer.Content.ReadAsByteArrayAsync() });
    }
}

using System.Reflection;
using System.Text.Json;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Server.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Server.Tests.Api;

/// <summary>
/// The OpenAPI document the running server generates from its endpoints, against the copy committed in docs/openapi/v1.json
/// (which platform teams generate clients from, and which the Functions app serves).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpenApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>The one command that rewrites the committed document after a route changed.</summary>
    public const string RegenerateCommand = "KOPPEL_UPDATE_OPENAPI=1 scripts/test.sh --filter FullyQualifiedName~OpenApi";

    private InProcessServer _server = null!;

    public static string CommittedPath => Path.Combine(
        typeof(OpenApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!,
        "docs", "openapi", "v1.json");

    public async Task InitializeAsync()
    {
        var settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-openapi-" + Guid.NewGuid().ToString("N")[..8]));
        settings.Values["Koppel:Server:RunWorkers"] = "false";
        _server = await InProcessServer.StartAsync(settings);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_served_document_equals_the_committed_one_or_the_test_says_how_to_regenerate_it()
    {
        using var anonymous = _server.Client(apiKey: null);
        var served = (await anonymous.GetStringAsync("/openapi/v1.json")).ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("KOPPEL_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedPath)!);
            await File.WriteAllTextAsync(CommittedPath, served.EndsWith('\n') ? served : served + "\n");
            return;
        }

        var committed = File.Exists(CommittedPath) ? (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n").TrimEnd('\n') : "(missing)";
        Assert.True(
            committed == served.TrimEnd('\n'),
            $"docs/openapi/v1.json is not what the server generates from its endpoints. Regenerate it with:\n  {RegenerateCommand}\nand commit it.");
    }

    [Fact]
    public async Task Every_route_the_api_maps_is_in_the_document_with_an_operation_id_a_summary_and_problem_details()
    {
        using var anonymous = _server.Client(apiKey: null);
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        var mapped = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m.ToLowerInvariant(), Path: "/" + e.RoutePattern.RawText!.Trim('/'))))
            .ToList();

        Assert.True(mapped.Count > 40, $"only {mapped.Count} API routes found");
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (method, path) in mapped)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is not in the document");
            var id = operation.GetProperty("operationId").GetString()!;
            Assert.True(operationIds.Add(id), $"operation id {id} is used twice");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{id} has no summary");
            var problem = operation.GetProperty("responses").GetProperty("404").GetProperty("content");
            Assert.True(problem.TryGetProperty("application/problem+json", out _), $"{id} does not describe its problem details");
        }

        Assert.Equal(mapped.Count, paths.EnumerateObject().Sum(p => p.Value.EnumerateObject().Count()));
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_reference_page_renders_the_document_without_loading_anything_from_elsewhere()
    {
        using var anonymous = _server.Client(apiKey: null);
        var page = await anonymous.GetStringAsync("/openapi");

        Assert.Contains("/openapi/v1.json", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", page, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Koppel.Functions.Http;
using Koppel.Functions.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Koppel.Functions.Tests;

/// <summary>The Functions app's OpenAPI document: the committed docs/openapi/v1.json, which describes its own routes.</summary>
public sealed partial class The_functions_app_openapi_document
{
    [Fact]
    public void Is_the_committed_document_byte_for_byte()
    {
        var context = new DefaultHttpContext();

        var answer = Assert.IsType<FileContentResult>(new GetOpenApiDocumentFunction().GetOpenApiDocument(context.Request));

        Assert.Equal(File.ReadAllBytes(FunctionsBuild.PathOf("docs", "openapi", "v1.json")), answer.FileContents);
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public void Describes_exactly_the_routes_and_methods_of_the_http_functions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FunctionsBuild.PathOf("docs", "openapi", "v1.json")));
        var described = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => Route(operation.Name, path.Name)))
            .Order(StringComparer.Ordinal);

        var functions = FunctionsBuild.HttpFunctions
            .Where(f => f.Name != nameof(GetOpenApiDocumentFunction.GetOpenApiDocument))
            .SelectMany(f => f.Trigger.GetProperty("methods").EnumerateArray().Select(m => Route(m.GetString()!, "api/" + f.Text("route"))))
            .Order(StringComparer.Ordinal);

        Assert.Equal(functions, described);
    }

    private static string Route(string method, string route) =>
        $"{method.ToUpperInvariant()} {Parameter().Replace(route.Trim('/').ToLowerInvariant(), "{}")}";

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}

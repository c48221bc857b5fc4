using Koppel.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>
/// GET /api/openapi/v1.json: the API's OpenAPI document. The Functions host cannot generate it from minimal-API
/// endpoints, so it serves the committed docs/openapi/v1.json (built into the assembly), which a test keeps equal to what
/// the self-hosted server generates from the same <see cref="KoppelApi"/> routes.
/// </summary>
public sealed class GetOpenApiDocumentFunction
{
    private static readonly Lazy<byte[]> Document = new(() =>
    {
        using var stream = typeof(GetOpenApiDocumentFunction).Assembly.GetManifestResourceStream(ApiDescription.ResourceName)
            ?? throw new InvalidOperationException($"The build left out {ApiDescription.ResourceName}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    [Function(nameof(GetOpenApiDocument))]
    public IActionResult GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi/v1.json")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // A new deployment may change it: clients ask again rather than keep an old copy.
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return new FileContentResult(Document.Value, "application/json; charset=utf-8");
    }
}

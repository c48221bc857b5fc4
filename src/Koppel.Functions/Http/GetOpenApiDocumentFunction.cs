using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/openapi/v1.json: the API's OpenAPI document (<see cref="EmbeddedOpenApiDocument"/>).</summary>
public sealed class GetOpenApiDocumentFunction
{
    [Function(nameof(GetOpenApiDocument))]
    public IActionResult GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi/v1.json")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // A new deployment may change it: clients ask again rather than keep an old copy.
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return new FileContentResult(EmbeddedOpenApiDocument.Content, "application/json; charset=utf-8");
    }
}

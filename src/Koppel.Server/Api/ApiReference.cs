namespace Koppel.Server.Api;

/// <summary>
/// A browsable reference of the API at <c>/openapi</c>: one static page (shipped in the assembly) whose script renders
/// <c>/openapi/v1.json</c>. No framework and nothing fetched from elsewhere.
/// </summary>
internal static class ApiReference
{
    private const string ResourceName = "Koppel.Server.Api.openapi.html";

    public static void MapApiReference(this IEndpointRouteBuilder app)
    {
        using var stream = typeof(ApiReference).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The build left out {ResourceName}.");
        using var reader = new StreamReader(stream);
        var page = reader.ReadToEnd();
        // Routing matches /openapi and /openapi/ alike; the page reads the document by its absolute path.
        app.MapGet("/openapi", () => Results.Content(page, "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
    }
}

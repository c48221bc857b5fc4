using System.Collections.Frozen;

namespace Koppel.Server.Api;

/// <summary>
/// The operator dashboard at <c>/dashboard/</c>: the static files of src/Koppel.Dashboard/wwwroot, shipped in this
/// assembly, served without signing in (they hold no data; every figure comes from <c>/api</c> with the user's key).
/// A strict Content-Security-Policy: scripts, styles and calls only from this origin, no inline script, no framing.
/// </summary>
internal static class Dashboard
{
    private const string Prefix = "Koppel.Dashboard/";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        var assembly = typeof(Dashboard).Assembly;
        var files = new Dictionary<string, (byte[] Content, string Type)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var path = name[Prefix.Length..];
            files[path] = (buffer.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream"));
        }

        if (!files.ContainsKey("index.html"))
        {
            throw new InvalidOperationException("The build left out the dashboard (src/Koppel.Dashboard/wwwroot/index.html).");
        }

        var served = files.ToFrozenDictionary(StringComparer.Ordinal);
        // Routing matches /dashboard and /dashboard/ alike; the page's relative links need the slash.
        app.MapGet("/dashboard/{**path}", (string? path, HttpRequest request, HttpResponse response) =>
        {
            if (!request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
            {
                return Results.Redirect("/dashboard/");
            }

            if (!served.TryGetValue(string.IsNullOrEmpty(path) ? "index.html" : path, out var file))
            {
                return Results.NotFound();
            }

            var headers = response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-cache";
            headers["Referrer-Policy"] = "no-referrer";
            return Results.Bytes(file.Content, file.Type);
        }).AllowAnonymous().ExcludeFromDescription();
    }
}

using Koppel.Api;

namespace Koppel.Functions.Http;

/// <summary>
/// The committed docs/openapi/v1.json, built into the assembly: the Functions host cannot generate it from minimal-API
/// endpoints, and a test keeps it equal to what the self-hosted server generates from the same <see cref="KoppelApi"/> routes.
/// </summary>
public static class EmbeddedOpenApiDocument
{
    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(EmbeddedOpenApiDocument).Assembly.GetManifestResourceStream(ApiDescription.ResourceName)
            ?? throw new InvalidOperationException($"The build left out {ApiDescription.ResourceName}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static byte[] Content => Bytes.Value;
}

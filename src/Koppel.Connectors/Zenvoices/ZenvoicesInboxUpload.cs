using Refit;

namespace Koppel.Connectors.Zenvoices;

/// <summary>
/// THE UNVERIFIED CALL. Zenvoices' public Swagger has an inbox (document upload) endpoint, but its exact path and
/// payload were not captured from public sources (docs/providers.md §16c). Koppel assumes a multipart post of the
/// file with the company code, answered with the new document's id in the usual envelope. When the Swagger is read,
/// this interface is the only thing to change; the connection test and the catalogue say the upload is unverified.
/// </summary>
public interface IZenvoicesInboxUpload
{
    public const string Path = "/public-api/v1/inbox/upload";

    [Multipart]
    [Post(Path)]
    Task<ZenvoicesEnvelope<ZenvoicesUploaded>> UploadAsync([Authorize] string accessToken, [AliasAs("companyCode")] string companyCode, [AliasAs("file")] StreamPart file, CancellationToken cancellationToken);
}

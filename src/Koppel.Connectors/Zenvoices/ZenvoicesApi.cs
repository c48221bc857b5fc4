using Refit;

namespace Koppel.Connectors.Zenvoices;

/// <summary>
/// Zenvoices' login and company list (docs/providers.md §16): <c>POST api/TokenAuth/TokenLogin</c> with
/// <c>{userNameOrEmailAddress, password, tenancyName}</c> gives an access token (about 24 h) and a refresh token
/// (about a year). Answers come in the ASP.NET Boilerplate envelope <c>{result, success, error}</c>. The refresh call
/// and the company list path follow that framework's conventions: assumptions, kept to this file.
/// The inbox upload is not here: see <see cref="IZenvoicesInboxUpload"/>.
/// </summary>
public interface IZenvoicesApi
{
    [Post("/api/TokenAuth/TokenLogin")]
    Task<ZenvoicesEnvelope<ZenvoicesLogin>> LoginAsync([Body] ZenvoicesCredentials credentials, CancellationToken cancellationToken);

    [Post("/api/TokenAuth/RefreshToken")]
    Task<ZenvoicesEnvelope<ZenvoicesLogin>> RefreshAsync([Query] string refreshToken, CancellationToken cancellationToken);

    [Get("/public-api/v1/companies")]
    Task<ZenvoicesEnvelope<ZenvoicesList<ZenvoicesCompany>>> CompaniesAsync([Authorize] string accessToken, CancellationToken cancellationToken);
}

public sealed record ZenvoicesCredentials(string UserNameOrEmailAddress, string Password, string TenancyName)
{
    public override string ToString() => $"user {UserNameOrEmailAddress} of {TenancyName}";
}

public sealed record ZenvoicesEnvelope<T>(T? Result, bool Success, ZenvoicesError? Error);

public sealed record ZenvoicesError(string? Message, string? Details);

public sealed record ZenvoicesLogin(string AccessToken, int ExpireInSeconds, string? RefreshToken, int? RefreshTokenExpireInSeconds)
{
    public override string ToString() => "tokens (hidden)";
}

public sealed record ZenvoicesList<T>(IReadOnlyList<T>? Items);

public sealed record ZenvoicesCompany(string Code, string? Name);

public sealed record ZenvoicesUploaded(string? Id);

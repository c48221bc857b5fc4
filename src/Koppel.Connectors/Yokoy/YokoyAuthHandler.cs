using System.Net;
using System.Net.Http.Headers;

namespace Koppel.Connectors.Yokoy;

/// <summary>
/// Puts the connection's access token and the <c>X-Yk-Auth-Method: yokoy</c> header Yokoy requires on every API
/// call. The login travels as a Refit request property (<see cref="LoginProperty"/>). When Yokoy answers 401 to a
/// cached token, the token is dropped; a read is sent once more with a fresh one, a write is not (the delivery's
/// retry looks the invoice up first).
/// </summary>
public sealed class YokoyAuthHandler(YokoyTokens tokens) : DelegatingHandler
{
    public const string LoginProperty = "koppel.yokoy.login";
    public const string AuthMethodHeader = "X-Yk-Auth-Method";

    private static readonly HttpRequestOptionsKey<YokoyLogin> LoginKey = new(LoginProperty);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Options.TryGetValue(LoginKey, out var login))
        {
            throw new InvalidOperationException("A Yokoy API call was made without the connection's login.");
        }

        request.Headers.Remove(AuthMethodHeader);
        request.Headers.Add(AuthMethodHeader, "yokoy");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessTokenAsync(login, cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        tokens.Forget(login);
        if (request.Method != HttpMethod.Get)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessTokenAsync(login, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

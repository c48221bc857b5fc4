using Azure.Core;

namespace Koppel.Azure.ServiceBus;

/// <summary>Asks the credential for a token only when the cached one is missing or about to expire.</summary>
internal sealed class CachedBearerToken : IDisposable
{
    /// <summary>Refresh this long before expiry so a token never runs out between being read and being checked.</summary>
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TokenRequestContext _request;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AccessToken? _current;

    public CachedBearerToken(TokenCredential credential, string scope, TimeProvider clock)
    {
        _credential = credential;
        _request = new TokenRequestContext([scope]);
        _clock = clock;
    }

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (IsFresh(_current))
        {
            return _current!.Value.Token;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (!IsFresh(_current))
            {
                _current = await _credential.GetTokenAsync(_request, cancellationToken);
            }

            return _current!.Value.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private bool IsFresh(AccessToken? token) => token is { } t && t.ExpiresOn - RefreshMargin > _clock.GetUtcNow();
}

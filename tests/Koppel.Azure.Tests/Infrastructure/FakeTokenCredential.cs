using Azure.Core;

namespace Koppel.Azure.Tests.Infrastructure;

/// <summary>Hands out numbered tokens and remembers which scopes were asked for.</summary>
public sealed class FakeTokenCredential : TokenCredential
{
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;
    private int _issued;

    public FakeTokenCredential(TimeSpan? lifetime = null, TimeProvider? clock = null)
    {
        _lifetime = lifetime ?? TimeSpan.FromHours(1);
        _clock = clock ?? TimeProvider.System;
    }

    public int Issued => _issued;

    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes)
        {
            Scopes.AddRange(requestContext.Scopes);
        }

        var number = Interlocked.Increment(ref _issued);
        return new AccessToken($"fake-token-{number}", _clock.GetUtcNow() + _lifetime);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

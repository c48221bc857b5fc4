using Koppel.Connectors.Common;
using Koppel.Core.Events;

namespace Koppel.Webhooks;

/// <summary>The Core's URL check, answered by the one network guard of the connectors.</summary>
public sealed class GuardedUrls(NetworkGuard guard) : IUrlGuard
{
    public async Task CheckAsync(Uri url, CancellationToken cancellationToken) => await guard.CheckUrlAsync(url, cancellationToken);
}

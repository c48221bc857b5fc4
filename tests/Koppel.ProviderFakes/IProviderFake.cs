using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes;

/// <summary>
/// One provider's fake. It is mounted under <c>/{PathPrefix}</c>, so the connector's base URL setting
/// (<c>Koppel:Providers:{Provider}:BaseUrl</c>) points at <see cref="ProviderFakesHost.BaseUrlOf"/> and the same
/// connector code talks to the fake, the sandbox or the real host.
/// </summary>
public interface IProviderFake
{
    /// <summary>The URL segment the fake lives under, e.g. <c>yuki</c>.</summary>
    string PathPrefix { get; }

    /// <summary>Maps the provider's endpoints, relative to the prefix.</summary>
    void Map(IEndpointRouteBuilder routes);
}

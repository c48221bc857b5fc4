using Koppel.Connectors.Common;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.Tests.Support;

/// <summary>Network rules for tests: the SFTP and SMTP servers run on loopback, which the operator allows here.</summary>
public static class TestNetwork
{
    public static NetworkGuard LoopbackAllowed { get; } = new(Options.Create(Loopback()));

    private static NetworkGuardOptions Loopback()
    {
        var options = new NetworkGuardOptions { UniformFailureDuration = TimeSpan.FromMilliseconds(300) };
        options.AllowedNetworks.Add("127.0.0.0/8");
        return options;
    }
}

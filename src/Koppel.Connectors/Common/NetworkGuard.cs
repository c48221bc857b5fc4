using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.Common;

/// <summary>
/// The operator's rules for where user-supplied hosts and URLs may lead (<c>Koppel:Network</c>).
/// </summary>
public sealed class NetworkGuardOptions
{
    public const string Section = "Koppel:Network";

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.20.0.0/16</c> or <c>127.0.0.1/32</c>) that users may reach although they are
    /// loopback, private, link-local or otherwise internal. Empty by default: only public addresses.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>
    /// A connection test that cannot reach its host answers after at least this long, whatever the cause, so the
    /// answer does not tell a closed port from a filtered one or a blocked address.
    /// </summary>
    public TimeSpan UniformFailureDuration { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The one check every user-supplied host and URL passes (SFTP and SMTP hosts, provider URLs a user types).
/// It resolves the name and checks every address at connect time, not only when the setting is saved, so a name
/// that later resolves to 169.254.169.254 or 127.0.0.1 is refused; callers then connect to the address it returns,
/// so a second lookup cannot swap it.
/// </summary>
public sealed class NetworkGuard
{
    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this network"
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"), // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), // link-local, cloud metadata endpoints
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved and broadcast
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"), // unique local
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    private readonly IPNetwork[] _allowed;

    public NetworkGuard(IOptions<NetworkGuardOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        UniformFailureDuration = options.Value.UniformFailureDuration;
        _allowed = [.. options.Value.AllowedNetworks.Select(ParseNetwork)];
    }

    /// <summary>A guard with the default rules: public addresses only.</summary>
    public static NetworkGuard PublicOnly { get; } = new(Options.Create(new NetworkGuardOptions()));

    public TimeSpan UniformFailureDuration { get; }

    /// <summary>Whether a connection to this address is allowed.</summary>
    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _allowed.Any(n => n.Contains(address)) || !Internal.Any(n => n.Contains(address));
    }

    /// <summary>
    /// Resolves <paramref name="host"/> and returns the address to connect to. Every address the name resolves to
    /// must be allowed: one internal address among public ones is refused too.
    /// </summary>
    /// <exception cref="BlockedDestinationException">The host resolves to an address users may not reach, or not at all.</exception>
    public async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                throw new BlockedDestinationException(host, "the name does not resolve");
            }
        }

        if (addresses.Length == 0)
        {
            throw new BlockedDestinationException(host, "the name does not resolve");
        }

        if (addresses.FirstOrDefault(a => !IsAllowed(a)) is { } blocked)
        {
            throw new BlockedDestinationException(host, $"it leads to {blocked}, an internal address users may not reach");
        }

        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }

    /// <summary>Checks a user-supplied URL: https only, and its host must pass <see cref="ResolveAsync"/>.</summary>
    public async Task<IPAddress> CheckUrlAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps)
        {
            throw new BlockedDestinationException(url.IsAbsoluteUri ? url.Host : url.ToString(), "only https URLs are allowed");
        }

        return await ResolveAsync(url.IdnHost, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a failed reachability check last at least <see cref="UniformFailureDuration"/> since <paramref name="started"/>,
    /// so its timing says nothing about the port either.
    /// </summary>
    public async Task PadFailureAsync(long started, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var remaining = UniformFailureDuration - clock.GetElapsedTime(started);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The one answer a connection test gives when it could not talk to the server at all: blocked, unknown name,
    /// refused, filtered or not speaking the protocol look the same, so the test cannot serve as a port scanner.
    /// </summary>
    public static string UnreachableMessage(string host, int port) =>
        $"Koppel could not open a session with {host}:{port}. Check the host name and port, that the server accepts connections from Koppel, "
        + "and that it is not an internal address (those need the operator's permission).";

    private static IPNetwork ParseNetwork(string text) =>
        IPNetwork.TryParse(text, out var network) ? network
        : IPAddress.TryParse(text, out var single) ? new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
        : throw new ArgumentException($"'{text}' in {NetworkGuardOptions.Section}:AllowedNetworks is neither a network (10.0.0.0/8) nor an address.", nameof(text));
}

/// <summary>A user-supplied host or URL leads somewhere users may not reach.</summary>
public sealed class BlockedDestinationException : Exception
{
    public BlockedDestinationException()
    {
    }

    public BlockedDestinationException(string message)
        : base(message)
    {
    }

    public BlockedDestinationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BlockedDestinationException(string host, string why)
        : base($"Koppel may not connect to '{host}': {why}. An operator can allow internal networks in {NetworkGuardOptions.Section}:AllowedNetworks.")
    {
        Host = host;
    }

    public string? Host { get; }
}

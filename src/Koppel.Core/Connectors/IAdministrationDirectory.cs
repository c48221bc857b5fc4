namespace Koppel.Core.Connectors;

/// <summary>
/// A connector whose credentials may reach several administrations (a Yuki domain key) and can list them, so dossiers
/// can be created from the accounting package in one go ("add from accounting software").
/// </summary>
public interface IAdministrationDirectory
{
    Task<IReadOnlyList<AdministrationInfo>> ListAdministrationsAsync(ConnectorSettings settings, CancellationToken cancellationToken);
}

/// <summary>
/// One administration the credentials reach, with what the provider says of the company behind it (any of the details
/// may be missing) and the connection options that point a connection at it (e.g. Yuki's <c>administrationId</c>).
/// </summary>
public sealed record AdministrationInfo(string Id, string Name, IReadOnlyDictionary<string, string> ConnectionOptions)
{
    public string? EnterpriseNumber { get; init; }

    public string? VatNumber { get; init; }

    public string? ContactEmail { get; init; }
}

using Koppel.Core.Domain;

namespace Koppel.Core.Connectors;

/// <summary>How a connector hands a document over.</summary>
public enum DeliveryMode
{
    /// <summary>The file is handed over as is, for the receiver to process (folder, SFTP, mailbox).</summary>
    HandOver,

    /// <summary>The document is booked as an accounting entry through the provider's API.</summary>
    BookEntry,
}

/// <summary>Things a connector can do beyond delivering. The catalogue shows exactly these.</summary>
[Flags]
public enum ConnectorCapabilities
{
    None = 0,
    Deliver = 1,
    TestConnection = 2,
    ListAdministrations = 4,
    OAuthConsent = 8,
    ReadPayments = 16,
    ReadRelations = 32,
    ReadLedgerAccounts = 64,
    ReadVatCodes = 128,
}

/// <summary>One setting a connection of this provider has.</summary>
public sealed record SettingField(
    string Name,
    string Description,
    bool Required = false,
    bool Secret = false,
    string? DefaultValue = null);

/// <summary>What a connector is and can do, and which settings it takes.</summary>
public sealed record ConnectorDescriptor
{
    public required string Provider { get; init; }

    public required string DisplayName { get; init; }

    public required ConnectorCapabilities Capabilities { get; init; }

    public required IReadOnlyDictionary<DocumentKind, DeliveryMode> Delivers { get; init; }

    public required IReadOnlyList<SettingField> Settings { get; init; }

    /// <summary>Only an operator (a caller for all dossiers) may create or change such a connection: it reaches the server itself.</summary>
    public bool OperatorOnly { get; init; }

    /// <summary>Where what is known of the provider's API ends; shown in the catalogue.</summary>
    public string? Notes { get; init; }
}

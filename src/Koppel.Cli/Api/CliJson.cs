using System.Text.Json;
using System.Text.Json.Serialization;

namespace Koppel.Cli.Api;

/// <summary>The body of <c>POST /api/dossiers/{dossierId}/exports</c> (an export, a dry run or a resend).</summary>
internal sealed record ExportRequest(
    IReadOnlyList<string>? DocumentIds,
    string? From,
    string? To,
    string? ConnectionId,
    bool Resend,
    bool DryRun);

/// <summary>The body of <c>POST /api/dossiers</c>.</summary>
internal sealed record DossierInput(string Name, string EnterpriseNumber, string? VatNumber, string? ContactEmail, string? TimeZone);

/// <summary>The body of <c>POST /api/dossiers/{dossierId}/connections</c>: settings split into options and (secret) credentials.</summary>
internal sealed record ConnectionInput(
    string Provider,
    string? DisplayName,
    IReadOnlyList<string> DocumentKinds,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, string> Credentials);

/// <summary>The body of <c>POST …/deliveries/{deliveryId}/discard</c>.</summary>
internal sealed record DiscardInput(string? Reason);

/// <summary>One setting of a provider, as the catalogue (<c>GET /api/connectors</c>) describes it.</summary>
internal sealed record SettingField(string Name, string Description, bool Required, bool Secret, string? DefaultValue);

/// <summary>What the CLI reads of a catalogue entry to ask for a connection's settings.</summary>
internal sealed record ConnectorEntry(string Provider, string DisplayName, IReadOnlyDictionary<string, string> Delivers, IReadOnlyList<SettingField> Settings, string? Notes);

/// <summary>The parts of a run the CLI acts on (waiting for an export); the rest is printed from the JSON as it came.</summary>
internal sealed record RunStatus(
    string RunId,
    string Status,
    int TotalDocuments,
    int SucceededDocuments,
    int FailedDocuments,
    int SkippedDocuments,
    string? ResultText)
{
    public bool HasEnded => Status is not ("Running" or "Queued");
}

/// <summary>An RFC 9457 problem details answer, as the API sends it for a refused request.</summary>
internal sealed record ProblemDetails(string? Title, string? Detail, int? Status, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>The configuration file: <c>{"server": "...", "apiKey": "..."}</c>.</summary>
internal sealed record CliConfigFile(string? Server, string? ApiKey);

/// <summary>Source-generated (trimming and Native AOT safe) JSON for everything the CLI reads or writes typed.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ExportRequest))]
[JsonSerializable(typeof(RunStatus))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(CliConfigFile))]
[JsonSerializable(typeof(DossierInput))]
[JsonSerializable(typeof(ConnectionInput))]
[JsonSerializable(typeof(DiscardInput))]
[JsonSerializable(typeof(List<ConnectorEntry>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliJson : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Koppel.Infra.Tests.Support;

/// <summary>infra/main.bicep built once to ARM JSON for all the tests that read it.</summary>
public sealed class CompiledTemplate : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("koppel-infra-").FullName;

    public CompiledTemplate()
    {
        var outFile = Path.Combine(_directory, "main.json");
        Build = BicepCli.Run("build", "main.bicep", "--outfile", outFile);
        Json = Build.ExitCode == 0 ? File.ReadAllText(outFile) : string.Empty;
        Root = Build.ExitCode == 0 ? JsonNode.Parse(Json)!.AsObject() : new JsonObject();
    }

    public BicepRun Build { get; }

    public string Json { get; }

    public JsonObject Root { get; }

    /// <summary>Every resource, nested module deployments included (symbolic-name objects and plain arrays alike).</summary>
    public IEnumerable<JsonObject> AllResources => ResourcesOf(Root);

    public IEnumerable<JsonObject> OfType(string type) =>
        AllResources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject TheOnly(string type) => OfType(type).Single();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IEnumerable<JsonObject> ResourcesOf(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonArray list => list.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in ResourcesOf(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}

internal static class JsonFiles
{
    public static JsonDocument Read(params string[] parts) => JsonDocument.Parse(Repository.ReadText(parts));
}

/// <summary>
/// The tests that run the Bicep CLI share one build and run one after another: each CLI run is a self-contained
/// .NET process, and several at once only compete for the build machine's two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BicepCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "Bicep CLI";
}

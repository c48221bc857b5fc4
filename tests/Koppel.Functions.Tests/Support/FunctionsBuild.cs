using System.Reflection;
using System.Text.Json;
using Koppel.Functions;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Tests.Support;

/// <summary>One function as the Functions SDK wrote it into functions.metadata at build time.</summary>
public sealed record FunctionMetadata(string Name, string EntryPoint, IReadOnlyList<JsonElement> Bindings)
{
    public JsonElement Trigger => Bindings.Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public string? Text(string property) => Trigger.TryGetProperty(property, out var value) ? value.ToString() : null;
}

/// <summary>The Functions app's build output: its assembly, the generated functions.metadata and the build switch it was built with.</summary>
public static class FunctionsBuild
{
    public static Assembly Assembly { get; } = typeof(KoppelFunctionsApp).Assembly;

    public static string OutputDirectory { get; } = Metadata("FunctionsOutput");

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>False where the registry lacks the Service Bus extension (scripts/test.sh), true on a full registry.</summary>
    public static bool WithServiceBusTrigger { get; } =
        bool.Parse(Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "KoppelServiceBusTrigger").Value!);

    public static IReadOnlyList<FunctionMetadata> Functions { get; } = ReadFunctionsMetadata();

    public static IEnumerable<FunctionMetadata> HttpFunctions => Functions.Where(f => f.TriggerType == "httpTrigger");

    public static FunctionMetadata Function(string name) => Functions.Single(f => f.Name == name);

    /// <summary>Every method the app marks [Function], by its function name.</summary>
    public static IReadOnlyDictionary<string, MethodInfo> FunctionMethods { get; } = Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
        .ToDictionary(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, StringComparer.Ordinal);

    public static string PathOf(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    private static List<FunctionMetadata> ReadFunctionsMetadata()
    {
        var file = Path.Combine(OutputDirectory, "functions.metadata");
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"No functions.metadata in {OutputDirectory}: build src/Koppel.Functions first.", file);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        return json.RootElement.EnumerateArray()
            .Select(f => new FunctionMetadata(
                f.GetProperty("name").GetString()!,
                f.GetProperty("entryPoint").GetString()!,
                f.GetProperty("bindings").EnumerateArray().Select(b => b.Clone()).ToList()))
            .ToList();
    }

    private static string Metadata(string key) =>
        typeof(FunctionsBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The build did not record {key}.");
}

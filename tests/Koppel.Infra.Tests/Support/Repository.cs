using System.Reflection;

namespace Koppel.Infra.Tests.Support;

/// <summary>Paths the build wrote into this assembly: the repository root and the restored Bicep CLI.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string BicepPackageExecutable { get; } = Metadata("BicepExecutable");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The build did not record {key}.");
}

namespace Koppel.Formats.Tests.Ubl;

/// <summary>
/// Finds the shared public corpus (never copied into the repository): it sits next to the repo,
/// i.e. at &lt;repoRoot&gt;/../shared/corpus. Found by walking up from the test's base directory.
/// </summary>
internal static class Corpus
{
    private static readonly Lazy<string?> Root = new(Locate);

    public static string? RootOrNull => Root.Value;

    public static string SearchedFrom => AppContext.BaseDirectory;

    public static string UblFolder => Path.Combine(Require(), "ubl");

    public static string NegativeFolder => Path.Combine(UblFolder, "negative");

    public static string XsdFolder => Path.Combine(Require(), "rules", "ubl-2.1-xsd");

    public static string Ubl(string fileName) => Path.Combine(UblFolder, fileName);

    public static IEnumerable<string> TopLevelUblFiles() =>
        Directory.EnumerateFiles(UblFolder, "*.xml").Order(StringComparer.Ordinal);

    private static string Require() => RootOrNull ?? throw new InvalidOperationException("shared corpus not found");

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus");
            if (Directory.Exists(Path.Combine(candidate, "ubl")))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that is skipped, visibly, when the shared corpus is not on this machine.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (Corpus.RootOrNull is null)
        {
            Skip = $"shared corpus not found above {Corpus.SearchedFrom}";
        }
    }
}

/// <summary>A theory over corpus files, skipped visibly when the shared corpus is missing.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        if (Corpus.RootOrNull is null)
        {
            Skip = $"shared corpus not found above {Corpus.SearchedFrom}";
        }
    }
}

namespace Koppel.Formats.Tests;

/// <summary>
/// Finds the shared public test corpus: walk up from the test binaries to the repository root
/// (the folder holding Functions.sln), then <c>../shared/corpus</c> next to it.
/// Corpus files are read in place, never copied into the repository. (Named SharedCorpus so it does not
/// shadow the UBL tests' own Ubl.Corpus helper from the namespaces nested in Koppel.Formats.Tests.)
/// </summary>
public static class SharedCorpus
{
    private static readonly Lazy<string> Location = new(Locate);

    /// <summary>Where the corpus is expected, whether or not it exists.</summary>
    public static string Root => Location.Value;

    public static bool IsAvailable => Directory.Exists(Root);

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static string Coda(string fileName) => Path(System.IO.Path.Combine("coda", fileName));

    public static FileStream OpenCoda(string fileName) => File.OpenRead(Coda(fileName));

    private static string Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Functions.sln")))
        {
            directory = directory.Parent;
        }

        var repositoryRoot = directory?.FullName ?? AppContext.BaseDirectory;
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(repositoryRoot, "..", "shared", "corpus"));
    }
}

/// <summary>A fact that needs the shared corpus; it is skipped, visibly, when the corpus is not there.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (!SharedCorpus.IsAvailable)
        {
            Skip = $"shared corpus not found at {SharedCorpus.Root}";
        }
    }
}

/// <summary>A theory that needs the shared corpus; it is skipped, visibly, when the corpus is not there.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        if (!SharedCorpus.IsAvailable)
        {
            Skip = $"shared corpus not found at {SharedCorpus.Root}";
        }
    }
}

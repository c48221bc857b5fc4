using System.Text;

namespace Koppel.Formats.Tests.Coda;

/// <summary>
/// The fast CODA reader must give the same model as the reader it replaced, field for field. The golden files in
/// <c>Golden/</c> were written by that earlier reader (commit "CODA golden models") on every public file and on
/// 250 seeded mutants of each (the fuzz tests' mutations: flipped bytes, cut lines, swapped records, odd line ends…).
/// Set KOPPEL_WRITE_GOLDEN=1 to write them again, only ever on purpose after a deliberate model change.
/// </summary>
public sealed class CodaGoldenModelTests
{
    private static readonly string GoldenFolder = Path.Combine(SourceFolder(), "Golden");

    private static bool Writing => Environment.GetEnvironmentVariable("KOPPEL_WRITE_GOLDEN") == "1";

    public static TheoryData<string> PublicFiles()
    {
        var data = new TheoryData<string>();
        if (SharedCorpus.IsAvailable)
        {
            foreach (var file in CorpusFiles())
            {
                data.Add(Path.GetFileName(file));
            }
        }
        else
        {
            data.Add("(corpus missing)");
        }

        return data;
    }

    [CorpusTheory]
    [MemberData(nameof(PublicFiles))]
    public void Every_public_file_reads_into_the_same_model_as_before(string fileName)
    {
        var dump = CodaModelDump.Read(File.ReadAllBytes(SharedCorpus.Coda(fileName)));

        AssertGolden(fileName + ".txt", dump);
    }

    [CorpusFact]
    public void Every_mutant_of_the_public_files_reads_into_the_same_model_or_error_as_before()
    {
        var lines = new StringBuilder();
        foreach (var file in CorpusFiles())
        {
            var name = Path.GetFileName(file);
            var original = File.ReadAllBytes(file);
            var combined = new StringBuilder();
            for (var i = 0; i < CodaFuzzTests.MutationsPerFile; i++)
            {
                var (_, mutant) = CodaFuzzTests.Mutant(name, original, i);
                combined.Append(CodaModelDump.Hash(CodaModelDump.Read(mutant))).Append('\n');
            }

            lines.Append(name).Append(' ').Append(CodaModelDump.Hash(combined.ToString())).Append('\n');
        }

        AssertGolden("mutants.txt", lines.ToString());
    }

    [Fact]
    public void A_generated_file_of_2000_movements_reads_into_the_same_model_as_before()
    {
        using var stream = new GeneratedCodaStream(movements: 2_000);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);

        AssertGolden("generated-2000.sha256", CodaModelDump.Hash(CodaModelDump.Read(copy.ToArray())) + "\n");
    }

    private static IEnumerable<string> CorpusFiles() =>
        Directory.GetFiles(Path.Combine(SharedCorpus.Root, "coda"))
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static void AssertGolden(string goldenName, string actual)
    {
        var path = Path.Combine(GoldenFolder, goldenName);
        if (Writing)
        {
            Directory.CreateDirectory(GoldenFolder);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    // The golden files live beside this source file, not in the build output.
    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path)!;
}

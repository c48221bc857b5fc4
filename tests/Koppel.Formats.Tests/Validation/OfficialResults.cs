using System.Text.RegularExpressions;
using Koppel.Formats.Tests.Ubl;

namespace Koppel.Formats.Tests.Validation;

/// <summary>
/// The official schematron outcome per corpus file, read from the corpus's own VALIDATION.md
/// (Saxon runs of the CEN, Peppol and UBL.BE artefacts): the oracle the conformance tests compare with.
/// </summary>
internal static partial class OfficialResults
{
    private static readonly Lazy<IReadOnlyDictionary<string, Row>> Rows = new(Load);

    public sealed record Row(string File, IReadOnlySet<string> CenFatal, IReadOnlySet<string> PeppolFatal, string UblBe);

    public static Row For(string fileName) => Rows.Value[fileName];

    private static Dictionary<string, Row> Load()
    {
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(Corpus.UblFolder, "VALIDATION.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 5 || !cells[1].EndsWith(".xml", StringComparison.Ordinal))
            {
                continue;
            }

            rows[cells[1]] = new Row(cells[1], FatalRules(cells[2]), FatalRules(cells[3]), cells[4]);
        }

        return rows;
    }

    private static HashSet<string> FatalRules(string cell) =>
        RuleResult().Matches(cell).Where(m => m.Groups["flag"].Value == "fatal").Select(m => m.Groups["rule"].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<rule>[A-Z][A-Z0-9\-]+)\((?<flag>fatal|warning)\)x\d+")]
    private static partial Regex RuleResult();
}

using System.Text;
using System.Xml.Linq;
using Koppel.Formats.Findings;
using Koppel.Formats.Tests.Ubl;
using Koppel.Formats.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Formats.Tests.Validation;

/// <summary>
/// The official unit test sets (vefa testSet files): each wraps small Invoice/CreditNote fragments,
/// each marked with the one rule that must fire (error) or must not fire (success). The fragments
/// are incomplete on purpose, so only the named rule is looked at.
/// </summary>
public sealed class NegativeFragmentTests
{
    private static readonly XNamespace Vefa = "http://difi.no/xsd/vefa/validator/1.0";

    public static TheoryData<string, int> Fragments()
    {
        var data = new TheoryData<string, int>();
        if (Corpus.RootOrNull is null)
        {
            data.Add("(corpus missing)", 0);
            return data;
        }

        foreach (var file in Directory.EnumerateFiles(Corpus.NegativeFolder, "*.xml").Order(StringComparer.Ordinal))
        {
            var count = XDocument.Load(file).Root!.Elements(Vefa + "test").Count();
            for (var i = 1; i <= count; i++)
            {
                data.Add(Path.GetFileName(file), i);
            }
        }

        return data;
    }

    [CorpusTheory]
    [MemberData(nameof(Fragments))]
    public void Each_official_test_fragment_fires_or_passes_its_rule_as_the_test_set_says(string fileName, int testNumber)
    {
        var test = XDocument.Load(Path.Combine(Corpus.NegativeFolder, fileName)).Root!.Elements(Vefa + "test").ElementAt(testNumber - 1);
        var assert = test.Element(Vefa + "assert")!;
        var expectError = assert.Element(Vefa + "error") is not null;
        var rule = (assert.Element(Vefa + "error") ?? assert.Element(Vefa + "success"))!.Value.Trim();
        var fragment = test.Elements().Single(e => e.Name.LocalName is "Invoice" or "CreditNote");

        var findings = ValidateFragment(fragment, rule);

        var fired = findings.Any(f => f.Rule == rule && f.Severity == FindingSeverity.Fatal);
        Assert.True(
            fired == expectError,
            $"{fileName} test {testNumber}: expected {rule} to {(expectError ? "fire" : "not fire")}; findings: {string.Join("; ", findings.Where(f => f.Rule == rule))}");
    }

    private static IReadOnlyList<Finding> ValidateFragment(XElement fragment, string rule)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(fragment.ToString()));
        var document = UblReader.Read(stream);
        var layer = rule.StartsWith("PEPPOL-", StringComparison.Ordinal) ? PeppolRules.Validate(document) : En16931Rules.Validate(document);
        return layer.Findings;
    }
}

using Koppel.Formats.Findings;
using Koppel.Formats.Tests.Ubl;
using Koppel.Formats.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Formats.Tests.Validation;

public sealed class CorpusConformanceTests
{
    /// <summary>The Peppol rules Koppel implements; official results for other Peppol rules are not compared.</summary>
    private static readonly HashSet<string> ImplementedPeppolRules =
    [
        "PEPPOL-EN16931-R001", "PEPPOL-EN16931-R002", "PEPPOL-EN16931-R003", "PEPPOL-EN16931-R004", "PEPPOL-EN16931-R005", "PEPPOL-EN16931-R007",
        "PEPPOL-EN16931-R010", "PEPPOL-EN16931-R020", "PEPPOL-EN16931-R040", "PEPPOL-EN16931-R041", "PEPPOL-EN16931-R042",
        "PEPPOL-EN16931-R043", "PEPPOL-EN16931-R044", "PEPPOL-EN16931-R046", "PEPPOL-EN16931-R053", "PEPPOL-EN16931-R054", "PEPPOL-EN16931-R055", "PEPPOL-EN16931-R061",
        "PEPPOL-EN16931-R100", "PEPPOL-EN16931-R101", "PEPPOL-EN16931-R110", "PEPPOL-EN16931-R111", "PEPPOL-EN16931-R120", "PEPPOL-EN16931-R121", "PEPPOL-EN16931-R130",
        "PEPPOL-COMMON-R043", "PEPPOL-COMMON-R049", "SE-R-003", "SE-R-004", "SE-R-013", "NL-R-003", "NO-R-001", "PEPPOL-EN16931-P0100", "PEPPOL-EN16931-P0101", "PEPPOL-EN16931-P0112", "PEPPOL-EN16931-R051", "PEPPOL-COMMON-R040", "PEPPOL-EN16931-CL007", "PEPPOL-EN16931-CL008",
        "PEPPOL-EN16931-R008", "PEPPOL-EN16931-F001",
    ];

    public static TheoryData<string> TopLevelFiles() => UblReaderCorpusTests.TopLevelFiles();

    [CorpusTheory]
    [MemberData(nameof(TopLevelFiles))]
    public void The_en16931_layer_reports_exactly_the_official_fatal_rules(string fileName)
    {
        var report = Validate(fileName, new UblValidationOptions());

        var ours = FatalRules(report.Layer(En16931Rules.LayerName));

        Assert.Equal(OfficialResults.For(fileName).CenFatal.Order(), ours.Order());
    }

    [CorpusTheory]
    [MemberData(nameof(TopLevelFiles))]
    public void Every_corpus_file_is_valid_against_the_ubl_2_1_xsd(string fileName)
    {
        var report = Validate(fileName, new UblValidationOptions { XsdFolder = Corpus.XsdFolder });

        var xsd = report.Layer(XsdValidationLayer.LayerName);
        Assert.True(xsd.Status == ValidationLayerStatus.Passed, string.Join("\n", xsd.Findings));
    }

    [CorpusTheory]
    [MemberData(nameof(TopLevelFiles))]
    public void The_peppol_layer_agrees_with_the_official_result_on_the_rules_it_implements(string fileName)
    {
        var official = OfficialResults.For(fileName);
        var report = Validate(fileName, new UblValidationOptions { ApplyPeppolRulesToOtherProfiles = true });

        if (report.Document!.Profile == UblProfile.UblBe)
        {
            // Officially every UBL.BE file fails PEPPOL-EN16931-R004 because it is not a Peppol BIS document.
            // Koppel judges UBL.BE by the UBL.BE layer instead, which the official UBL.BE run says is OK.
            Assert.Contains("PEPPOL-EN16931-R004", official.PeppolFatal);
            Assert.Equal(ValidationLayerStatus.Skipped, report.Layer(PeppolRules.LayerName).Status);
            Assert.Equal("OK", official.UblBe);
            Assert.Equal(ValidationLayerStatus.Passed, report.Layer(UblBeRules.LayerName).Status);
            return;
        }

        var expected = official.PeppolFatal.Where(ImplementedPeppolRules.Contains).Order();
        var ours = FatalRules(report.Layer(PeppolRules.LayerName)).Order();
        Assert.Equal(expected, ours);
    }

    [CorpusFact]
    public void Tc434_example1_is_cen_valid_but_fails_peppol_for_missing_profile_endpoints_and_a_line_amount()
    {
        var report = Validate("ubl-tc434-example1.xml", new UblValidationOptions { ApplyPeppolRulesToOtherProfiles = true });

        Assert.Equal(ValidationLayerStatus.Passed, report.Layer(En16931Rules.LayerName).Status);
        var peppol = FatalRules(report.Layer(PeppolRules.LayerName));
        Assert.Contains("PEPPOL-EN16931-R001", peppol);
        Assert.Contains("PEPPOL-EN16931-R010", peppol);
        Assert.Contains("PEPPOL-EN16931-R020", peppol);
        Assert.Contains("PEPPOL-EN16931-R120", peppol);
        var r120 = report.Layer(PeppolRules.LayerName).Findings.First(f => f.Rule == "PEPPOL-EN16931-R120");
        Assert.StartsWith("/Invoice/cac:InvoiceLine[", r120.Location, StringComparison.Ordinal);
    }

    [CorpusFact]
    public void A_plain_en16931_file_is_not_judged_by_peppol_unless_asked()
    {
        var report = Validate("ubl-tc434-example1.xml", new UblValidationOptions());

        Assert.Equal(ValidationLayerStatus.Skipped, report.Layer(PeppolRules.LayerName).Status);
        Assert.True(report.IsAccepted);
    }

    [CorpusFact]
    public void Ubl_be_files_pass_the_ubl_be_layer_without_a_peppol_r004()
    {
        var report = Validate("UBLBE_BE0000000196_V01-15000004.xml", new UblValidationOptions { XsdFolder = Corpus.XsdFolder });

        Assert.True(report.IsAccepted, string.Join("\n", report.Findings));
        Assert.DoesNotContain(report.Findings, f => f.Rule == "PEPPOL-EN16931-R004");
        Assert.Equal(ValidationLayerStatus.Passed, report.Layer(UblBeRules.LayerName).Status);
        Assert.Empty(report.Layer(UblBeRules.LayerName).Findings);
    }

    [CorpusFact]
    public void Without_an_xsd_folder_the_xsd_layer_is_skipped_not_passed()
    {
        var report = Validate("base-example.xml", new UblValidationOptions());

        var xsd = report.Layer(XsdValidationLayer.LayerName);
        Assert.Equal(ValidationLayerStatus.Skipped, xsd.Status);
        Assert.Contains("XSD", xsd.Note, StringComparison.Ordinal);
    }

    private static UblValidationReport Validate(string fileName, UblValidationOptions options)
    {
        using var stream = File.OpenRead(Corpus.Ubl(fileName));
        return UblValidator.Validate(stream, options);
    }

    private static List<string> FatalRules(ValidationLayerResult layer) =>
        layer.Findings.Where(f => f.Severity == FindingSeverity.Fatal).Select(f => f.Rule).Distinct().ToList();
}

using Koppel.Formats.Coda;

namespace Koppel.Formats.Tests.Coda;

/// <summary>
/// The integrity verdicts of SOURCES.md ("OK" / "trailer MISMATCH": record-9 count and debit/credit sums
/// against the records and the detail-0000 movements), and every other finding the public files earn.
/// </summary>
public sealed class CodaIntegrityVerdictTests
{
    private static readonly string[] TrailerRules = [CodaRules.TrailerCount, CodaRules.TrailerDebit, CodaRules.TrailerCredit];

    [CorpusTheory]
    [InlineData("sample1.cod")]
    [InlineData("sample2.cod")]
    [InlineData("sample8.cod")]
    [InlineData("sample10.cod")]
    [InlineData("sample11.cod")]
    [InlineData("Coda_v2_3_multi_statements.txt")]
    [InlineData("Coda_v2_3_single_statement.txt")]
    [InlineData("Coda_v2_3_globalisation.txt")]
    [InlineData("Coda_v2_3_faulty_globalisation.txt")]
    [InlineData("Coda_foreign_account.txt")]
    [InlineData("sample3.cod", CodaRules.TrailerCount, CodaRules.TrailerDebit, CodaRules.TrailerCredit)]
    [InlineData("sample4.cod", CodaRules.TrailerCount, CodaRules.TrailerDebit, CodaRules.TrailerCredit)]
    [InlineData("sample5.cod", CodaRules.TrailerCount, CodaRules.TrailerDebit, CodaRules.TrailerCredit)]
    [InlineData("sample6.cod", CodaRules.TrailerCount, CodaRules.TrailerDebit, CodaRules.TrailerCredit)]
    [InlineData("sample7.cod", CodaRules.TrailerCount, CodaRules.TrailerDebit, CodaRules.TrailerCredit)]
    [InlineData("sample9.cod", CodaRules.TrailerCount, CodaRules.TrailerCredit)]
    public void Trailer_integrity_matches_the_verdict_of_the_corpus_report(string fileName, params string[] expectedTrailerWarnings)
    {
        var file = Read(fileName);

        var trailerWarnings = file.Findings.Select(f => f.Rule).Where(TrailerRules.Contains).ToArray();

        Assert.Equal(expectedTrailerWarnings, trailerWarnings);
    }

    [CorpusTheory]
    [InlineData("sample1.cod", CodaRules.StructuredCommunication, CodaRules.MultipleFile)]
    [InlineData("sample2.cod", CodaRules.Account, CodaRules.Balance, CodaRules.MultipleFile)]
    [InlineData("sample3.cod", CodaRules.Numeric, CodaRules.Account, CodaRules.Balance, CodaRules.TrailerCount, CodaRules.TrailerDebit, CodaRules.TrailerCredit)]
    [InlineData("sample7.cod", CodaRules.StructuredCommunication, CodaRules.Balance, CodaRules.TrailerCount, CodaRules.TrailerDebit, CodaRules.TrailerCredit, CodaRules.MultipleFile)]
    [InlineData("sample8.cod", CodaRules.MultipleFile)]
    [InlineData("sample10.cod")]
    [InlineData("sample11.cod")]
    [InlineData("Coda_foreign_account.txt")]
    [InlineData("Coda_v2_3_single_statement.txt", CodaRules.MultipleFile)]
    [InlineData("Coda_v2_3_multi_statements.txt", CodaRules.Account, CodaRules.MultipleFile)]
    [InlineData("Coda_v2_3_globalisation.txt", CodaRules.Account, CodaRules.MultipleFile)]
    [InlineData("Coda_v2_3_faulty_globalisation.txt", CodaRules.Account, CodaRules.MultipleFile)]
    public void Public_files_report_exactly_these_kinds_of_problems(string fileName, params string[] expectedRules)
    {
        var rules = Read(fileName).Findings.Select(f => f.Rule).Distinct().ToArray();

        Assert.Equal(expectedRules, rules);
    }

    [CorpusFact]
    public void Last_trailer_that_announces_another_file_is_reported_at_position_128()
    {
        // SOURCES.md says the multi-statement file ends with multiple-file code 2; its last record 9 actually has 1.
        var finding = Assert.Single(Read("Coda_v2_3_multi_statements.txt").Findings, f => f.Rule == CodaRules.MultipleFile);

        Assert.Equal("line 137, position 128", finding.Location);
    }

    [CorpusFact]
    public void Sample9_trailer_warnings_say_what_the_file_claims_and_what_it_holds()
    {
        var findings = Read("sample9.cod").Findings;

        var count = Assert.Single(findings, f => f.Rule == CodaRules.TrailerCount);
        var credit = Assert.Single(findings, f => f.Rule == CodaRules.TrailerCredit);
        Assert.Equal("line 9, position 17", count.Location);
        Assert.Contains("22", count.Message, StringComparison.Ordinal);
        Assert.Contains("7", count.Message, StringComparison.Ordinal);
        Assert.Equal("line 9, position 38", credit.Location);
    }

    private static CodaFile Read(string fileName)
    {
        using var stream = SharedCorpus.OpenCoda(fileName);
        return CodaReader.Read(stream);
    }
}

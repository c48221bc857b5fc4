using System.Text;
using Koppel.Formats.Coda;

namespace Koppel.Formats.Tests.Coda;

/// <summary>Records in the wrong place (what swapped, duplicated and deleted lines produce) are reported, not fatal.</summary>
public sealed class CodaRecordOrderTests
{
    private static CodaFile Read(IEnumerable<string> lines) =>
        CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(string.Join("\n", lines))));

    private static List<string> ConsistentLines() =>
        new SyntheticCoda().Header().OldBalance(0m)
            .Movement(1, 4m, communication: "first", counterpartyName: "A")
            .Information(1, 1, "info")
            .NewBalance().Trailer().Lines.ToList();

    [Fact]
    public void Continuation_record_before_any_movement_is_skipped_with_a_warning()
    {
        var lines = ConsistentLines();
        (lines[2], lines[3]) = (lines[3], lines[2]);

        var file = Read(lines);

        var finding = file.Findings[0];
        Assert.Equal((CodaRules.RecordOrder, "line 3, position 1"), (finding.Rule, finding.Location));
        Assert.Single(file.Statements[0].Movements);
    }

    [Fact]
    public void Information_record_without_a_movement_is_skipped_with_a_warning()
    {
        var lines = ConsistentLines();
        lines.RemoveRange(2, 2);

        var file = Read(lines);

        Assert.Contains(file.Findings, f => f.Rule == CodaRules.RecordOrder && f.Location == "line 3, position 1");
        Assert.Empty(file.Statements[0].Movements);
    }

    [Fact]
    public void Movement_before_the_old_balance_is_reported()
    {
        var lines = ConsistentLines();
        (lines[1], lines[2]) = (lines[2], lines[1]);

        var file = Read(lines);

        Assert.Equal(CodaRules.RecordOrder, file.Findings[0].Rule);
        Assert.Equal("line 2, position 1", file.Findings[0].Location);
    }

    [Fact]
    public void Duplicated_old_balance_is_reported_once_and_ignored()
    {
        var lines = ConsistentLines();
        lines.Insert(2, lines[1]);

        var file = Read(lines);

        Assert.Contains(file.Findings, f => f.Rule == CodaRules.RecordOrder && f.Location == "line 3, position 1");
        Assert.Equal(4m, file.Statements[0].NewBalance);
    }

    [Fact]
    public void Record_after_the_trailer_without_a_new_header_is_skipped_with_a_warning()
    {
        var lines = ConsistentLines();
        lines.Add(lines[2]);

        var file = Read(lines);

        var finding = Assert.Single(file.Findings);
        Assert.Equal((CodaRules.RecordOrder, "line 8, position 1"), (finding.Rule, finding.Location));
    }

    [Fact]
    public void Detail_that_does_not_follow_its_movement_becomes_a_movement_of_its_own()
    {
        var lines = new SyntheticCoda().Header().OldBalance(0m).Movement(1, 4m).Movement(2, 1m, detail: 1).NewBalance().Trailer(credits: 4m).Lines;

        var file = Read(lines);

        Assert.Equal(2, file.Statements[0].Movements.Count);
        Assert.Contains(file.Findings, f => f.Rule == CodaRules.RecordOrder && f.Location == "line 4, position 3");
    }

    [Fact]
    public void New_header_before_the_trailer_closes_the_open_statement_as_truncated()
    {
        var lines = ConsistentLines();
        lines.RemoveAt(lines.Count - 1);
        lines.AddRange(new SyntheticCoda().Statement(0m, '2', 1m).Lines);

        var file = Read(lines);

        Assert.Equal(2, file.Statements.Count);
        var finding = Assert.Single(file.Statements[0].Findings);
        Assert.Equal((CodaRules.Truncated, "line 7, position 1"), (finding.Rule, finding.Location));
        Assert.Empty(file.Statements[1].Findings);
    }
}

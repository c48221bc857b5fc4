using Koppel.Formats.Coda;

namespace Koppel.Formats.Tests.Coda;

public sealed class CodaLargeFileTests
{
    [Fact]
    public void File_with_100000_movements_streams_from_a_non_seekable_source_without_findings()
    {
        using var stream = new GeneratedCodaStream(movements: 100_000);

        var statement = Assert.Single(CodaReader.ReadStatements(stream));

        Assert.Equal(100_000, statement.Movements.Count);
        Assert.Empty(statement.Findings);
        Assert.Equal("CUSTOMER 100000", statement.Movements[^1].CounterpartyName);
        Assert.Equal(0, statement.Movements[9_999].Sequence);
        Assert.True(stream.BytesProduced > 38_000_000);
    }
}

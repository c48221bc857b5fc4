using System.Runtime.CompilerServices;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Coda;

/// <summary>
/// Reads Febelfin CODA statements (versions 1 and 2) from a stream, line by line.
/// Inconsistencies (trailer totals, balances, odd fields) become warning findings;
/// only input that is not CODA at all, or an unsupported version, throws <see cref="DocumentReadException"/>.
/// </summary>
public static class CodaReader
{
    /// <summary>Reads the whole physical file; statements are kept in memory.</summary>
    public static CodaFile Read(Stream content, CodaReaderOptions? options = null) =>
        ToFile(ReadStatements(content, options).ToList());

    public static async Task<CodaFile> ReadAsync(Stream content, CodaReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        var statements = new List<CodaStatement>();
        await foreach (var statement in ReadStatementsAsync(content, options, cancellationToken).ConfigureAwait(false))
        {
            statements.Add(statement);
        }

        return ToFile(statements);
    }

    /// <summary>Yields each statement (logical file) as soon as it is complete; only one statement is held in memory.</summary>
    public static IEnumerable<CodaStatement> ReadStatements(Stream content, CodaReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Iterate(content, options ?? CodaReaderOptions.Default, new CodaStatementAssembler());
    }

    private static IEnumerable<CodaStatement> Iterate(Stream content, CodaReaderOptions options, CodaStatementAssembler assembler)
    {
        var lines = new CodaLineSource(content, options);
        while (lines.ReadLine())
        {
            if (assembler.Accept(lines.Line, lines.LineLength, lines.LineNumber) is { } statement)
            {
                yield return statement;
            }
        }

        if (assembler.Finish(lines.LineNumber) is { } last)
        {
            yield return last;
        }
    }

    /// <summary>
    /// Streams the movements as well: each movement (with its globalisation details) is handed to
    /// <paramref name="onMovement"/> as soon as it is complete and is not kept, so memory stays flat however many
    /// movements a statement has. The statements yielded are complete except that their <see cref="CodaStatement.Movements"/>
    /// is empty; each is yielded after all its movements were handed out and before any movement of the next one.
    /// </summary>
    public static IEnumerable<CodaStatement> ReadStatements(Stream content, Action<CodaMovement> onMovement, CodaReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onMovement);
        return Iterate(content, options ?? CodaReaderOptions.Default, new CodaStatementAssembler(onMovement));
    }

    /// <inheritdoc cref="ReadStatements(Stream, CodaReaderOptions?)"/>
    public static async IAsyncEnumerable<CodaStatement> ReadStatementsAsync(
        Stream content,
        CodaReaderOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lines = new CodaLineSource(content, options ?? CodaReaderOptions.Default);
        var assembler = new CodaStatementAssembler();
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false))
        {
            if (assembler.Accept(lines.Line, lines.LineLength, lines.LineNumber) is { } statement)
            {
                yield return statement;
            }
        }

        if (assembler.Finish(lines.LineNumber) is { } last)
        {
            yield return last;
        }
    }

    private static CodaFile ToFile(List<CodaStatement> statements) =>
        new(statements[0].Version, statements, statements.SelectMany(s => s.Findings).ToList());
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Koppel.Formats.Coda;
using Koppel.Formats.Findings;

namespace Koppel.Cli.Inspection;

/// <summary>
/// The inspection of a CODA file: its statements, movements and integrity findings. Movements are streamed from the
/// reader and written as they come (into a spool, see <see cref="Spool"/>), so memory stays flat however long the file.
/// </summary>
internal static class CodaInspection
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static void Inspect(string file, Stream content, bool json, Stream output)
    {
        if (json)
        {
            WriteJson(file, content, output);
        }
        else
        {
            WriteSummary(file, content, output);
        }
    }

    private static void WriteJson(string file, Stream content, Stream output)
    {
        using var spool = new Spool();
        using var movementSpool = new Spool();
        using var writer = new Utf8JsonWriter(spool, JsonLines.WriterOptions);
        using var movementWriter = new Utf8JsonWriter(movementSpool, JsonLines.WriterOptions);
        var findings = new List<Finding>();
        var started = false;
        movementWriter.WriteStartArray();

        foreach (var statement in CodaReader.ReadStatements(content, WriteMovement))
        {
            if (!started)
            {
                started = true;
                writer.WriteStartObject();
                writer.WriteString("file", file);
                writer.WriteString("format", "coda");
                writer.WriteNumber("version", statement.Version);
                writer.WriteStartArray("statements");
            }

            WriteStatement(writer, spool, statement, movementWriter, movementSpool);
            findings.AddRange(statement.Findings);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            FindingJson.Write(writer, finding);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        spool.WriteByte((byte)'\n');
        spool.MoveTo(output);

        void WriteMovement(CodaMovement movement)
        {
            WriteMovementJson(movementWriter, movement);
            if (movementWriter.BytesPending > FlushThreshold)
            {
                movementWriter.Flush();
            }
        }
    }

    private static void WriteStatement(Utf8JsonWriter writer, Spool spool, CodaStatement s, Utf8JsonWriter movementWriter, Spool movementSpool)
    {
        writer.WriteStartObject();
        writer.WriteString("bankId", s.BankId);
        writer.WriteString("bic", s.Bic);
        writer.WriteString("account", s.Account);
        writer.WriteString("currency", s.Currency);
        writer.WriteString("accountHolderName", s.AccountHolderName);
        writer.WriteString("accountDescription", s.AccountDescription);
        writer.WriteNumberOrNull("paperSequence", s.PaperSequence);
        writer.WriteNumberOrNull("codaSequence", s.CodaSequence);
        writer.WriteDate("creationDate", s.CreationDate);
        writer.WriteNumber("oldBalance", s.OldBalance);
        writer.WriteDate("oldBalanceDate", s.OldBalanceDate);
        writer.WriteNumber("newBalance", s.NewBalance);
        writer.WriteDate("newBalanceDate", s.NewBalanceDate);

        // The movements were written to their own spool as "[m1,m2,…" while the statement was read: copy them without
        // the bracket, between the brackets this writer puts down (so it knows the array is there).
        writer.WriteStartArray("movements");
        writer.Flush();
        movementWriter.Flush();
        movementSpool.MoveTo(spool, skip: 1);
        movementWriter.Reset();
        movementWriter.WriteStartArray();
        writer.WriteEndArray();

        writer.WriteStartArray("freeMessages");
        foreach (var message in s.FreeMessages)
        {
            writer.WriteStringValue(message.Text);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMovementJson(Utf8JsonWriter writer, CodaMovement m)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", m.Sequence);
        writer.WriteNumber("detailNumber", m.DetailNumber);
        writer.WriteNumber("amount", m.Amount);
        writer.WriteDate("valueDate", m.ValueDate);
        writer.WriteDate("entryDate", m.EntryDate);
        Span<char> code = stackalloc char[16];
        writer.WriteString("transactionCode", TransactionCode(m.TransactionCode, code));
        writer.WriteString("structuredCommunicationType", m.StructuredCommunicationType);
        writer.WriteString("structuredCommunication", m.StructuredCommunication);
        writer.WriteString("communication", m.Communication);
        writer.WriteString("counterpartyName", m.CounterpartyName);
        writer.WriteString("counterpartyAccount", m.CounterpartyAccount);
        writer.WriteString("counterpartyBic", m.CounterpartyBic);
        writer.WriteString("endToEndReference", m.EndToEndReference);
        writer.WriteStartArray("details");
        foreach (var detail in m.Details)
        {
            WriteMovementJson(writer, detail);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    // The 8 characters as in the file (CodaTransactionCode.ToString() without the string concatenation).
    private static ReadOnlySpan<char> TransactionCode(CodaTransactionCode code, Span<char> buffer)
    {
        var length = code.Type.Length + code.Family.Length + code.Transaction.Length + code.Category.Length;
        if (length > buffer.Length)
        {
            return code.ToString();
        }

        var at = 0;
        foreach (var part in (ReadOnlySpan<string>)[code.Type, code.Family, code.Transaction, code.Category])
        {
            part.CopyTo(buffer[at..]);
            at += part.Length;
        }

        return buffer[..length];
    }

    private static void WriteSummary(string file, Stream content, Stream output)
    {
        using var spool = new Spool();
        using var movementSpool = new Spool();
        var line = new byte[4096];
        var findings = new List<Finding>();
        var version = 0;
        var statements = 0;
        var movements = 0;
        var details = 0;

        foreach (var s in CodaReader.ReadStatements(content, WriteMovement))
        {
            version = statements == 0 ? s.Version : version;
            statements++;
            Write(spool, string.Create(Culture, $"  Account {s.Account} {s.Currency} ({s.AccountHolderName}), bank {s.BankId} {s.Bic}, statement {s.PaperSequence} / CODA {s.CodaSequence}\n"));
            Write(spool, string.Create(Culture, $"    old balance {s.OldBalance,15:N3} on {s.OldBalanceDate:yyyy-MM-dd}\n"));
            Write(spool, string.Create(Culture, $"    new balance {s.NewBalance,15:N3} on {s.NewBalanceDate:yyyy-MM-dd}\n"));
            Write(spool, string.Create(Culture, $"    {movements} movement(s), {details} globalisation detail(s), {s.FreeMessages.Count} free message(s)\n"));
            movementSpool.MoveTo(spool);
            movements = 0;
            details = 0;
            findings.AddRange(s.Findings);
        }

        Write(output, string.Create(Culture, $"{file}: CODA version {version}, {statements} statement(s)\n"));
        spool.MoveTo(output);
        Write(output, string.Create(Culture, $"  {findings.Count} finding(s)"));
        foreach (var finding in findings)
        {
            Write(output, string.Create(Culture, $"\n    {finding}"));
        }

        output.Write("\n"u8);

        void WriteMovement(CodaMovement m)
        {
            movements++;
            details += m.Details.Count;
            var communication = m.StructuredCommunication ?? m.Communication;
            if (!Utf8.TryWrite(line, Culture, $"    {m.Sequence,4} {m.EntryDate:yyyy-MM-dd} {m.Amount,15:N3} {m.CounterpartyName} {communication}", out var written))
            {
                // A line longer than the buffer (long free text): format it the slow way.
                var text = string.Create(Culture, $"    {m.Sequence,4} {m.EntryDate:yyyy-MM-dd} {m.Amount,15:N3} {m.CounterpartyName} {communication}");
                line = Encoding.UTF8.GetBytes(text);
                written = line.Length;
            }

            var trimmed = line.AsSpan(0, written).TrimEnd((byte)' ');
            movementSpool.Write(trimmed);
            movementSpool.WriteByte((byte)'\n');
        }
    }

    private static void Write(Stream target, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        target.Write(bytes);
    }
}

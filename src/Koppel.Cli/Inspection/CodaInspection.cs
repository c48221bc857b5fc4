using System.Globalization;
using System.Text;
using Koppel.Formats.Coda;

namespace Koppel.Cli.Inspection;

/// <summary>The inspection of a CODA file: its statements, movements and integrity findings.</summary>
internal sealed class CodaInspection(string file, CodaFile coda) : IInspection
{
    public static IInspection Read(string file, Stream content) => new CodaInspection(file, CodaReader.Read(content));

    public string ToJson() => JsonLines.Serialize(new CodaFileJson(
        file,
        "coda",
        coda.Version,
        coda.Statements.Select(StatementJson.From).ToList(),
        coda.Findings.Select(FindingJson.From).ToList()));

    public string ToSummary()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(string.Create(culture, $"{file}: CODA version {coda.Version}, {coda.Statements.Count} statement(s)"));
        foreach (var s in coda.Statements)
        {
            text.AppendLine(string.Create(culture, $"  Account {s.Account} {s.Currency} ({s.AccountHolderName}), bank {s.BankId} {s.Bic}, statement {s.PaperSequence} / CODA {s.CodaSequence}"));
            text.AppendLine(string.Create(culture, $"    old balance {s.OldBalance,15:N3} on {s.OldBalanceDate:yyyy-MM-dd}"));
            text.AppendLine(string.Create(culture, $"    new balance {s.NewBalance,15:N3} on {s.NewBalanceDate:yyyy-MM-dd}"));
            text.AppendLine(string.Create(culture, $"    {s.Movements.Count} movement(s), {s.Movements.Sum(m => m.Details.Count)} globalisation detail(s), {s.FreeMessages.Count} free message(s)"));
            foreach (var m in s.Movements)
            {
                var communication = m.StructuredCommunication ?? m.Communication;
                text.AppendLine(string.Create(culture, $"    {m.Sequence,4} {m.EntryDate:yyyy-MM-dd} {m.Amount,15:N3} {m.CounterpartyName} {communication}").TrimEnd());
            }
        }

        text.Append(string.Create(culture, $"  {coda.Findings.Count} finding(s)"));
        foreach (var finding in coda.Findings)
        {
            text.AppendLine();
            text.Append(string.Create(culture, $"    {finding}"));
        }

        return text.ToString();
    }

    private sealed record CodaFileJson(
        string File,
        string Format,
        int Version,
        IReadOnlyList<StatementJson> Statements,
        IReadOnlyList<FindingJson> Findings);

    private sealed record StatementJson(
        string BankId,
        string? Bic,
        string Account,
        string Currency,
        string? AccountHolderName,
        string? AccountDescription,
        int? PaperSequence,
        int? CodaSequence,
        DateOnly? CreationDate,
        decimal OldBalance,
        DateOnly? OldBalanceDate,
        decimal NewBalance,
        DateOnly? NewBalanceDate,
        IReadOnlyList<MovementJson> Movements,
        IReadOnlyList<string> FreeMessages)
    {
        public static StatementJson From(CodaStatement s) => new(
            s.BankId,
            s.Bic,
            s.Account,
            s.Currency,
            s.AccountHolderName,
            s.AccountDescription,
            s.PaperSequence,
            s.CodaSequence,
            s.CreationDate,
            s.OldBalance,
            s.OldBalanceDate,
            s.NewBalance,
            s.NewBalanceDate,
            s.Movements.Select(MovementJson.From).ToList(),
            s.FreeMessages.Select(m => m.Text).ToList());
    }

    private sealed record MovementJson(
        int Sequence,
        int DetailNumber,
        decimal Amount,
        DateOnly? ValueDate,
        DateOnly? EntryDate,
        string TransactionCode,
        string? StructuredCommunicationType,
        string? StructuredCommunication,
        string? Communication,
        string? CounterpartyName,
        string? CounterpartyAccount,
        string? CounterpartyBic,
        string? EndToEndReference,
        IReadOnlyList<MovementJson> Details)
    {
        public static MovementJson From(CodaMovement m) => new(
            m.Sequence,
            m.DetailNumber,
            m.Amount,
            m.ValueDate,
            m.EntryDate,
            m.TransactionCode.ToString(),
            m.StructuredCommunicationType,
            m.StructuredCommunication,
            m.Communication,
            m.CounterpartyName,
            m.CounterpartyAccount,
            m.CounterpartyBic,
            m.EndToEndReference,
            m.Details.Select(From).ToList());
    }
}

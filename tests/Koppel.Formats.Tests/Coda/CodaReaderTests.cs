using System.Text;
using Koppel.Formats.Coda;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Tests.Coda;

/// <summary>Behaviour on synthetic files: versions, character sets, line ends and every integrity check.</summary>
public sealed class CodaReaderTests
{
    private static CodaFile Read(SyntheticCoda coda, string newLine = "\n") => CodaReader.Read(coda.Stream(newLine));

    [Fact]
    public void Consistent_statement_reads_without_findings()
    {
        var file = Read(new SyntheticCoda().Statement(100m, '2', 25.5m, -10.25m));

        var statement = Assert.Single(file.Statements);
        Assert.Empty(file.Findings);
        Assert.Equal(2, file.Version);
        Assert.Equal(new[] { 25.5m, -10.25m }, statement.Movements.Select(m => m.Amount));
        Assert.Equal(115.25m, statement.NewBalance);
        Assert.Equal("Payment 1", statement.Movements[0].Communication);
    }

    [Fact]
    public void Version_1_file_reads_the_BBAN_counterparty_and_name_at_their_version_1_positions()
    {
        var coda = new SyntheticCoda(version: 1).Header().OldBalance(0m)
            .Movement(1, 12.5m, communication: "Factuur 2026/001", counterpartyAccount: "001234567890", counterpartyName: "JANSSENS BVBA")
            .NewBalance().Trailer();

        var file = Read(coda);

        Assert.Equal(1, file.Version);
        var statement = Assert.Single(file.Statements);
        Assert.Null(statement.Bic);
        Assert.Equal("539007547034", statement.Account);
        var movement = Assert.Single(statement.Movements);
        Assert.Equal("001234567890", movement.CounterpartyAccount);
        Assert.Equal("JANSSENS BVBA", movement.CounterpartyName);
        Assert.Empty(file.Findings);
    }

    [Fact]
    public void Version_1_counterparty_address_is_kept_apart_from_the_communication()
    {
        var coda = new SyntheticCoda(version: 1).Header().OldBalance(0m)
            .Movement(1, 12.5m, communication: "Factuur 7", counterpartyAccount: "001234567890", counterpartyName: "JANSSENS BVBA")
            .NewBalance().Trailer();
        var lines = coda.Lines.ToList();
        lines[3] = lines[3][..73] + "KERKSTRAAT 1 9000 GENT".PadRight(52) + lines[3][125..];

        var movement = CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(string.Join("\n", lines)))).Statements[0].Movements[0];

        Assert.Equal("KERKSTRAAT 1 9000 GENT", movement.CounterpartyAddress);
        Assert.Equal("Factuur 7", movement.Communication);
    }

    [Fact]
    public void Returned_direct_debit_carries_its_R_transaction_type_and_reason()
    {
        var lines = new SyntheticCoda().Header().OldBalance(0m)
            .Movement(1, -30m, communication: "Return", endToEnd: "E2E-7")
            .NewBalance().Trailer().Lines.ToList();
        lines[3] = SyntheticCoda.Record((1, "22"), (3, "0001"), (7, "0000"), (64, "E2E-7"), (99, "GEBABEBB"), (113, "2"), (114, "AC04"), (118, "SUPP"), (122, "OTHR"), (126, "0"), (128, "0"));

        var movement = CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(string.Join("\n", lines)))).Statements[0].Movements[0];

        Assert.Equal(CodaRTransaction.Return, movement.RTransaction);
        Assert.Equal("AC04", movement.ReturnReason);
        Assert.Equal("SUPP", movement.CategoryPurpose);
        Assert.Equal("OTHR", movement.Purpose);
        Assert.Equal("GEBABEBB", movement.CounterpartyBic);
    }

    [Theory]
    [InlineData('0')]
    [InlineData('3')]
    [InlineData(' ')]
    [InlineData('X')]
    public void Other_version_codes_are_rejected_at_line_1_position_128(char versionCode)
    {
        var coda = new SyntheticCoda().Header(versionCode).OldBalance(0m).NewBalance().Trailer();

        var error = Assert.Throws<DocumentReadException>(() => Read(coda));

        Assert.Equal(CodaRules.Version, error.Rule);
        Assert.Equal((1, 128), (error.Line, error.Position));
    }

    [Fact]
    public void Unsupported_version_in_a_second_logical_file_names_its_own_header_line()
    {
        var coda = new SyntheticCoda().Statement(0m, '1', 1m).Header('7');

        var error = Assert.Throws<DocumentReadException>(() => Read(coda));

        Assert.Equal(6, error.Line);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Any_line_end_gives_the_same_statement(string newLine)
    {
        var file = Read(new SyntheticCoda().Statement(5m, '2', 1m, 2m), newLine);

        Assert.Empty(file.Findings);
        Assert.Equal(2, file.Statements[0].Movements.Count);
    }

    [Fact]
    public void Mixed_line_ends_and_trailing_empty_lines_are_accepted()
    {
        var lines = new SyntheticCoda().Statement(5m, '2', 1m, 2m).Lines;
        var text = string.Join("\r\n", lines.Take(3)) + "\n" + string.Join("\n", lines.Skip(3)) + "\r\n\r\n   \n";

        var file = CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)));

        Assert.Empty(file.Findings);
    }

    [Fact]
    public void Last_line_without_line_end_is_read()
    {
        var text = new SyntheticCoda().Statement(5m, '2', 1m).Text().TrimEnd('\n');

        var file = CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(text)));

        Assert.Empty(file.Findings);
    }

    [Fact]
    public void Windows_1252_names_are_decoded()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m, holder: "Compte à vue Müller").NewBalance().Trailer();
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        var file = CodaReader.Read(coda.Stream(encoding: Encoding.GetEncoding(1252)));

        Assert.Equal("Compte à vue Müller", file.Statements[0].AccountHolderName);
        Assert.Empty(file.Findings);
    }

    [Fact]
    public void UTF8_names_are_decoded_and_still_count_as_128_characters()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m, holder: "Compte à vue Müller").NewBalance().Trailer();

        var file = CodaReader.Read(coda.Stream(encoding: new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)));

        Assert.Equal("Compte à vue Müller", file.Statements[0].AccountHolderName);
        Assert.Empty(file.Findings);
    }

    [Fact]
    public void UTF8_byte_order_mark_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.ASCII.GetBytes(new SyntheticCoda().Statement(0m, '2', 1m).Text())).ToArray();

        var file = CodaReader.Read(new MemoryStream(bytes));

        Assert.Empty(file.Findings);
    }

    [Fact]
    public void Zero_value_date_is_read_as_unknown()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m).Movement(1, 3m, valueDate: "000000").NewBalance().Trailer();

        var movement = Read(coda).Statements[0].Movements[0];

        Assert.Null(movement.ValueDate);
        Assert.Equal(new DateOnly(2026, 1, 15), movement.EntryDate);
    }

    [Fact]
    public void Valid_structured_communication_is_rendered_without_warning()
    {
        var reference = ValidReference(1234567890);
        var coda = new SyntheticCoda().Header().OldBalance(0m).Movement(1, 3m, ogm: reference).NewBalance().Trailer();

        var file = Read(coda);

        Assert.Equal($"+++{reference[..3]}/{reference[3..7]}/{reference[7..]}+++", file.Statements[0].Movements[0].StructuredCommunication);
        Assert.Empty(file.Findings);
    }

    [Fact]
    public void Structured_communication_with_a_wrong_check_is_rendered_and_reported()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m).Movement(1, 3m, ogm: "123456789000").NewBalance().Trailer();

        var file = Read(coda);

        Assert.Equal("+++123/4567/89000+++", file.Statements[0].Movements[0].StructuredCommunication);
        var finding = Assert.Single(file.Findings);
        Assert.Equal((CodaRules.StructuredCommunication, FindingSeverity.Warning, "line 3, position 66"), (finding.Rule, finding.Severity, finding.Location));
    }

    [Fact]
    public void Free_communication_joins_the_movement_records_and_free_information_records()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m)
            .Movement(1, 3m, communication: "Invoice 2026-0042 for the", communicationPart2: "delivery of January", endToEnd: "E2E-42")
            .Information(1, 1, "Extra text from the bank")
            .NewBalance().Trailer();

        var movement = Read(coda).Statements[0].Movements[0];

        Assert.Equal("Invoice 2026-0042 for the delivery of January Extra text from the bank", movement.Communication);
        Assert.Equal("E2E-42", movement.EndToEndReference);
        Assert.Equal("Extra text from the bank", Assert.Single(movement.Information).Text);
    }

    [Fact]
    public void Globalisation_details_nest_under_their_movement_and_stay_out_of_the_trailer_sums()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m)
            .Movement(1, -100m, globalisation: 1)
            .Movement(1, -60m, detail: 1)
            .Movement(1, -40m, detail: 2, globalisation: 1)
            .Movement(2, 5m)
            .NewBalance().Trailer();

        var file = Read(coda);

        Assert.Empty(file.Findings);
        var statement = file.Statements[0];
        Assert.Equal(new[] { -100m, 5m }, statement.Movements.Select(m => m.Amount));
        Assert.Equal(new[] { -60m, -40m }, statement.Movements[0].Details.Select(d => d.Amount));
        Assert.Equal(-95m, statement.NewBalance);
    }

    [Fact]
    public void A_movement_carries_nothing_over_from_the_movement_read_before_it()
    {
        // The reader reuses its drafts from one movement to the next; what one movement had, the next must not inherit.
        var coda = new SyntheticCoda().Header().OldBalance(0m)
            .Movement(1, -100m, communication: "First payment", globalisation: 1, counterpartyName: "ACME NV", counterpartyAccount: "BE68539007547034", endToEnd: "E2E-1")
            .Information(1, 0, "Details of the first payment")
            .Movement(1, -100m, detail: 1, communication: "Detail of the first")
            .Movement(2, 7m)
            .Movement(3, 8m, communication: "Third")
            .NewBalance().Trailer();

        var whole = Read(coda).Statements[0].Movements;
        var streamed = new List<CodaMovement>();
        foreach (var _ in CodaReader.ReadStatements(coda.Stream("\n"), streamed.Add))
        {
        }

        foreach (var movements in new[] { whole, streamed })
        {
            Assert.Equal("First payment Details of the first payment", movements[0].Communication);
            Assert.Equal("ACME NV", movements[0].CounterpartyName);
            Assert.Equal("Detail of the first", Assert.Single(movements[0].Details).Communication);
            Assert.Null(movements[1].Communication);
            Assert.Equal("Third", movements[2].Communication);
            foreach (var later in movements.Skip(1))
            {
                Assert.Null(later.CounterpartyName);
                Assert.Null(later.CounterpartyAccount);
                Assert.Null(later.EndToEndReference);
                Assert.Empty(later.Information);
                Assert.Empty(later.Details);
            }
        }
    }

    [Fact]
    public void Trailer_that_sums_every_record_including_details_is_reported()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m)
            .Movement(1, -100m, globalisation: 1).Movement(1, -60m, detail: 1).Movement(1, -40m, detail: 2, globalisation: 1)
            .NewBalance().Trailer(debits: 200m);

        var finding = Assert.Single(Read(coda).Findings);

        Assert.Equal(CodaRules.TrailerDebit, finding.Rule);
        Assert.Contains("200", finding.Message, StringComparison.Ordinal);
        Assert.Contains("100", finding.Message, StringComparison.Ordinal);
        Assert.Equal("line 7, position 23", finding.Location);
    }

    [Fact]
    public void Wrong_trailer_count_and_credit_are_reported()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m).Movement(1, 7m).NewBalance().Trailer(count: 9, credits: 8m);

        var rules = Read(coda).Findings.Select(f => f.Rule);

        Assert.Equal(new[] { CodaRules.TrailerCount, CodaRules.TrailerCredit }, rules);
    }

    [Fact]
    public void New_balance_that_does_not_follow_from_the_movements_is_reported()
    {
        var coda = new SyntheticCoda().Header().OldBalance(10m).Movement(1, 7m).NewBalance(balance: 18m).Trailer();

        var finding = Assert.Single(Read(coda).Findings);

        Assert.Equal(CodaRules.Balance, finding.Rule);
        Assert.Equal("line 4, position 43", finding.Location);
    }

    [Fact]
    public void New_balance_record_for_another_account_is_reported()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m).NewBalance(account: "539007547099").Trailer();

        Assert.Equal(CodaRules.Account, Assert.Single(Read(coda).Findings).Rule);
    }

    [Fact]
    public void Several_logical_files_are_read_and_their_multiple_file_codes_checked()
    {
        var coda = new SyntheticCoda().Statement(0m, '1', 1m).Statement(5m, '2', -2m);

        var file = Read(coda);

        Assert.Equal(2, file.Statements.Count);
        Assert.Empty(file.Findings);
        Assert.Equal(3, file.Statements[1].NewBalance);
        Assert.Equal(6, file.Statements[1].Line);
    }

    [Fact]
    public void Logical_file_that_claims_to_be_last_but_is_followed_by_another_is_reported()
    {
        var file = Read(new SyntheticCoda().Statement(0m, '2', 1m).Statement(5m, '2', -2m));

        var finding = Assert.Single(file.Findings);
        Assert.Equal((CodaRules.MultipleFile, "line 5, position 128"), (finding.Rule, finding.Location));
        Assert.Same(finding, Assert.Single(file.Statements[0].Findings));
    }

    [Fact]
    public void Record_4_free_message_lines_with_the_same_sequence_form_one_message()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m).NewBalance()
            .FreeMessage(1, 0, "First line").FreeMessage(1, 1, "second line").FreeMessage(2, 0, "Other").Trailer();

        var statement = Read(coda).Statements[0];

        Assert.Equal(new[] { "First line\nsecond line", "Other" }, statement.FreeMessages.Select(m => m.Text));
    }

    [Fact]
    public void Short_and_long_lines_and_unknown_records_are_reported_and_reading_goes_on()
    {
        var coda = new SyntheticCoda().Header().OldBalance(0m);
        var lines = coda.Movement(1, 2m).NewBalance().Trailer().Lines.ToList();
        lines[2] = lines[2][..124];
        lines[3] += "EXTRA";
        lines.Insert(3, SyntheticCoda.Record((1, "7"), (2, "UNKNOWN")));

        var file = CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(string.Join("\n", lines))));

        Assert.Equal(
            new[] { (CodaRules.LineLength, "line 3, position 125"), (CodaRules.RecordType, "line 4, position 1"), (CodaRules.LineLength, "line 5, position 129") },
            file.Findings.Select(f => (f.Rule, f.Location!)));
        Assert.Equal(2m, file.Statements[0].Movements[0].Amount);
    }

    [Fact]
    public void Letters_in_an_amount_are_reported_at_their_position_and_read_as_zero()
    {
        var lines = new SyntheticCoda().Header().OldBalance(0m).Movement(1, 2m).NewBalance().Trailer().Lines.ToList();
        lines[2] = lines[2][..40] + "XY" + lines[2][42..];

        var file = CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(string.Join("\n", lines))));

        Assert.Contains(file.Findings, f => f.Rule == CodaRules.Numeric && f.Location == "line 3, position 33");
        Assert.Equal(0m, file.Statements[0].Movements[0].Amount);
    }

    [Fact]
    public void File_that_ends_before_the_trailer_yields_what_was_read_with_a_warning()
    {
        var lines = new SyntheticCoda().Header().OldBalance(0m).Movement(1, 2m).Lines;

        var file = CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(string.Join("\n", lines))));

        Assert.Single(file.Statements[0].Movements);
        Assert.Equal(CodaRules.Truncated, Assert.Single(file.Findings).Rule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("hello world\n")]
    [InlineData("<Invoice/>")]
    public void Input_without_a_CODA_header_is_not_read(string text)
    {
        var error = Assert.Throws<DocumentReadException>(() => CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(text))));

        Assert.Equal(CodaRules.Header, error.Rule);
    }

    [Fact]
    public void Line_without_line_breaks_is_refused_before_it_is_buffered_whole()
    {
        var huge = new SyntheticCoda().Header().Text().TrimEnd('\n') + new string('9', 1_000_000);

        var error = Assert.Throws<DocumentReadException>(() => CodaReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(huge))));

        Assert.Equal((CodaRules.LineTooLong, 1), (error.Rule, error.Line));
    }

    [Fact]
    public async Task Async_streaming_yields_each_statement_as_it_completes()
    {
        var coda = new SyntheticCoda().Statement(0m, '1', 1m).Statement(1m, '1', 2m).Statement(3m, '2', 3m);

        var balances = new List<decimal>();
        await foreach (var statement in CodaReader.ReadStatementsAsync(coda.Stream()))
        {
            balances.Add(statement.NewBalance);
        }

        Assert.Equal(new[] { 1m, 3m, 6m }, balances);
    }

    private static string ValidReference(long tenDigits)
    {
        var check = tenDigits % 97;
        return $"{tenDigits:D10}{(check == 0 ? 97 : check):D2}";
    }
}

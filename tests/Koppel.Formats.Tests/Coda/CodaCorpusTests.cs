using Koppel.Formats.Coda;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Tests.Coda;

/// <summary>The facts that <c>shared/corpus/coda/SOURCES.md</c> lists per public file.</summary>
public sealed class CodaCorpusTests
{
    private static CodaFile Read(string fileName)
    {
        using var stream = SharedCorpus.OpenCoda(fileName);
        return CodaReader.Read(stream);
    }

    [CorpusFact]
    public void Sample1_is_a_KBC_statement_with_four_structured_credits()
    {
        var statement = Assert.Single(Read("sample1.cod").Statements);

        Assert.Equal("725", statement.BankId);
        Assert.Equal("KREDBEBB", statement.Bic);
        Assert.Equal(CodaAccountStructure.BelgianBban, statement.AccountStructure);
        Assert.Equal("138536152215", statement.Account);
        Assert.Equal("EUR", statement.Currency);
        Assert.Equal("BOUWBEDRIJF VOOR GROTE WER", statement.AccountHolderName);
        Assert.Equal("KBC-Bedrijfsrekening", statement.AccountDescription);
        Assert.Equal("BOUWBEDRIJF VOOR GROTE WER", statement.AddresseeName);
        Assert.Equal("0330158420", statement.CompanyNumber);
        Assert.Equal("00265207", statement.FileReference);
        Assert.Equal(139, statement.PaperSequence);
        Assert.Equal(138, statement.CodaSequence);
        Assert.Equal(17752.120m, statement.OldBalance);
        Assert.Equal(new DateOnly(2017, 10, 10), statement.OldBalanceDate);
        Assert.Equal(17832.120m, statement.NewBalance);
        Assert.Equal(new DateOnly(2017, 10, 11), statement.NewBalanceDate);
        Assert.Equal(4, statement.Movements.Count);
        Assert.All(statement.Movements, m => Assert.Equal("101", m.StructuredCommunicationType));
        Assert.All(statement.Movements, m => Assert.True(m.Amount > 0));
    }

    [CorpusFact]
    public void Sample1_movement_carries_counterparty_and_a_rendered_structured_communication()
    {
        var movement = Read("sample1.cod").Statements[0].Movements[0];

        Assert.Equal(1, movement.Sequence);
        Assert.Equal(5.000m, movement.Amount);
        Assert.Equal(new DateOnly(2017, 10, 11), movement.ValueDate);
        Assert.Equal(new DateOnly(2017, 10, 11), movement.EntryDate);
        Assert.Equal("00150000", movement.TransactionCode.ToString());
        Assert.Equal("01", movement.TransactionCode.Family);
        Assert.Equal("+++000/0035/05158+++", movement.StructuredCommunication);
        Assert.Equal("KLANT1 MET NAAM1", movement.CounterpartyName);
        Assert.Equal("BE22313215646432", movement.CounterpartyAccount);
        Assert.Equal("KREDBEBB", movement.CounterpartyBic);
        Assert.Equal(new[] { "001" }, movement.Information.Select(i => i.StructuredType));
    }

    [CorpusFact]
    public void Sample1_anonymised_structured_communications_fail_the_mod97_check_and_are_still_rendered()
    {
        var file = Read("sample1.cod");

        var warnings = file.Findings.Where(f => f.Rule == CodaRules.StructuredCommunication).ToList();

        Assert.Equal(4, warnings.Count);
        Assert.Equal("line 3, position 66", warnings[0].Location);
        Assert.All(file.Statements[0].Movements, m => Assert.StartsWith("+++", m.StructuredCommunication, StringComparison.Ordinal));
    }

    [CorpusFact]
    public void Sample2_is_an_ING_IBAN_statement_with_a_globalised_debit_and_a_third_decimal_balance()
    {
        var statement = Assert.Single(Read("sample2.cod").Statements);

        Assert.Equal("300", statement.BankId);
        Assert.Equal("BBRUBEBB", statement.Bic);
        Assert.Equal(CodaAccountStructure.BelgianIban, statement.AccountStructure);
        Assert.Equal("BE62354872126588", statement.Account);
        Assert.Equal(23154.685m, statement.NewBalance);
        var movement = Assert.Single(statement.Movements);
        Assert.Equal(-9.680m, movement.Amount);
        Assert.Equal(2, movement.Details.Count);
        Assert.Equal(9, movement.Details[^1].Information.Count);
    }

    [CorpusFact]
    public void Sample3_masked_account_with_letters_is_read_and_reported()
    {
        var file = Read("sample3.cod");

        Assert.Equal("732XXXXXXXXX", file.Statements[0].Account);
        Assert.Equal("190", file.Statements[0].BankId);
        Assert.Contains(file.Findings, f => f.Rule == CodaRules.Numeric && f.Location == "line 2, position 6");
    }

    [CorpusFact]
    public void Sample4_free_text_continues_in_information_records()
    {
        var movement = Assert.Single(Read("sample4.cod").Statements[0].Movements);

        Assert.StartsWith("Europese overschrijving (zie bijlage) + 17.233,54Van: COMPANY", movement.Communication, StringComparison.Ordinal);
        Assert.EndsWith("Belgie IBAN: BE34359648312349", movement.Communication, StringComparison.Ordinal);
        Assert.Equal(3, movement.Information.Count);
    }

    [CorpusFact]
    public void Sample5_has_a_BNP_Paribas_Fortis_header_and_a_debit_new_balance()
    {
        var statement = Read("sample5.cod").Statements[0];

        Assert.Equal("201", statement.BankId);
        Assert.Equal("GEBABEBB", statement.Bic);
        Assert.Equal(-500012.100m, statement.NewBalance);
        Assert.Contains(statement.Movements, m => m.StructuredCommunication == "+++112/4554/46812+++");
        Assert.Contains(statement.Movements.SelectMany(m => m.Information), i => i.Text.Contains("SOME INFORMATION ABOUT THIS TRANSACTION", StringComparison.Ordinal));
    }

    [CorpusFact]
    public void Sample6_reads_an_amount_with_a_third_decimal_and_the_free_message_after_the_new_balance()
    {
        var statement = Read("sample6.cod").Statements[0];

        Assert.Equal(-767.823m, statement.Movements[0].Amount);
        var message = Assert.Single(statement.FreeMessages);
        Assert.Equal("THIS IS A PUBLIC MESSAGE", message.Text);
    }

    [CorpusFact]
    public void Sample7_details_keep_their_own_dates()
    {
        var movement = Assert.Single(Read("sample7.cod").Statements[0].Movements);

        Assert.Equal(3, movement.Details.Count);
        Assert.All(movement.Details, d => Assert.Equal(movement.Sequence, d.Sequence));
    }

    [CorpusFact]
    public void Sample8_empty_communications_are_null()
    {
        var statement = Read("sample8.cod").Statements[0];

        Assert.Equal("200", statement.BankId);
        Assert.Equal(2, statement.Movements.Count);
        Assert.All(statement.Movements, m => Assert.Null(m.Communication));
    }

    [CorpusFact]
    public void Sample10_globalisation_nests_two_SEPA_direct_debit_details()
    {
        var movement = Assert.Single(Read("sample10.cod").Statements[0].Movements);

        Assert.Equal(1, movement.GlobalisationCode);
        Assert.Equal(1000.000m, movement.Amount);
        Assert.Equal(new[] { 1, 3 }, movement.Details.Select(d => d.DetailNumber));
        Assert.Equal(new[] { 250.000m, 750.000m }, movement.Details.Select(d => d.Amount));
        Assert.Equal("KLANT1 MET NAAM1", movement.Details[0].CounterpartyName);
        Assert.Equal("SUPP", movement.Details[0].CategoryPurpose);
        Assert.Null(movement.Details[0].RTransaction);
    }

    [CorpusFact]
    public void Sample10_structured_communication_with_letters_is_SEPA_direct_debit_data_not_an_OGM()
    {
        // SOURCES.md calls it "structured comm with letters (060/6241/20BBE)": that is what an OGM
        // rendering of a type-127 communication gives. Type 127 is SEPA direct debit data, so it is kept raw.
        var file = Read("sample10.cod");
        var detail = file.Statements[0].Movements[0].Details[0];

        Assert.Equal("127", detail.StructuredCommunicationType);
        Assert.StartsWith("060624120BBE2ZZZ3215646432", detail.StructuredCommunication, StringComparison.Ordinal);
        Assert.DoesNotContain(file.Findings, f => f.Rule == CodaRules.StructuredCommunication);
    }

    [CorpusFact]
    public void Sample11_is_a_minimal_statement_with_one_movement()
    {
        var statement = Assert.Single(Read("sample11.cod").Statements);

        Assert.Single(statement.Movements);
        Assert.Equal(statement.OldBalance + statement.Movements[0].Amount, statement.NewBalance);
    }

    [CorpusFact]
    public void Multi_statements_file_yields_two_statements_from_two_banks()
    {
        var file = Read("Coda_v2_3_multi_statements.txt");

        Assert.Equal(2, file.Statements.Count);
        Assert.Equal(("725", "KREDBEBB"), (file.Statements[0].BankId, file.Statements[0].Bic));
        Assert.Equal(17, file.Statements[0].Movements.Count);
        Assert.Equal(("200", "GEBABEBB"), (file.Statements[1].BankId, file.Statements[1].Bic));
        Assert.Equal(11, file.Statements[1].Movements.Count);
    }

    [CorpusFact]
    public void Multi_statements_file_counts_32_movement_records_in_its_KBC_statement()
    {
        var kbc = Read("Coda_v2_3_multi_statements.txt").Statements[0];

        Assert.Equal(32, kbc.Movements.Count + kbc.Movements.Sum(m => m.Details.Count));
        Assert.Equal(0m, kbc.OldBalance);
        Assert.Equal(0m, kbc.NewBalance);
    }

    [CorpusFact]
    public void Single_statement_file_is_the_first_statement_of_the_multi_statements_file()
    {
        var single = Assert.Single(Read("Coda_v2_3_single_statement.txt").Statements);
        var first = Read("Coda_v2_3_multi_statements.txt").Statements[0];

        Assert.Equal(first.Movements.Count, single.Movements.Count);
        Assert.Equal(first.Movements.Select(m => m.Amount), single.Movements.Select(m => m.Amount));
    }

    [CorpusFact]
    public void Globalisation_trailer_counts_only_the_movements_not_their_details()
    {
        var statement = Read("Coda_v2_3_globalisation.txt").Statements[0];

        var movementCredits = statement.Movements.Where(m => m.Amount > 0).Sum(m => m.Amount);
        var creditsWithDetails = movementCredits + statement.Movements.SelectMany(m => m.Details).Where(d => d.Amount > 0).Sum(d => d.Amount);

        Assert.Equal(276270.000m, movementCredits);
        Assert.Equal(326270.000m, creditsWithDetails);
        Assert.Equal(-455.170m, statement.OldBalance);
        Assert.DoesNotContain(statement.Findings, f => f.Rule == CodaRules.TrailerCredit);
    }

    [CorpusFact]
    public void Faulty_globalisation_codes_without_details_give_eleven_movements()
    {
        var statement = Assert.Single(Read("Coda_v2_3_faulty_globalisation.txt").Statements);

        Assert.Equal(11, statement.Movements.Count);
        Assert.All(statement.Movements, m => Assert.Empty(m.Details));
    }

    [CorpusFact]
    public void Foreign_account_is_a_French_IBAN_with_a_free_message()
    {
        var statement = Assert.Single(Read("Coda_foreign_account.txt").Statements);

        Assert.Equal(CodaAccountStructure.ForeignIban, statement.AccountStructure);
        Assert.StartsWith("FR", statement.Account, StringComparison.Ordinal);
        Assert.DoesNotContain(' ', statement.Account);
        Assert.Equal("CCFRFRPP", statement.Bic);
        Assert.Equal("EUR", statement.Currency);
        Assert.Equal("CLOSING AVAILABLE BALANCE C 180202 EUR 443346,3", Assert.Single(statement.FreeMessages).Text);
    }

    [CorpusFact]
    public void Faulty_version_is_rejected_naming_line_1_position_128()
    {
        using var stream = SharedCorpus.OpenCoda("Coda_faulty_version.txt");

        var error = Assert.Throws<DocumentReadException>(() => CodaReader.Read(stream));

        Assert.Equal(CodaRules.Version, error.Rule);
        Assert.Equal(1, error.Line);
        Assert.Equal(128, error.Position);
        Assert.Contains("'5'", error.Message, StringComparison.Ordinal);
    }
}

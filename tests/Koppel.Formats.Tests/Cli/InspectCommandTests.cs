using System.Text.Json;

namespace Koppel.Formats.Tests.Cli;

public sealed class InspectCommandTests
{
    [Fact]
    public void Help_prints_the_usage_and_succeeds()
    {
        var run = CliRun.Of("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage: koppel <command>", run.Output, StringComparison.Ordinal);
        Assert.Contains("inspect <files...> [--json]", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("inspect")]
    [InlineData("inspect", "--yaml", "file.cod")]
    public void Usage_errors_exit_with_2_and_explain_on_stderr(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [CorpusFact]
    public void Json_for_a_CODA_file_carries_statement_movements_and_findings()
    {
        var run = CliRun.Of("inspect", SharedCorpus.Coda("sample2.cod"), "--json");

        Assert.Equal(0, run.ExitCode);
        var json = Assert.Single(run.JsonLines);
        Assert.Equal(SharedCorpus.Coda("sample2.cod"), json.GetProperty("file").GetString());
        Assert.Equal("coda", json.GetProperty("format").GetString());
        Assert.Equal(2, json.GetProperty("version").GetInt32());
        var statement = Assert.Single(json.GetProperty("statements").EnumerateArray());
        Assert.Equal("300", statement.GetProperty("bankId").GetString());
        Assert.Equal("BBRUBEBB", statement.GetProperty("bic").GetString());
        Assert.Equal("BE62354872126588", statement.GetProperty("account").GetString());
        Assert.Equal("EUR", statement.GetProperty("currency").GetString());
        Assert.Equal(74, statement.GetProperty("paperSequence").GetInt32());
        Assert.Equal(74, statement.GetProperty("codaSequence").GetInt32());
        Assert.Equal(25846.000m, statement.GetProperty("oldBalance").GetDecimal());
        Assert.Equal("2022-01-23", statement.GetProperty("oldBalanceDate").GetString());
        Assert.Equal(23154.685m, statement.GetProperty("newBalance").GetDecimal());
        Assert.Equal("2015-11-18", statement.GetProperty("newBalanceDate").GetString());
        var movement = Assert.Single(statement.GetProperty("movements").EnumerateArray());
        Assert.Equal(JsonValueKind.Number, movement.GetProperty("amount").ValueKind);
        Assert.Equal(-9.680m, movement.GetProperty("amount").GetDecimal());
        Assert.Equal(2, movement.GetProperty("details").GetArrayLength());
        var finding = json.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("rule").GetString() == "CODA-BALANCE");
        Assert.Equal("warning", finding.GetProperty("severity").GetString());
        Assert.Equal("line 17, position 43", finding.GetProperty("location").GetString());
    }

    [CorpusFact]
    public void Json_writes_absent_values_as_null_and_structured_communications_rendered()
    {
        var sample10 = Assert.Single(CliRun.Of("inspect", "--json", SharedCorpus.Coda("sample10.cod")).JsonLines);
        var sample1 = Assert.Single(CliRun.Of("inspect", "--json", SharedCorpus.Coda("sample1.cod")).JsonLines);

        var globalised = sample10.GetProperty("statements")[0].GetProperty("movements")[0];
        Assert.Equal(JsonValueKind.Null, globalised.GetProperty("counterpartyName").ValueKind);
        Assert.Equal(JsonValueKind.Null, globalised.GetProperty("structuredCommunication").ValueKind);
        Assert.Equal("10550000", globalised.GetProperty("transactionCode").GetString());
        Assert.Equal(0, sample10.GetProperty("findings").GetArrayLength());
        var first = sample1.GetProperty("statements")[0].GetProperty("movements")[0];
        Assert.Equal("+++000/0035/05158+++", first.GetProperty("structuredCommunication").GetString());
        Assert.Equal("KLANT1 MET NAAM1", first.GetProperty("counterpartyName").GetString());
        Assert.Equal("BE22313215646432", first.GetProperty("counterpartyAccount").GetString());
        Assert.Equal("2017-10-11", first.GetProperty("valueDate").GetString());
    }

    [CorpusFact]
    public void Json_Lines_hold_one_object_per_file_in_the_order_given()
    {
        var run = CliRun.Of("inspect", "--json", SharedCorpus.Coda("sample11.cod"), SharedCorpus.Coda("Coda_v2_3_multi_statements.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.JsonLines.Count);
        Assert.Equal(1, run.JsonLines[0].GetProperty("statements").GetArrayLength());
        Assert.Equal(2, run.JsonLines[1].GetProperty("statements").GetArrayLength());
    }

    [CorpusFact]
    public void Unreadable_file_exits_with_1_names_file_line_and_position_and_the_next_file_is_still_inspected()
    {
        var faulty = SharedCorpus.Coda("Coda_faulty_version.txt");

        var run = CliRun.Of("inspect", faulty, SharedCorpus.Coda("sample11.cod"), "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(faulty, run.Error, StringComparison.Ordinal);
        Assert.Contains("CODA-VERSION", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 1, position 128", run.Error, StringComparison.Ordinal);
        Assert.Single(run.JsonLines);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--summary")]
    public void A_file_that_breaks_off_after_its_first_statement_prints_nothing_half_written(string mode)
    {
        var directory = Directory.CreateTempSubdirectory("koppel-cli-");
        try
        {
            // The first statement reads fine (and is streamed out while reading); the second header has version code 7.
            var file = Path.Combine(directory.FullName, "two.cod");
            var coda = new Coda.SyntheticCoda().Statement(0m, '1', 1m, -2m).Header(versionCode: '7').OldBalance(0m);
            File.WriteAllText(file, coda.Text());
            string[] args = mode == "--json" ? ["inspect", "--json", file] : ["inspect", file];

            var run = CliRun.Of(args);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("CODA-VERSION", run.Error, StringComparison.Ordinal);
            Assert.Empty(run.Output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Missing_and_unrecognised_files_exit_with_1()
    {
        var directory = Directory.CreateTempSubdirectory("koppel-cli-");
        try
        {
            var text = Path.Combine(directory.FullName, "notes.txt");
            File.WriteAllText(text, "just some notes");
            var missing = Path.Combine(directory.FullName, "missing.cod");

            var run = CliRun.Of("inspect", missing, text);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("missing.cod", run.Error, StringComparison.Ordinal);
            Assert.Contains("notes.txt: error: format not recognised", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [CorpusFact]
    public void Summary_for_people_shows_account_balances_and_findings()
    {
        var run = CliRun.Of("inspect", SharedCorpus.Coda("sample9.cod"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("CODA version 2, 1 statement(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains("Account 138536152215 EUR", run.Output, StringComparison.Ordinal);
        Assert.Contains("new balance      17,832.120 on 2017-10-11", run.Output, StringComparison.Ordinal);
        Assert.Contains("CODA-TRAILER-COUNT", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void File_names_after_a_double_dash_are_files_even_when_they_start_with_a_dash()
    {
        var run = CliRun.Of("inspect", "--", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("--json: error", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_1_statement_is_inspected_with_a_null_BIC()
    {
        var directory = Directory.CreateTempSubdirectory("koppel-cli-");
        try
        {
            var file = Path.Combine(directory.FullName, "statement.v1.txt");
            var coda = new Coda.SyntheticCoda(version: 1).Header().OldBalance(10m).Movement(1, -2.5m, communication: "Huur januari").NewBalance().Trailer();
            File.WriteAllText(file, coda.Text("\r\n"));

            var json = Assert.Single(CliRun.Of("inspect", "--json", file).JsonLines);

            Assert.Equal(1, json.GetProperty("version").GetInt32());
            var statement = json.GetProperty("statements")[0];
            Assert.Equal(JsonValueKind.Null, statement.GetProperty("bic").ValueKind);
            Assert.Equal(7.5m, statement.GetProperty("newBalance").GetDecimal());
            Assert.Equal("Huur januari", statement.GetProperty("movements")[0].GetProperty("communication").GetString());
            Assert.Equal(0, json.GetProperty("findings").GetArrayLength());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void CODA_file_saved_with_a_UTF8_byte_order_mark_is_still_recognised()
    {
        var directory = Directory.CreateTempSubdirectory("koppel-cli-");
        try
        {
            var file = Path.Combine(directory.FullName, "statement.cod");
            File.WriteAllText(file, new Coda.SyntheticCoda().Statement(0m, '2', 1m).Text(), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

            var run = CliRun.Of("inspect", "--json", file);

            Assert.Equal(0, run.ExitCode);
            Assert.Equal("coda", Assert.Single(run.JsonLines).GetProperty("format").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

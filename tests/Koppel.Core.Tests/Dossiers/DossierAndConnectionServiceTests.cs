using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.Dossiers;

public class DossierAndConnectionServiceTests
{
    private readonly CoreHarness _harness = new();

    [Fact]
    public async Task Every_invalid_field_is_named_in_one_answer()
    {
        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            _harness.Dossiers.CreateAsync(new DossierInput("", "0403170702", null, "not-an-address", "Mars/Olympus"), Caller.System, default));

        Assert.Equal(["contactEmail", "enterpriseNumber", "name", "timeZone"], error.Errors.Keys.Order());
    }

    [Fact]
    public async Task The_vat_number_defaults_from_the_enterprise_number()
    {
        var dossier = await _harness.Dossiers.CreateAsync(new DossierInput("Bakkerij", "0403.170.701", null, null, null), Caller.System, default);
        Assert.Equal("0403170701", dossier.Id);
        Assert.Equal("BE0403170701", dossier.VatNumber);
        Assert.Equal("Europe/Brussels", dossier.TimeZone);
    }

    [Fact]
    public async Task Credentials_go_to_the_secret_store_and_the_connection_keeps_only_the_name()
    {
        var connection = await _harness.SeedAsync("pw-1234567");

        Assert.NotNull(connection.SecretName);
        Assert.DoesNotContain(connection.Options.Values, v => v.Contains("pw-1234567", StringComparison.Ordinal));
        Assert.Contains("pw-1234567", _harness.Ports.Secrets[connection.SecretName!], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_sent_as_a_plain_option_is_refused()
    {
        await _harness.Dossiers.CreateAsync(new DossierInput("Bakkerij", "0403170701", null, null, null), Caller.System, default);
        var error = await Assert.ThrowsAsync<RequestValidationException>(() => _harness.Connections.CreateAsync(
            "0403170701",
            new ConnectionInput("scripted", null, ["SalesInvoice"], new Dictionary<string, string> { ["target"] = "x", ["password"] = "oops" }, null, true),
            Caller.System,
            default));
        Assert.True(error.Errors.ContainsKey("options.password"));
    }

    [Fact]
    public async Task A_caller_sees_only_its_own_dossiers()
    {
        await _harness.SeedAsync();
        await _harness.Dossiers.CreateAsync(new DossierInput("Other", "0876543270", null, null, null), Caller.System, default);

        var visible = await _harness.Dossiers.ListAsync(Caller.ForDossiers("firm", ["0876543270"]), default);

        Assert.Equal(["0876543270"], visible.Select(d => d.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _harness.Dossiers.GetAsync(CoreHarness.DossierId, Caller.ForDossiers("firm", ["0876543270"]), default));
    }
}

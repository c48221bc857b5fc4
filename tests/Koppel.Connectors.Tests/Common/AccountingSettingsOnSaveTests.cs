using Koppel.Core;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Connectors.Tests.Common;

/// <summary>
/// Saving an accounting connection with a wrong value is refused at once (400 naming the setting), not found out by the
/// first delivery that fails: the connectors' <c>ValidateSettings</c>, as <see cref="ConnectionService"/> calls it.
/// </summary>
public sealed class AccountingSettingsOnSaveTests : IAsyncLifetime
{
    private const string DossierId = "0403170701";
    private const string YukiKey = "yuki-save-test-key-2b7e";
    private const string Administration = "0b2c7e4a-0000-4000-8000-00000000a5a5";

    private readonly InMemoryPorts _ports = new();
    private ServiceProvider _services = null!;
    private ConnectionService _connections = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Koppel:Providers:Octopus:SoftwareHouseUuid"] = "5f0c3a9e-0000-4000-8000-00000000c0de",
        }).Build());
        services.AddLogging();
        foreach (var port in new[] { typeof(IInbox), typeof(IDocumentArchive), typeof(IQuarantine), typeof(IDossierRepository), typeof(IConnectionRepository), typeof(IDocumentRepository), typeof(IDeliveryLedger), typeof(IRunLog), typeof(IDocumentHistory), typeof(IWorkQueue), typeof(ISecretStore) })
        {
            services.AddSingleton(port, _ports);
        }

        services.AddKoppelCore();
        services.AddKoppelConnectors();
        _services = services.BuildServiceProvider();
        _connections = _services.GetRequiredService<ConnectionService>();
        await ((IDossierRepository)_ports).UpsertAsync(new Dossier { Id = DossierId, Name = "Demo Bakkerij BV", EnterpriseNumber = DossierId }, default);
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private static Dictionary<string, string> Yuki(params (string Key, string Value)[] changes)
    {
        var options = new Dictionary<string, string> { ["administrationId"] = Administration, ["glAccountCode"] = "700000" };
        foreach (var (key, value) in changes)
        {
            options[key] = value;
        }

        return options;
    }

    private Task<Connection> SaveAsync(string provider, string[] kinds, Dictionary<string, string> options, Dictionary<string, string>? credentials = null) =>
        _connections.CreateAsync(DossierId, new ConnectionInput(provider, null, kinds, options, credentials, true), Caller.ForAll("test"), default);

    private async Task RefusedAsync(string provider, string[] kinds, Dictionary<string, string> options, string setting, Dictionary<string, string>? credentials = null)
    {
        var error = await Assert.ThrowsAsync<RequestValidationException>(() => SaveAsync(provider, kinds, options, credentials));
        var message = Assert.Single(Assert.Contains("options", error.Errors));
        Assert.Contains($"'{setting}'", message, StringComparison.Ordinal);
        foreach (var secret in credentials?.Values.ToList() ?? [])
        {
            Assert.DoesNotContain(secret, message, StringComparison.Ordinal);
        }

        Assert.Empty(await _connections.ListAsync(DossierId, Caller.ForAll("test"), default));
    }

    public static TheoryData<string, string, string> WrongYukiValues() => new()
    {
        { "country", "FR", "country" },
        { "salesInvoiceMode", "scan", "salesInvoiceMode" },
        { "purchaseInvoiceMode", "later", "purchaseInvoiceMode" },
        { "dailyQuota", "2000", "dailyQuota" },
        { "expenseClaimFolderId", "expenses", "expenseClaimFolderId" },
        { "administrationId", "Demo Bakkerij", "administrationId" },
        { "coda", "sometimes", "coda" },
        { "process", "maybe", "process" },
    };

    [Theory]
    [MemberData(nameof(WrongYukiValues))]
    public Task A_yuki_connection_with_a_wrong_value_is_refused_on_save_naming_the_setting(string key, string value, string setting) =>
        RefusedAsync("yuki", ["SalesInvoice", "PurchaseInvoice"], Yuki((key, value)), setting, new() { ["apiKey"] = YukiKey });

    [Fact]
    public async Task Yuki_needs_the_revenue_gl_account_on_save_only_when_the_connection_books_sales_invoices()
    {
        var withoutGl = Yuki();
        withoutGl.Remove("glAccountCode");

        await RefusedAsync("yuki", ["SalesInvoice", "BankStatement"], withoutGl, "glAccountCode", new() { ["apiKey"] = YukiKey });

        var purchasesOnly = await SaveAsync("yuki", ["PurchaseInvoice", "BankStatement"], withoutGl, new() { ["apiKey"] = YukiKey });
        var handedOver = await SaveAsync("yuki", ["SalesInvoice"], new(withoutGl) { ["salesInvoiceMode"] = "handover" }, new() { ["apiKey"] = YukiKey });
        Assert.Equal("yuki", purchasesOnly.Provider);
        Assert.Equal("yuki", handedOver.Provider);
    }

    [Fact]
    public async Task Changing_a_yuki_connection_to_book_sales_invoices_without_a_gl_account_is_refused()
    {
        var withoutGl = Yuki();
        withoutGl.Remove("glAccountCode");
        var connection = await SaveAsync("yuki", ["PurchaseInvoice"], withoutGl, new() { ["apiKey"] = YukiKey });

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => _connections.UpdateAsync(
            DossierId, connection.Id, new ConnectionInput(null, null, ["PurchaseInvoice", "SalesInvoice"], null, null, null), Caller.ForAll("test"), default));

        Assert.Contains("'glAccountCode'", Assert.Single(error.Errors["options"]), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string> WrongExactValues() => new()
    {
        { "SalesInvoice", "country", "xx", "country" },
        { "SalesInvoice", "division", "Demo Bakkerij", "division" },
        { "SalesInvoice", "mode.SalesInvoice", "scan", "mode.SalesInvoice" },
        { "SalesInvoice", "vatCodes", "21:4", "vatCodes" },
        { "PurchaseInvoice", "purchaseGLAccount", "", "purchaseGLAccount" },
        { "SalesInvoice", "salesJournal", "", "salesJournal" },
    };

    [Theory]
    [MemberData(nameof(WrongExactValues))]
    public Task An_exact_connection_with_a_wrong_or_missing_value_is_refused_on_save_naming_the_setting(string kind, string key, string value, string setting)
    {
        var options = new Dictionary<string, string>
        {
            ["country"] = "be",
            ["division"] = "4711",
            ["mode.SalesInvoice"] = "book",
            ["mode.PurchaseInvoice"] = "book",
            ["salesJournal"] = "70",
            ["purchaseJournal"] = "60",
            ["salesGLAccount"] = "700000",
            ["purchaseGLAccount"] = "604000",
            ["vatCodes"] = "21=4;6=2;0=0",
        };
        if (value.Length == 0)
        {
            options.Remove(key);
        }
        else
        {
            options[key] = value;
        }

        return RefusedAsync("exact-online", [kind], options, setting);
    }

    [Fact]
    public async Task Exact_needs_the_booking_settings_of_a_kind_only_when_the_connection_takes_that_kind()
    {
        var bookSalesOnly = new Dictionary<string, string> { ["mode.SalesInvoice"] = "book", ["mode.PurchaseInvoice"] = "book", ["purchaseJournal"] = "60", ["purchaseGLAccount"] = "604000", ["vatCodes"] = "21=4" };

        var saved = await SaveAsync("exact-online", ["PurchaseInvoice", "BankStatement"], bookSalesOnly);

        Assert.Equal("exact-online", saved.Provider);
        var error = await Assert.ThrowsAsync<RequestValidationException>(() => SaveAsync("exact-online", ["SalesInvoice"], bookSalesOnly));
        Assert.Contains("'salesJournal'", Assert.Single(error.Errors["options"]), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> WrongOctopusValues() => new()
    {
        { "dossierId", "Demo", "dossierId" },
        { "bookYearId", "2026-2027", "bookYearId" },
        { "mode.SalesInvoice", "scan", "mode.SalesInvoice" },
        { "mode.PurchaseInvoice", "later", "mode.PurchaseInvoice" },
    };

    [Theory]
    [MemberData(nameof(WrongOctopusValues))]
    public Task An_octopus_connection_with_a_wrong_value_is_refused_on_save_naming_the_setting(string key, string value, string setting) =>
        RefusedAsync(
            "octopus",
            ["SalesInvoice", "PurchaseInvoice"],
            new Dictionary<string, string> { ["user"] = "boekhouder", ["dossierId"] = "12", [key] = value },
            setting,
            new() { ["password"] = "octopus-save-test-password-77" });

    public static TheoryData<string, string, string> WrongVeniceValues() => new()
    {
        { "financialYear", "26", "financialYear" },
        { "dossierId", "demo dossier/1", "dossierId" },
    };

    [Theory]
    [MemberData(nameof(WrongVeniceValues))]
    public Task A_venice_connection_with_a_wrong_value_is_refused_on_save_naming_the_setting(string key, string value, string setting) =>
        RefusedAsync(
            "venice",
            ["SalesInvoice", "PurchaseInvoice"],
            new Dictionary<string, string> { ["user"] = "boekhouder", ["dossierId"] = "demo", ["financialYear"] = "2026", ["salesBook"] = "VF", ["purchaseBook"] = "AF", [key] = value },
            setting,
            new() { ["password"] = "venice-save-test-password-88" });

    [Fact]
    public async Task Well_formed_octopus_and_venice_connections_are_saved()
    {
        var octopus = await SaveAsync("octopus", ["SalesInvoice"], new() { ["user"] = "boekhouder", ["dossierId"] = "12" }, new() { ["password"] = "pw-octopus-1" });
        var venice = await SaveAsync("venice", ["SalesInvoice"], new() { ["user"] = "boekhouder", ["dossierId"] = "demo", ["financialYear"] = "2026", ["salesBook"] = "VF", ["purchaseBook"] = "AF" }, new() { ["password"] = "pw-venice-1" });

        Assert.Equal("octopus", octopus.Provider);
        Assert.Equal("venice", venice.Provider);
    }
}

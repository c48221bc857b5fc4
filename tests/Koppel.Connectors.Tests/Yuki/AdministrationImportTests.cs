using Koppel.Connectors.Tests.Payments;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Connectors.Tests.Yuki;

/// <summary>"Add from accounting software": dossiers created from the administrations a Yuki domain key reaches.</summary>
public sealed class AdministrationImportTests : IAsyncLifetime
{
    private static readonly Guid Bakery = PaymentsRig.Administration;
    private static readonly Guid Garage = new("c0ffee00-0000-4000-8000-000000000002");
    private static readonly Guid Florist = new("c0ffee00-0000-4000-8000-000000000003");

    private PaymentsRig _rig = null!;
    private Connection _source = null!;

    public async Task InitializeAsync()
    {
        _rig = await PaymentsRig.StartAsync();
        _rig.Yuki.AddDomainKey(PaymentsRig.YukiKey, "peeters-domain", (Bakery, "Demo Bakkerij BV"), (Garage, "Garage Peeters BV"), (Florist, "Bloemen Anja"));
        _rig.Yuki.SetAdministrationDetails(Garage, "0200.065.765", "BE0200065765", "boekhouding@garage-peeters.be");
        _rig.Yuki.SetAdministrationDetails(Bakery, null, "BE0403170701", null);
        _source = await _rig.ConnectYukiAsync();
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private AdministrationImportService Import => _rig.Get<AdministrationImportService>();

    [Fact]
    public async Task The_list_shows_every_administration_of_the_domain_with_the_dossier_it_would_create_or_link()
    {
        var listed = await Import.ListAsync(PaymentsRig.DossierId, _source.Id, Caller.System, CancellationToken.None);

        Assert.Equal(["Demo Bakkerij BV", "Garage Peeters BV", "Bloemen Anja"], listed.Select(a => a.Name));
        var bakery = listed[0];
        Assert.Equal(("0403170701", PaymentsRig.DossierId, true), (bakery.EnterpriseNumber, bakery.ExistingDossierId, bakery.AlreadyConnected));
        var garage = listed[1];
        Assert.Equal(("0200065765", null, false), (garage.EnterpriseNumber, garage.ExistingDossierId, garage.AlreadyConnected));
        Assert.Null(listed[2].EnterpriseNumber); // Yuki did not say: the import asks for it
    }

    [Fact]
    public async Task Chosen_administrations_become_dossiers_with_a_connection_that_reaches_their_own_administration()
    {
        var results = await Import.ImportAsync(
            PaymentsRig.DossierId,
            _source.Id,
            [new(Garage.ToString()), new(Florist.ToString(), EnterpriseNumber: "0417.497.106", ContactEmail: "anja@bloemen.be")],
            Caller.System,
            CancellationToken.None);

        Assert.All(results, r => Assert.Equal(AdministrationImportOutcome.Created, r.Outcome));
        var garage = (await _rig.Get<IDossierRepository>().GetAsync("0200065765", CancellationToken.None))!;
        Assert.Equal(("Garage Peeters BV", "boekhouding@garage-peeters.be"), (garage.Name, garage.ContactEmail));
        var florist = (await _rig.Get<IDossierRepository>().GetAsync("0417497106", CancellationToken.None))!;
        Assert.Equal("anja@bloemen.be", florist.ContactEmail);

        var connection = (await _rig.Get<IConnectionRepository>().GetAsync("0200065765", results[0].ConnectionId!, CancellationToken.None))!;
        Assert.Equal(Garage.ToString(), connection.Options["administrationId"]);
        Assert.Equal("700000", connection.Options["glAccountCode"]); // the source's settings carry over
        Assert.NotEqual(_source.SecretName, connection.SecretName); // its own copy of the key, in the secret store only
        var test = await _rig.Get<ConnectionService>().TestAsync("0200065765", connection.Id, Caller.System, CancellationToken.None);
        Assert.True(test.Success, test.Message);

        // Their customers and suppliers are imported right after: a full relations sync per new connection.
        var syncs = ((Koppel.Core.Relations.InMemoryRelationSyncQueue)_rig.Get<Koppel.Core.Relations.IRelationSyncQueue>()).Jobs;
        Assert.Equal(results.Select(r => r.ConnectionId), syncs.Select(j => j.ConnectionId));
        Assert.All(syncs, j => Assert.True(j.Full));
    }

    [Fact]
    public async Task Importing_again_links_the_existing_dossier_instead_of_duplicating_it_and_changes_nothing_the_second_time()
    {
        var first = await Import.ImportAsync(PaymentsRig.DossierId, _source.Id, [new(Garage.ToString()), new(Bakery.ToString())], Caller.System, CancellationToken.None);
        var again = await Import.ImportAsync(PaymentsRig.DossierId, _source.Id, [new(Garage.ToString()), new(Bakery.ToString())], Caller.System, CancellationToken.None);

        Assert.Equal([AdministrationImportOutcome.Created, AdministrationImportOutcome.AlreadyConnected], first.Select(r => r.Outcome));
        Assert.Equal(PaymentsRig.DossierId, first[1].DossierId);
        Assert.All(again, r => Assert.Equal(AdministrationImportOutcome.AlreadyConnected, r.Outcome));
        var garageConnections = new List<Connection>();
        await foreach (var c in _rig.Get<IConnectionRepository>().ListAsync("0200065765", CancellationToken.None))
        {
            garageConnections.Add(c);
        }

        Assert.Single(garageConnections);
    }

    [Fact]
    public async Task An_existing_dossier_without_the_connection_is_linked()
    {
        await _rig.Get<DossierService>().CreateAsync(new DossierInput("Garage Peeters", "0200065765", null, null, null), Caller.System, CancellationToken.None);

        var result = Assert.Single(await Import.ImportAsync(PaymentsRig.DossierId, _source.Id, [new(Garage.ToString())], Caller.System, CancellationToken.None));

        Assert.Equal((AdministrationImportOutcome.Linked, "0200065765"), (result.Outcome, result.DossierId));
    }

    [Fact]
    public async Task An_administration_without_an_enterprise_number_or_outside_the_callers_reach_is_refused_with_its_reason_and_the_rest_imported()
    {
        var firm = Caller.ForDossiers("firm", [PaymentsRig.DossierId, "0417497106"]);

        var results = await Import.ImportAsync(
            PaymentsRig.DossierId,
            _source.Id,
            [new(Florist.ToString()), new(Garage.ToString()), new(Florist.ToString(), EnterpriseNumber: "0417497106"), new("not-an-administration")],
            firm,
            CancellationToken.None);

        Assert.Equal(
            [AdministrationImportOutcome.Refused, AdministrationImportOutcome.Refused, AdministrationImportOutcome.Created, AdministrationImportOutcome.Refused],
            results.Select(r => r.Outcome));
        Assert.Contains("enterpriseNumber", results[0].Reason, StringComparison.Ordinal);
        Assert.Null(await _rig.Get<IDossierRepository>().GetAsync("0200065765", CancellationToken.None));
        Assert.DoesNotContain(PaymentsRig.YukiKey, string.Join(" ", results.Select(r => r.Reason)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_that_cannot_list_administrations_is_a_400_naming_it()
    {
        var venice = new Connection { Id = "c-venice", DossierId = PaymentsRig.DossierId, Provider = "venice", DocumentKinds = new HashSet<DocumentKind> { DocumentKind.SalesInvoice } };
        await _rig.Get<IConnectionRepository>().UpsertAsync(venice, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => Import.ListAsync(PaymentsRig.DossierId, venice.Id, Caller.System, CancellationToken.None));

        Assert.Contains("connectionId", refused.Errors.Keys);
    }
}

using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ingestion;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.Ingestion;

public class QuarantineServiceTests
{
    private readonly CoreHarness _harness = new();
    private readonly QuarantineService _service;

    public QuarantineServiceTests()
    {
        _service = new QuarantineService(_harness.Ports, _harness.Ports, _harness.Ingest, _harness.Clock);
    }

    private async Task<string> QuarantineForUnknownDossierAsync()
    {
        var result = await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "early.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        Assert.Equal(QuarantineCodes.UnknownDossier, result.Reason!.Code);
        return $"q/{result.Reason.OriginalPath}";
    }

    [Fact]
    public async Task A_file_that_came_before_its_dossier_is_kept_under_that_dossier_and_ingested_once_it_exists()
    {
        var path = await QuarantineForUnknownDossierAsync();
        Assert.Equal(CoreHarness.DossierId, Assert.Single(_harness.Ports.Quarantined).Reason.DossierId);
        Assert.Contains(_harness.Ports.Runs, r => r.DossierId == CoreHarness.DossierId && r.ResultText!.Contains("UNKNOWN-DOSSIER", StringComparison.Ordinal));
        await _harness.SeedAsync();

        var result = await _service.ReingestAsync(path, null, Caller.ForDossiers("firm-a", [CoreHarness.DossierId]), default);

        Assert.Equal(IngestOutcome.Accepted, result.Outcome);
        Assert.Equal(DocumentKind.SalesInvoice, result.Kind);
        Assert.Empty(_harness.Ports.Quarantined);
        Assert.Empty(_harness.Ports.InboxFiles);
    }

    [Fact]
    public async Task A_file_still_refused_is_quarantined_again_with_todays_reason_and_not_lost()
    {
        var path = await QuarantineForUnknownDossierAsync();

        var result = await _service.ReingestAsync(path, null, Caller.System, default);

        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        var (reason, content) = Assert.Single(_harness.Ports.Quarantined);
        Assert.Equal(QuarantineCodes.UnknownDossier, reason.Code);
        Assert.Equal(CoreHarness.Sample("demo-invoice.xml"), content);
    }

    [Fact]
    public async Task Another_dossiers_caller_can_neither_download_nor_reingest_it()
    {
        var path = await QuarantineForUnknownDossierAsync();
        var other = Caller.ForDossiers("firm-b", ["0876543270"]);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _service.OpenAsync(path, other, default));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _service.ReingestAsync(path, null, other, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _service.ReingestAsync(path, "0876543270", Caller.ForDossiers("firm-a", [CoreHarness.DossierId]), default));
        Assert.Single(_harness.Ports.Quarantined);
    }

    [Fact]
    public async Task The_owner_can_download_the_refused_bytes()
    {
        var path = await QuarantineForUnknownDossierAsync();

        var (file, content) = await _service.OpenAsync(path, Caller.ForDossiers("firm-a", [CoreHarness.DossierId]), default);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);

        Assert.Equal(QuarantineCodes.UnknownDossier, file.Reason.Code);
        Assert.Equal(CoreHarness.Sample("demo-invoice.xml"), copy.ToArray());
    }
}

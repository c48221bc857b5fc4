using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Export;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.Export;

public class ExportHandlerTests
{
    private readonly CoreHarness _harness = new();

    [Fact]
    public async Task Exporting_delivered_documents_skips_them_unless_a_resend_is_asked()
    {
        await _harness.SeedAsync();
        var ingest = await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "i.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        await _harness.DrainQueueAsync();

        var skipped = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest([ingest.DocumentId!], null, null, null, Resend: false), Caller.ForAll("anna"), default);
        Assert.Equal(RunStatus.Succeeded, skipped.Status);
        Assert.Equal(1, skipped.SkippedDocuments);
        Assert.Single(_harness.Connector.Booked);

        var resent = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest([ingest.DocumentId!], null, null, null, Resend: true), Caller.ForAll("anna"), default);
        Assert.Equal(RunStatus.Running, resent.Status);
        await _harness.DrainQueueAsync();

        Assert.Equal(2, _harness.Connector.Booked.Count);
        var run = await _harness.Export.GetRunAsync(CoreHarness.DossierId, resent.RunId, Caller.ForAll("anna"), default);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(1, run.SucceededDocuments);
        Assert.Contains(_harness.Ports.History, h => h.Event == HistoryEvent.Resent && h.Actor == "anna");
    }

    [Fact]
    public async Task A_date_range_export_takes_the_documents_received_in_it()
    {
        await _harness.SeedAsync();
        _harness.Connector.FailTransiently(0);
        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "i.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        _harness.Clock.Advance(TimeSpan.FromDays(3));
        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "c.cod", CoreHarness.Sample("demo.cod")), default);
        _harness.Ports.Queued.Clear();

        var start = _harness.Clock.GetUtcNow().AddDays(-1);
        var run = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, start, start.AddDays(2), null, Resend: true), Caller.System, default);

        Assert.Equal(1, run.TotalDocuments);
        Assert.Single(_harness.Ports.Queued);
    }

    [Fact]
    public async Task An_export_for_a_dossier_the_caller_may_not_see_is_refused()
    {
        await _harness.SeedAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(["x"], null, null, null, false), Caller.ForDossiers("other-firm", ["0876543270"]), default));
    }

    [Fact]
    public async Task An_export_names_either_documents_or_a_range()
    {
        await _harness.SeedAsync();
        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, null, null, null, false), Caller.System, default));
        Assert.True(error.Errors.ContainsKey("documentIds"));
    }
}

using System.Text;
using Koppel.Azure.Blobs;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;

namespace Koppel.Azure.Tests.Blobs;

[Collection(AzuriteCollection.Name)]
public sealed class BlobQuarantineTests : IAsyncLifetime
{
    private readonly TestStorage _storage;
    private readonly BlobQuarantine _quarantine;

    public BlobQuarantineTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _quarantine = new BlobQuarantine(_storage.Clients.Container(_storage.Names.QuarantineContainer), TimeProvider.System);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_refused_file_is_kept_with_its_reason_and_listed_back_for_its_dossier()
    {
        var reason = new QuarantineReason
        {
            Code = QuarantineCodes.Invalid,
            Message = "Ligne 3 : montant négatif",
            Location = "line 3, position 14",
            OriginalPath = "0123456749/bad.xml",
            DossierId = "0123456749",
            At = new DateTimeOffset(2026, 11, 22, 9, 30, 15, 123, TimeSpan.Zero),
        };

        var stored = await _quarantine.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes("<broken")), reason, default);

        Assert.Equal("0123456749/20261122T0930151230000Z-bad.xml", stored.Path);
        var listed = Assert.Single(await _quarantine.ListAsync("0123456749", default).ToListAsync());
        Assert.Equal(stored.Path, listed.Path);
        Assert.Equal(reason, listed.Reason);
        var blob = _storage.Clients.Container(_storage.Names.QuarantineContainer).GetBlobClient(stored.Path);
        Assert.Equal("<broken", (await blob.DownloadContentAsync()).Value.Content.ToString());
        var metadata = (await blob.GetPropertiesAsync()).Value.Metadata;
        Assert.Equal("INVALID", metadata["reasoncode"]);
        Assert.Equal(reason.Message, Uri.UnescapeDataString(metadata["reasonmessage"]));
    }

    [Fact]
    public async Task A_file_without_a_dossier_goes_to_the_unknown_folder_and_is_not_listed_under_other_dossiers()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var quarantine = new BlobQuarantine(_storage.Clients.Container(_storage.Names.QuarantineContainer), clock);
        var reason = new QuarantineReason { Code = QuarantineCodes.UnknownDossier, Message = "No dossier 999", OriginalPath = "999/x.pdf" };

        var stored = await quarantine.PutAsync(new MemoryStream([1, 2]), reason, default);

        Assert.StartsWith("_unknown/20261122T1000000000000Z-x.pdf", stored.Path, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow(), stored.Reason.At);
        Assert.Empty(await quarantine.ListAsync("0123456749", default).ToListAsync());
        Assert.Single(await quarantine.ListAsync(null, default).ToListAsync());
    }

    [Fact]
    public async Task An_original_path_that_tries_to_climb_out_is_stored_under_its_last_segment_only()
    {
        var reason = new QuarantineReason
        {
            Code = QuarantineCodes.BadPath,
            Message = "Bad path",
            OriginalPath = "../../etc/passwd",
            DossierId = "0123456749",
            At = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
        };

        var stored = await _quarantine.PutAsync(new MemoryStream([1]), reason, default);

        Assert.Equal("0123456749/20261122T1000000000000Z-passwd", stored.Path);
        Assert.Equal("../../etc/passwd", stored.Reason.OriginalPath); // the reason keeps what really arrived
    }

    [Fact]
    public async Task A_file_whose_dossier_id_is_no_safe_folder_name_is_still_kept_under_the_unknown_folder()
    {
        var reason = new QuarantineReason { Code = QuarantineCodes.BadPath, Message = "x", OriginalPath = "x.xml", DossierId = "01/../23" };

        var stored = await _quarantine.PutAsync(new MemoryStream([1]), reason, default);

        Assert.StartsWith("_unknown/", stored.Path, StringComparison.Ordinal);
        Assert.Equal("01/../23", Assert.Single(await _quarantine.ListAsync(null, default).ToListAsync()).Reason.DossierId);
    }

    [Fact]
    public async Task A_very_long_message_and_file_name_are_kept_in_full_in_the_reason_file()
    {
        var reason = new QuarantineReason
        {
            Code = QuarantineCodes.Invalid,
            Message = string.Concat(Enumerable.Repeat("Bedrag ongeldig: €ë ", 500)),
            OriginalPath = "0123456749/" + new string('n', 2000) + ".xml",
            DossierId = "0123456749",
        };

        var stored = await _quarantine.PutAsync(new MemoryStream([1]), reason, default);

        Assert.EndsWith(".xml", stored.Path, StringComparison.Ordinal);
        Assert.Equal(reason.Message, Assert.Single(await _quarantine.ListAsync("0123456749", default).ToListAsync()).Reason.Message);
    }

    [Fact]
    public async Task The_quarantine_is_listed_in_full_pages_of_files_not_of_blobs()
    {
        var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 7; i++)
        {
            var reason = new QuarantineReason { Code = QuarantineCodes.Invalid, Message = "x", OriginalPath = $"0123456749/f{i}.xml", DossierId = "0123456749", At = at.AddSeconds(i) };
            await _quarantine.PutAsync(new MemoryStream([1]), reason, default);
        }

        var pages = new List<Koppel.Core.Ports.Page<Koppel.Core.Ports.QuarantinedFile>>();
        string? token = null;
        do
        {
            var page = await _quarantine.ListPageAsync("0123456749", new Koppel.Core.Ports.PageRequest(3, token), default);
            pages.Add(page);
            token = page.ContinuationToken;
        }
        while (token is not null && pages.Count < 10);

        // Each file is two blobs (file and reason); a page still holds as many files as asked.
        Assert.Equal(7, pages.Sum(p => p.Items.Count));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(3, p.Items.Count));
        Assert.Equal(
            Enumerable.Range(0, 7).Select(i => $"0123456749/f{i}.xml"),
            pages.SelectMany(p => p.Items).Select(f => f.Reason.OriginalPath));
    }
}

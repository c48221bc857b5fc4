using System.Security.Cryptography;
using System.Text;
using Koppel.Azure.Blobs;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tests.Blobs;

[Collection(AzuriteCollection.Name)]
public sealed class BlobDocumentArchiveTests : IAsyncLifetime
{
    private readonly TestStorage _storage;
    private readonly BlobDocumentArchive _archive;

    public BlobDocumentArchiveTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _archive = new BlobDocumentArchive(_storage.Clients.Container(_storage.Names.ArchiveContainer));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Storing_content_returns_its_sha256_as_content_id_and_reads_back_the_same_bytes()
    {
        var bytes = Encoding.UTF8.GetBytes("<Invoice>42</Invoice>");

        var stored = await _archive.StoreAsync(new MemoryStream(bytes), "application/xml", default);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.ContentId);
        Assert.Equal(bytes.Length, stored.Size);
        Assert.False(stored.AlreadyPresent);
        Assert.True(await _archive.ExistsAsync(stored.ContentId, default));
        await using var read = await _archive.OpenReadAsync(stored.ContentId, default);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Storing_the_same_bytes_twice_keeps_one_copy_and_says_it_was_already_present()
    {
        var bytes = Encoding.UTF8.GetBytes("same file dropped twice");

        var first = await _archive.StoreAsync(new MemoryStream(bytes), "text/plain", default);
        var second = await _archive.StoreAsync(new MemoryStream(bytes), "text/plain", default);

        Assert.Equal(first.ContentId, second.ContentId);
        Assert.True(second.AlreadyPresent);
        var names = new List<string>();
        await foreach (var blob in _storage.Clients.Container(_storage.Names.ArchiveContainer).GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        Assert.Equal(["sha256/" + first.ContentId], names); // one content blob, no temporary left behind
    }

    [Fact]
    public async Task An_unknown_content_id_does_not_exist_and_cannot_be_opened()
    {
        var unknown = new string('a', 64);

        Assert.False(await _archive.ExistsAsync(unknown, default));
        await _archive.StoreAsync(new MemoryStream([1, 2, 3]), "application/octet-stream", default);
        Assert.False(await _archive.ExistsAsync(unknown, default));
        await Assert.ThrowsAsync<FileNotFoundException>(() => _archive.OpenReadAsync(unknown, default));
    }

    [Fact]
    public async Task A_content_id_that_is_not_a_hash_is_refused_before_touching_storage()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _archive.OpenReadAsync("../inbox/x", default));
    }
}

/// <summary>Runs alone (no parallel tests) so the process-wide allocation count belongs to this upload only.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeUploadCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Large uploads";
}

[Collection(LargeUploadCollection.Name)]
public sealed class BlobDocumentArchiveStreamingTests : IAsyncLifetime
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    private readonly TestStorage _storage;
    private readonly BlobDocumentArchive _archive;

    public BlobDocumentArchiveStreamingTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _archive = new BlobDocumentArchive(_storage.Clients.Container(_storage.Names.ArchiveContainer));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_50_MB_non_seekable_stream_is_archived_with_the_right_hash_without_being_held_in_memory()
    {
        await _archive.StoreAsync(new MemoryStream([0]), "application/octet-stream", default); // warm-up: container, connections
        var expectedHash = GeneratedStream.Sha256Hex(FiftyMegabytes, seed: 7);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stored = await _archive.StoreAsync(new GeneratedStream(FiftyMegabytes, seed: 7), "application/pdf", default);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(expectedHash, stored.ContentId);
        Assert.Equal(FiftyMegabytes, stored.Size);
        Assert.True(
            allocated < FiftyMegabytes / 2,
            $"Storing 50 MB allocated {allocated / (1024 * 1024)} MB; the archive must stream, not buffer the file.");
        var properties = await _storage.Clients.Container(_storage.Names.ArchiveContainer)
            .GetBlobClient("sha256/" + stored.ContentId).GetPropertiesAsync();
        Assert.Equal(FiftyMegabytes, properties.Value.ContentLength);
        Assert.Equal("application/pdf", properties.Value.ContentType);
    }
}

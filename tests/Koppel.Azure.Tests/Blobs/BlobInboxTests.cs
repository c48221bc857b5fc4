using System.Text;
using Koppel.Azure.Blobs;
using Koppel.Azure.Tests.Infrastructure;

namespace Koppel.Azure.Tests.Blobs;

[Collection(AzuriteCollection.Name)]
public sealed class BlobInboxTests : IAsyncLifetime
{
    private readonly TestStorage _storage;
    private readonly BlobInbox _inbox;

    public BlobInboxTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _inbox = new BlobInbox(_storage.Clients.Container(_storage.Names.InboxContainer));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_file_put_in_the_inbox_is_listed_under_its_dossier_and_reads_back()
    {
        var put = await _inbox.PutAsync("0123456749", "invoice-1.xml", new MemoryStream(Encoding.UTF8.GetBytes("<Invoice/>")), default);

        var listed = Assert.Single(await _inbox.ListAsync(default).ToListAsync());
        Assert.Equal("0123456749/invoice-1.xml", listed.Path);
        Assert.Equal("0123456749", listed.DossierSegment);
        Assert.Equal("invoice-1.xml", listed.FileName);
        Assert.Equal(10, listed.Size);
        Assert.Equal(put.Path, listed.Path);
        await using var read = await _inbox.OpenReadAsync(listed.Path, default);
        Assert.Equal("<Invoice/>", await new StreamReader(read).ReadToEndAsync());
    }

    [Fact]
    public async Task A_deleted_file_is_gone_and_looking_it_up_gives_null()
    {
        var put = await _inbox.PutAsync("0123456749", "a.xml", new MemoryStream([1]), default);

        await _inbox.DeleteAsync(put.Path, default);

        Assert.Null(await _inbox.GetAsync(put.Path, default));
        Assert.Empty(await _inbox.ListAsync(default).ToListAsync());
        await _inbox.DeleteAsync(put.Path, default); // deleting twice is harmless
    }

    [Fact]
    public async Task A_newer_version_dropped_while_the_old_one_was_being_read_survives_the_delete()
    {
        var first = await _inbox.PutAsync("0123456749", "a.xml", new MemoryStream(Encoding.UTF8.GetBytes("v1")), default);
        await using (var read = await _inbox.OpenReadAsync(first.Path, default))
        {
            Assert.Equal("v1", await new StreamReader(read).ReadToEndAsync());
        }

        await _inbox.PutAsync("0123456749", "a.xml", new MemoryStream(Encoding.UTF8.GetBytes("v2")), default);
        await _inbox.DeleteAsync(first.Path, default);

        await using var remaining = await _inbox.OpenReadAsync(first.Path, default);
        Assert.Equal("v2", await new StreamReader(remaining).ReadToEndAsync());
        await _inbox.DeleteAsync(first.Path, default);
        Assert.Null(await _inbox.GetAsync(first.Path, default));
    }

    [Fact]
    public async Task A_blob_with_an_unsafe_name_written_directly_to_storage_is_not_listed()
    {
        await _inbox.PutAsync("0123456749", "good.xml", new MemoryStream([1]), default);
        await _storage.Clients.Container(_storage.Names.InboxContainer).GetBlobClient("0123456749//odd.xml").UploadAsync(new BinaryData([1]));

        Assert.Equal(["0123456749/good.xml"], (await _inbox.ListAsync(default).ToListAsync()).Select(i => i.Path));
    }

    [Theory]
    [InlineData("..", "x.xml")]
    [InlineData("0123456749", "../x.xml")]
    [InlineData("01/23", "x.xml")]
    [InlineData("0123456749", "sub/x.xml")]
    public async Task Names_that_could_escape_the_dossier_folder_are_refused(string dossier, string fileName)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _inbox.PutAsync(dossier, fileName, new MemoryStream([1]), default));
    }

    [Theory]
    [InlineData("/0123456749/x.xml")]
    [InlineData("0123456749/../x.xml")]
    public async Task Paths_with_a_leading_slash_or_dot_dot_are_refused(string path)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _inbox.GetAsync(path, default));
    }
}

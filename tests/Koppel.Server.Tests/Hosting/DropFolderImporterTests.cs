using System.Collections.Concurrent;
using Koppel.Core.Ports;
using Koppel.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Tests.Hosting;

/// <summary>The drop folder's pick-up rules, pass by pass, with a clock the test moves.</summary>
public sealed class DropFolderImporterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("koppel-dropunit-").FullName;
    private readonly RecordingInbox _inbox = new();
    private readonly SteppedClock _clock = new();
    private readonly DropFolderImporter _importer;

    public DropFolderImporterTests()
    {
        Directory.CreateDirectory(Folder);
        _importer = new DropFolderImporter(
            _inbox, _clock, Options.Create(new ServerOptions { DropFolderSettleTime = TimeSpan.FromSeconds(3) }), NullLogger<DropFolderImporter>.Instance);
    }

    private string Folder => Path.Combine(_root, "0403170701");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task PassAfterAsync(double seconds)
    {
        _clock.Advance(TimeSpan.FromSeconds(seconds));
        await _importer.PassAsync(_root, CancellationToken.None);
    }

    [Fact]
    public async Task A_file_written_in_two_parts_with_a_pause_is_taken_whole_once_it_stops_changing()
    {
        var path = Path.Combine(Folder, "invoice.xml");
        await File.WriteAllTextAsync(path, "<Invoice>first half");
        await PassAfterAsync(0);
        await PassAfterAsync(2);
        Assert.Empty(_inbox.Puts);

        await File.AppendAllTextAsync(path, " and the second half</Invoice>");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        await PassAfterAsync(2);
        Assert.Empty(_inbox.Puts);

        await PassAfterAsync(3.5);

        var put = Assert.Single(_inbox.Puts);
        Assert.Equal("<Invoice>first half and the second half</Invoice>", put.Value);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("invoice.xml.part")]
    [InlineData("invoice.tmp")]
    [InlineData("~invoice.xml")]
    [InlineData(".invoice.xml")]
    public async Task Files_that_are_still_being_written_by_name_are_never_taken(string name)
    {
        await File.WriteAllTextAsync(Path.Combine(Folder, name), "<Invoice/>");

        await PassAfterAsync(0);
        await PassAfterAsync(10);
        await PassAfterAsync(10);

        Assert.Empty(_inbox.Puts);
        Assert.True(File.Exists(Path.Combine(Folder, name)));
    }

    [Fact]
    public async Task A_file_the_inbox_refuses_does_not_stop_the_others()
    {
        await File.WriteAllTextAsync(Path.Combine(Folder, "refused.xml"), "<Invoice/>");
        await File.WriteAllTextAsync(Path.Combine(Folder, "fine.xml"), "<Invoice/>");
        _inbox.Refuse = "refused.xml";

        await PassAfterAsync(0);
        await PassAfterAsync(4);

        Assert.Equal(["0403170701/fine.xml"], _inbox.Puts.Keys);
        Assert.True(File.Exists(Path.Combine(Folder, "refused.xml")));
    }

    private sealed class SteppedClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }

    private sealed class RecordingInbox : IInbox
    {
        public ConcurrentDictionary<string, string> Puts { get; } = new();

        public string? Refuse { get; set; }

        public async Task<InboxItem> PutAsync(string dossierSegment, string fileName, Stream content, CancellationToken cancellationToken)
        {
            if (fileName == Refuse)
            {
                throw new ArgumentException($"The name '{fileName}' is refused by storage.");
            }

            using var reader = new StreamReader(content);
            Puts[$"{dossierSegment}/{fileName}"] = await reader.ReadToEndAsync(cancellationToken);
            return new InboxItem($"{dossierSegment}/{fileName}", dossierSegment, fileName, 0, null);
        }

        public IAsyncEnumerable<InboxItem> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<InboxItem?> GetAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

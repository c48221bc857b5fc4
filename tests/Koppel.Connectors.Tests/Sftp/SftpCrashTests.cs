using Koppel.Connectors.Sftp;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Xunit.Abstractions;

namespace Koppel.Connectors.Tests.Sftp;

/// <summary>
/// The server is SIGKILLed in the middle of a batch, as in a power cut. Retrying what failed, as the delivery
/// queue does, must end with every document there exactly once, byte for byte, and no half file left.
/// </summary>
[Collection(SftpServerCollection.Name)]
public sealed class SftpCrashTests
{
    private const int BatchSize = 8;
    private const int DocumentBytes = 1_000_000;
    private const int CrashingDocument = 3;

    private readonly SftpServer _server;
    private readonly SftpConnector _connector = new(TestNetwork.LoopbackAllowed);

    private readonly ITestOutputHelper _output;

    public SftpCrashTests(SftpServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    [Fact]
    public async Task A_server_killed_mid_batch_loses_nothing_and_duplicates_nothing()
    {
        var folder = $"Invoice_import/crash-{Guid.NewGuid():N}";
        using (var receiver = _server.Connect())
        {
            receiver.CreateDirectory(folder);
        }

        var settings = TestDeliveries.Settings(_server.Options(folder), new Dictionary<string, string> { ["password"] = _server.Password });
        var documents = Enumerable.Range(0, BatchSize)
            .Select(i => new TestDocument($"batch-{i:00}.xml", TestDeliveries.RandomBytes(DocumentBytes, seed: i)))
            .ToList();
        var contexts = documents.Select((d, i) => i == CrashingDocument ? CrashingContext(d, settings) : Context(d, settings)).ToList();

        // First pass: the server dies half-way through one upload and stays down for the rest of the batch.
        var firstPass = new List<DeliveryResult>();
        foreach (var context in contexts)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            firstPass.Add(await _connector.DeliverAsync(context, CancellationToken.None));
            _output.WriteLine($"first pass {context.Document.FileName}: {firstPass[^1].Kind} in {watch.ElapsedMilliseconds} ms {firstPass[^1].Reason}");
        }

        Assert.All(firstPass.Take(CrashingDocument), r => Assert.Equal(DeliveryResultKind.Delivered, r.Kind));
        Assert.All(firstPass.Skip(CrashingDocument), r => Assert.Equal(DeliveryResultKind.Transient, r.Kind));

        // The server comes back; the queue retries whatever was not delivered, and (as after a worker crash
        // between upload and ledger write) also re-runs the ones that were.
        await SftpServer.StartAsync();
        var secondPass = new List<DeliveryResult>();
        foreach (var context in contexts)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            secondPass.Add(await _connector.DeliverAsync(context, CancellationToken.None));
            _output.WriteLine($"second pass {context.Document.FileName}: {secondPass[^1].Kind} in {watch.ElapsedMilliseconds} ms");
        }

        Assert.All(secondPass, r => Assert.Equal(DeliveryResultKind.Delivered, r.Kind));
        Assert.Equal(firstPass.Take(CrashingDocument).Select(r => r.Reference), secondPass.Take(CrashingDocument).Select(r => r.Reference));

        var onDisk = Path.Combine(TestServices.StateDir, "sshd", "home", SftpServer.UserName, folder);
        var files = Directory.GetFiles(onDisk).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(secondPass.Select(r => Path.GetFileName(r.Reference)).Order(StringComparer.Ordinal), files);
        for (var i = 0; i < BatchSize; i++)
        {
            Assert.Equal(documents[i].Content, await File.ReadAllBytesAsync(Path.Combine(onDisk, Path.GetFileName(secondPass[i].Reference!))));
        }
    }

    private static DeliveryContext Context(TestDocument document, ConnectorSettings settings) =>
        TestDeliveries.Context(document, settings, SftpConnector.ProviderKey, DeliveryIds.For(document.Record.Id, "conn-crash"));

    /// <summary>The first read of this document past its middle SIGKILLs the server; later reads go through.</summary>
    private static DeliveryContext CrashingContext(TestDocument document, ConnectorSettings settings)
    {
        var crashed = false;
        return new DeliveryContext(
            DeliveryIds.For(document.Record.Id, "conn-crash"),
            TestDeliveries.Dossier,
            new Connection { Id = "conn-crash", DossierId = TestDeliveries.DossierId, Provider = SftpConnector.ProviderKey, DocumentKinds = new HashSet<DocumentKind> { document.Record.Kind } },
            document.Record,
            settings,
            async (id, ct) =>
            {
                var stream = await document.OpenAsync(id, ct);
                if (crashed)
                {
                    return stream;
                }

                crashed = true;
                return new TripwireStream(stream, DocumentBytes / 2, () => SftpServer.CrashAsync().GetAwaiter().GetResult());
            });
    }
}

using Azure.Storage.Queues;
using Koppel.Azure.Queues;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Koppel.Azure.Tests.Queues;

[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Hidden = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly TestStorage _storage;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly StorageQueueWorkQueue _sender;
    private readonly StorageQueueReceiver _receiver;

    public StorageQueueTests(AzuriteFixture azurite)
    {
        _connectionString = azurite.ConnectionString;
        _storage = azurite.CreateIsolatedStorage();
        _queue = _storage.Clients.Queue(_storage.Names.DeliveryQueue);
        _poison = _storage.Clients.Queue(_storage.Names.DeliveryPoisonQueue);
        _sender = new StorageQueueWorkQueue(_queue);
        _receiver = new StorageQueueReceiver(_queue, _poison, NullLogger<StorageQueueReceiver>.Instance);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_sent_request_is_received_once_and_is_gone_after_completion()
    {
        var request = Request();
        await _sender.EnqueueAsync(request, delay: null, default);

        var work = Assert.Single(await _receiver.ReceiveAsync(10, Hidden, default));
        Assert.Equal(request, work.Request);
        Assert.Equal(1, work.DequeueCount);
        await work.CompleteAsync(default);

        Assert.Empty((await _queue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task A_delayed_request_stays_invisible_until_its_delay_has_passed()
    {
        var sent = DateTimeOffset.UtcNow;
        await _sender.EnqueueAsync(Request(), TimeSpan.FromSeconds(4), default);

        Assert.Empty(await _receiver.ReceiveAsync(10, Hidden, default));
        Assert.Empty((await _queue.PeekMessagesAsync(32)).Value);

        Assert.Single(await ReceiveWithinAsync(TimeSpan.FromSeconds(20)));
        Assert.True(DateTimeOffset.UtcNow - sent >= TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task An_abandoned_request_comes_back_after_its_delay_with_a_higher_dequeue_count()
    {
        await _sender.EnqueueAsync(Request(), delay: null, default);
        var first = Assert.Single(await _receiver.ReceiveAsync(1, Hidden, default));

        await first.AbandonAsync(TimeSpan.FromSeconds(3), default);
        Assert.Empty(await _receiver.ReceiveAsync(1, Hidden, default));

        var second = Assert.Single(await ReceiveWithinAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(2, second.DequeueCount);
        Assert.Equal(first.Request, second.Request);
    }

    [Fact]
    public async Task A_message_that_is_not_a_delivery_request_moves_to_the_poison_queue_instead_of_coming_back()
    {
        await _sender.EnqueueAsync(Request(), delay: null, default); // makes sure the queue exists
        var work = Assert.Single(await _receiver.ReceiveAsync(1, Hidden, default));
        await work.CompleteAsync(default);
        var base64Queue = new QueueClient(
            _connectionString, _queue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await base64Queue.SendMessageAsync(BinaryData.FromString("{ this is not json"));

        Assert.Empty(await _receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1), default));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty((await _queue.PeekMessagesAsync(32)).Value);
        var poisoned = Assert.Single((await _poison.PeekMessagesAsync(32)).Value);
        Assert.Equal("{ this is not json", poisoned.Body.ToString());
    }

    [Fact]
    public async Task A_message_that_is_not_even_base64_moves_to_the_poison_queue_too()
    {
        await _sender.EnqueueAsync(Request(), delay: null, default);
        await (Assert.Single(await _receiver.ReceiveAsync(1, Hidden, default))).CompleteAsync(default);
        var plainTextQueue = new QueueClient(_connectionString, _queue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await plainTextQueue.SendMessageAsync("plain text, not base64!");

        Assert.Empty(await _receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1), default));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty((await plainTextQueue.PeekMessagesAsync(32)).Value);
        var poisoned = Assert.Single((await _poison.PeekMessagesAsync(32)).Value);
        Assert.Equal("plain text, not base64!", poisoned.Body.ToString());
    }

    /// <summary>Polls instead of sleeping a fixed time: the build machine is shared and sometimes slow.</summary>
    private async Task<IReadOnlyList<IReceivedWork>> ReceiveWithinAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var received = await _receiver.ReceiveAsync(10, Hidden, default);
            if (received.Count > 0 || DateTimeOffset.UtcNow > deadline)
            {
                return received;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static DeliveryRequest Request() => new()
    {
        DeliveryId = DeliveryIds.For("doc1", "conn1"),
        DossierId = "0123456749",
        DocumentId = "doc1",
        ConnectionId = "conn1",
        RunId = "run1",
        EnqueuedAt = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero),
    };
}

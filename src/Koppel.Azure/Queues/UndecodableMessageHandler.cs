using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;

namespace Koppel.Azure.Queues;

/// <summary>
/// A message that is not even Base64 (written by a tool that does not encode) cannot be decoded by the SDK, and
/// would otherwise fail every receive. Received ones are moved, raw, to the queue's poison queue.
/// </summary>
internal static class UndecodableMessageHandler
{
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public static async Task MoveToPoisonQueueAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return; // a peek: nothing to settle
        }

        var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(KoppelStorageNames.PoisonQueueFor(args.Queue.Name));
        if (args.IsRunningSynchronously)
        {
            poison.CreateIfNotExists(cancellationToken: args.CancellationToken);
            poison.SendMessage(message.Body, timeToLive: NeverExpires, cancellationToken: args.CancellationToken);
            TryDelete(() => args.Queue.DeleteMessage(message.MessageId, message.PopReceipt, args.CancellationToken));
        }
        else
        {
            await poison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken);
            await poison.SendMessageAsync(message.Body, timeToLive: NeverExpires, cancellationToken: args.CancellationToken);
            try
            {
                await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // handed out again meanwhile; the next receiver moves it
            }
        }
    }

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // handed out again meanwhile; the next receiver moves it
        }
    }
}

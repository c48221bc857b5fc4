using Azure.Storage.Queues.Models;

namespace Koppel.Functions.Messaging;

/// <summary>
/// Reads the job a queue-triggered function was handed. A body that is no such job can never succeed, yet it is kept,
/// as the server's pumps keep it: the function fails, and after the message's last attempt (maxDequeueCount) the host
/// moves it to the queue's poison queue (<c>{queue}-poison</c>, the name the server uses too), where an operator finds it.
/// </summary>
public static class QueueJobMessages
{
    /// <param name="what">The job in words, e.g. "a payment poll job".</param>
    /// <exception cref="InvalidDataException">The body is not such a job.</exception>
    public static T Read<T>(QueueMessage message, Func<BinaryData, T?> decode, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(decode);
        return decode(message.Body) ?? throw new InvalidDataException(
            $"Queue message {message.MessageId} is not {what}; after its last attempt the host moves it to the poison queue.");
    }
}

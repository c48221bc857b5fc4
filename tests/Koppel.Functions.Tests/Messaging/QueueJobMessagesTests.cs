using Azure.Storage.Queues.Models;
using Koppel.Azure.Queues;
using Koppel.Core.Payments;
using Koppel.Functions.Messaging;

namespace Koppel.Functions.Tests.Messaging;

public sealed class QueueJobMessagesTests
{
    private static QueueMessage Message(string id, BinaryData body) =>
        QueuesModelFactory.QueueMessage(id, "receipt", body, dequeueCount: 1);

    [Fact]
    public void A_job_message_is_read_whole()
    {
        var job = new PollJob { DossierId = "0403170701", ConnectionId = "c1", Slot = "2026-12-02T07:00" };

        var read = QueueJobMessages.Read(Message("m1", PollJobJson.Serialize(job)), PollJobJson.TryDeserialize, "a payment poll job");

        Assert.Equal(job, read);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"dossierId\":\"\",\"connectionId\":\"c1\",\"slot\":\"manual\"}")]
    public void A_message_that_is_no_job_fails_the_function_naming_the_message_so_the_host_keeps_it_in_the_poison_queue(string body)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            QueueJobMessages.Read(Message("m-42", BinaryData.FromString(body)), PollJobJson.TryDeserialize, "a payment poll job"));

        Assert.Contains("m-42", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a payment poll job", error.Message, StringComparison.Ordinal);
        Assert.Contains("poison queue", error.Message, StringComparison.Ordinal);
    }
}

using Azure.Storage;

namespace Koppel.Azure.Blobs;

/// <summary>
/// Upload in 4 MiB blocks, two at a time: memory stays at a few blocks however large the file is.
/// </summary>
internal static class StreamingTransfer
{
    private const int BlockSize = 4 * 1024 * 1024;

    public static StorageTransferOptions Options => new()
    {
        InitialTransferSize = BlockSize,
        MaximumTransferSize = BlockSize,
        MaximumConcurrency = 2,
    };
}

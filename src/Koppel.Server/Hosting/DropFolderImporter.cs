using Koppel.Core.Ports;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// A hot folder for self-hosted installs: files saved under <c>{DropFolder}/{dossier}/</c> are moved into the
/// blob inbox, where ingestion picks them up as if the platform had uploaded them. A file is taken only once it
/// has not changed for a moment, so a copy in progress is not cut short; it is deleted only after the upload.
/// </summary>
public sealed class DropFolderImporter(IInbox inbox, TimeProvider clock, IOptions<ServerOptions> options, ILogger<DropFolderImporter> logger) : BackgroundService
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var root = options.Value.DropFolder;
        if (string.IsNullOrWhiteSpace(root))
        {
            return;
        }

        root = Path.GetFullPath(root);
        Directory.CreateDirectory(root);
        logger.LogInformation("Watching drop folder {Folder}: put files in {Folder}/{{enterprise number}}/", root, root);
        using var timer = new PeriodicTimer(options.Value.InboxPollInterval);
        do
        {
            foreach (var dossierFolder in Directory.EnumerateDirectories(root))
            {
                foreach (var file in Directory.EnumerateFiles(dossierFolder))
                {
                    await ImportAsync(file, Path.GetFileName(dossierFolder), stoppingToken);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ImportAsync(string file, string dossierSegment, CancellationToken stoppingToken)
    {
        var info = new FileInfo(file);
        if (info.Name.StartsWith('.') || clock.GetUtcNow() - info.LastWriteTimeUtc < SettleTime)
        {
            return;
        }

        try
        {
            await using (var content = info.OpenRead())
            {
                await inbox.PutAsync(dossierSegment, info.Name, content, stoppingToken);
            }

            info.Delete();
            logger.LogInformation("Moved {File} into the inbox of {Dossier}", info.Name, dossierSegment);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not take {File} from the drop folder yet; trying again", file);
        }
    }
}

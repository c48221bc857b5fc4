using Koppel.Core.Ports;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// A hot folder for self-hosted installs: files saved under <c>{DropFolder}/{dossier}/</c> are moved into the
/// blob inbox, where ingestion picks them up as if the platform had uploaded them.
/// A file is taken only when it is complete: its size and modification time have not changed between two passes
/// at least <see cref="ServerOptions.DropFolderSettleTime"/> apart, and its name is not one that writers use while
/// they are still writing (<c>*.part</c>, <c>*.tmp</c>, <c>~*</c>, dot-files). It is deleted only after the upload.
/// No single file and no storage outage stops the loop: every pass is caught, logged and tried again.
/// </summary>
public sealed class DropFolderImporter(IInbox inbox, TimeProvider clock, IOptions<ServerOptions> options, ILogger<DropFolderImporter> logger) : BackgroundService
{
    private readonly Dictionary<string, Observation> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toldSkipped = new(StringComparer.Ordinal);

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
            try
            {
                await PassAsync(root, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "A pass over the drop folder {Folder} failed; trying again on the next one", root);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One look at every file; the files a pass did not see again are forgotten.</summary>
    internal async Task PassAsync(string root, CancellationToken stoppingToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dossierFolder in Directory.EnumerateDirectories(root))
        {
            foreach (var file in Directory.EnumerateFiles(dossierFolder))
            {
                present.Add(file);
                try
                {
                    await ConsiderAsync(file, Path.GetFileName(dossierFolder), stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // One bad file (a name storage refuses, a file vanishing mid-read) must not hold up the others.
                    logger.LogWarning(ex, "Could not take {File} from the drop folder; trying again on the next pass", file);
                }
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }

        _toldSkipped.IntersectWith(present);
    }

    private async Task ConsiderAsync(string file, string dossierSegment, CancellationToken stoppingToken)
    {
        var info = new FileInfo(file);
        if (IsStillBeingWritten(info.Name))
        {
            if (_toldSkipped.Add(file))
            {
                logger.LogInformation("Skipping {File} in the drop folder: its name marks a file still being written; rename it when it is complete", file);
            }

            return;
        }

        var now = clock.GetUtcNow();
        var current = new Observation(info.Length, info.LastWriteTimeUtc, now);
        if (!_seen.TryGetValue(file, out var earlier) || earlier.Length != current.Length || earlier.LastWrite != current.LastWrite)
        {
            // New, or changed since the last pass: a writer may still be at it. Start the settle time from now.
            _seen[file] = current;
            return;
        }

        if (now - earlier.Since < options.Value.DropFolderSettleTime)
        {
            return;
        }

        await using (var content = info.OpenRead())
        {
            await inbox.PutAsync(dossierSegment, info.Name, content, stoppingToken);
        }

        info.Delete();
        _seen.Remove(file);
        logger.LogInformation("Moved {File} into the inbox of {Dossier}", info.Name, dossierSegment);
    }

    /// <summary>Names writers use while a file is incomplete: editors' and copy tools' temporary files and hidden files.</summary>
    internal static bool IsStillBeingWritten(string name) =>
        name.StartsWith('.')
        || name.StartsWith('~')
        || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".crdownload", StringComparison.OrdinalIgnoreCase);

    private sealed record Observation(long Length, DateTime LastWrite, DateTimeOffset Since);
}

using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.LocalFolder;

/// <summary>
/// Delivers into a folder: <c>{path}/{dossier}/{kind}/{name}_{delivery}{ext}</c>, with the document's embedded
/// files (its PDF) beside it. For accounting packages that import from a watched folder or a mounted share.
/// </summary>
public sealed class LocalFolderConnector(IOptions<LocalFolderOptions> options) : IConnector
{
    public const string ProviderKey = "local-folder";

    private readonly IReadOnlyList<string> _roots = options.Value.ResolvedRoots();

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Local folder",
        Capabilities = HandOver.Capabilities,
        Delivers = HandOver.AllKinds,
        Settings = LocalFolderSettings.Fields,
        OperatorOnly = true,
        Notes = "Only an operator (a key for all dossiers) can create one, inside the base folders the operator allows. Files appear atomically (written as a hidden .part file, then renamed). Embedded PDFs are written beside the document, before it.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        LocalFolderSettings? settings = null;
        try
        {
            settings = LocalFolderSettings.From(context.Settings, _roots);
            EnsureRootExists(settings);

            var relativeFolder = settings.RelativeFolderFor(context.Dossier.Id, context.Document.Kind);
            var folder = Path.Combine(settings.RootPath, relativeFolder);
            Directory.CreateDirectory(folder);

            var name = DeliveryFileName.For(context.Document.FileName, context.DeliveryId, context.Document.Format);

            // Attachments first: an import job that reacts to the document then finds its PDF already there.
            foreach (var attachment in context.Document.Attachments)
            {
                await AtomicFileWriter.WriteAsync(
                    Path.Combine(folder, name.ForAttachment(attachment.FileName)),
                    attachment.Size,
                    ct => context.OpenAttachmentAsync(attachment, ct),
                    cancellationToken);
            }

            await AtomicFileWriter.WriteAsync(
                Path.Combine(folder, name.FileName),
                context.Document.Size,
                context.OpenDocumentAsync,
                cancellationToken);

            return DeliveryResult.Delivered($"{relativeFolder}/{name.FileName}");
        }
        catch (ConnectorConfigurationException e)
        {
            return DeliveryResult.Permanent(e.Message);
        }
        catch (ExistingFileConflictException e)
        {
            return DeliveryResult.Permanent(e.Message);
        }
        catch (UnauthorizedAccessException)
        {
            return DeliveryResult.Permanent($"Koppel may not write in '{settings?.RootPath}' (connection '{context.Connection.Id}'); give the account Koppel runs as write access there.");
        }
        catch (IOException e)
        {
            // Disk full, share gone for a moment, file locked by a virus scanner: worth another try.
            return DeliveryResult.Transient($"Writing to the folder failed: {e.Message}");
        }
    }

    public Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var parsed = LocalFolderSettings.From(settings, _roots);
            EnsureRootExists(parsed);
            ProbeWritable(parsed.RootPath);
            return Task.FromResult(new ConnectionTestResult(true, $"The folder '{parsed.RootPath}' exists and Koppel can write in it."));
        }
        catch (ConnectorConfigurationException e)
        {
            return Task.FromResult(new ConnectionTestResult(false, e.Message));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return Task.FromResult(new ConnectionTestResult(false, $"Koppel cannot write in the folder: {e.Message}"));
        }
    }

    public void ValidateSettings(ConnectorSettings settings) => LocalFolderSettings.From(settings, _roots);

    /// <summary>
    /// A missing root is a set-up error, not something to paper over: creating it would deliver into a folder
    /// nobody watches (a typo, an unmounted share).
    /// </summary>
    private static void EnsureRootExists(LocalFolderSettings settings)
    {
        if (!Directory.Exists(settings.RootPath))
        {
            throw new ConnectorConfigurationException(
                $"The folder '{settings.RootPath}' does not exist (or is not mounted); create it or correct '{LocalFolderSettings.PathKey}'.");
        }
    }

    private static void ProbeWritable(string folder)
    {
        var probe = Path.Combine(folder, $".koppel-probe-{Guid.NewGuid():N}");
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
    }
}

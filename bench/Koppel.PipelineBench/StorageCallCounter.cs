using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Koppel.PipelineBench;

/// <summary>
/// Counts every storage request Koppel's clients send, by method and resource ("GET blob inbox", "POST table $batch"),
/// so the bench can print calls per document without an access log.
/// </summary>
public sealed partial class StorageCallCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);

    /// <summary>Names start with a random per-run prefix; the counter strips it so kinds read the same in every run.</summary>
    public string Prefix { get; set; } = "";

    public override void OnSendingRequest(HttpMessage message)
    {
        _byKind.AddOrUpdate(KindOf(message.Request), 1, (_, n) => n + 1);
    }

    public void Reset() => _byKind.Clear();

    public (long Total, IReadOnlyDictionary<string, long> ByKind) Snapshot()
    {
        var copy = new Dictionary<string, long>(_byKind, StringComparer.Ordinal);
        return (copy.Values.Sum(), copy);
    }

    private string KindOf(Request request)
    {
        // http://127.0.0.1:{port}/{account}/{resource}[/...]: the resource is a container, a queue or a table.
        var segments = request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 ? segments[1] : "(account)";
        resource = TableKeys().Replace(resource, "");
        if (Prefix.Length > 0 && resource.StartsWith(Prefix, StringComparison.Ordinal))
        {
            resource = resource[Prefix.Length..];
        }

        var query = request.Uri.Query;
        var detail = segments.Length > 2 && segments[2] == "messages" ? " messages" : string.Empty;
        if (query.Contains("comp=list", StringComparison.Ordinal))
        {
            detail = " list";
        }

        return $"{request.Method} {resource}{detail}";
    }

    [GeneratedRegex(@"\(.*\)$")]
    private static partial Regex TableKeys();
}

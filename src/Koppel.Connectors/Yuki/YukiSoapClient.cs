using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Koppel.Connectors.Yuki;

/// <summary>One parameter of a SOAP call: a plain value, an XML document, or bytes streamed as base64.</summary>
internal sealed record SoapParameter(string Name, object? Value)
{
    /// <summary>Bytes opened only when the envelope is written, and streamed into it as base64.</summary>
    public static SoapParameter Base64(string name, Func<CancellationToken, Task<Stream>> open) => new(name, open);
}

/// <summary>Yuki answered with a SOAP fault (HTTP 500 and a faultstring); the text is the only error code there is.</summary>
internal sealed class YukiFaultException : Exception
{
    public YukiFaultException(string operation, string faultString)
        : base(faultString)
    {
        Operation = operation;
        FaultString = faultString;
    }

    public string Operation { get; }

    public string FaultString { get; }
}

/// <summary>Per-request settings the resilience pipeline and the call counter read.</summary>
internal static class YukiRequest
{
    /// <summary>Only calls that change nothing at Yuki are retried after a timeout or a 5xx.</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("Koppel.Yuki.Idempotent");

    /// <summary>Run before every attempt that goes on the wire (retries too): it counts the call against the quota.</summary>
    public static readonly HttpRequestOptionsKey<Func<CancellationToken, Task>> BeforeEachAttempt = new("Koppel.Yuki.BeforeEachAttempt");
}

/// <summary>Counts each attempt (including the pipeline's retries) through <see cref="YukiRequest.BeforeEachAttempt"/>.</summary>
internal sealed class YukiCallCountingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(YukiRequest.BeforeEachAttempt, out var before))
        {
            await before(cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// SOAP 1.1 over HttpClient for Yuki's ASMX services: <c>{baseUrl}{service}.asmx</c>, SOAPAction =
/// <c>http://www.theyukicompany.com/{operation}</c>, parameters as elements in that namespace (names exactly as the
/// operation spells them: Yuki's are case-sensitive and differ per service).
/// </summary>
internal sealed class YukiSoapClient(HttpClient http)
{
    public const string HttpClientName = "yuki";
    public const string Namespace = "http://www.theyukicompany.com/";
    private const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Yuki = Namespace;

    /// <summary>Calls one operation and returns its <c>{operation}Result</c> element (null when the answer has none).</summary>
    /// <exception cref="YukiFaultException">Yuki answered with a SOAP fault.</exception>
    /// <exception cref="HttpRequestException">Any other non-success answer (with its status code) or no answer.</exception>
    public async Task<XElement?> CallAsync(
        Uri baseUrl,
        string service,
        string operation,
        IReadOnlyList<SoapParameter> parameters,
        bool idempotent,
        Func<CancellationToken, Task> beforeEachAttempt,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, service + ".asmx"))
        {
            Content = new SoapContent(operation, parameters),
        };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{Namespace}{operation}\"");
        request.Options.Set(YukiRequest.Idempotent, idempotent);
        request.Options.Set(YukiRequest.BeforeEachAttempt, beforeEachAttempt);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var isXml = response.Content.Headers.ContentType?.MediaType is "text/xml" or "application/soap+xml" or "application/xml";
        if (!response.IsSuccessStatusCode && !(response.StatusCode == HttpStatusCode.InternalServerError && isXml))
        {
            throw new HttpRequestException($"Yuki answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        XDocument envelope;
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            using var reader = XmlReader.Create(body, SafeReaderSettings);
            envelope = await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken).ConfigureAwait(false);
        }

        var fault = envelope.Descendants().FirstOrDefault(e => e.Name.LocalName == "Fault");
        if (fault is not null)
        {
            var text = fault.Elements().FirstOrDefault(e => e.Name.LocalName is "faultstring" or "Reason")?.Value.Trim();
            throw new YukiFaultException(operation, string.IsNullOrEmpty(text) ? "Yuki reported an error without a description." : text);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Yuki answered HTTP {(int)response.StatusCode} without a SOAP fault", null, response.StatusCode);
        }

        return envelope.Descendants(Yuki + (operation + "Result")).FirstOrDefault()
            ?? envelope.Descendants().FirstOrDefault(e => e.Name.LocalName == operation + "Result");
    }

    /// <summary>
    /// The XML document inside a result element. Yuki answers with XML elements, or with the same XML as escaped
    /// text inside the result element: both are read.
    /// </summary>
    public static XElement? ResultDocument(XElement? result)
    {
        if (result is null)
        {
            return null;
        }

        if (result.Elements().FirstOrDefault() is { } element)
        {
            return element;
        }

        var text = result.Value.Trim();
        if (!text.StartsWith('<'))
        {
            return null;
        }

        using var reader = XmlReader.Create(new StringReader(text), SafeReaderSettings);
        return XElement.Load(reader);
    }

    /// <summary>No DTDs, no external entities: the answer comes from the network.</summary>
    private static XmlReaderSettings SafeReaderSettings { get; } = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = false,
    };

    /// <summary>The envelope, written straight to the request stream (documents are streamed in as base64).</summary>
    private sealed class SoapContent : HttpContent
    {
        private const int Base64Chunk = 3 * 16 * 1024;
        private readonly string _operation;
        private readonly IReadOnlyList<SoapParameter> _parameters;

        public SoapContent(string operation, IReadOnlyList<SoapParameter> parameters)
        {
            _operation = operation;
            _parameters = parameters;
            Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), CloseOutput = false };
            await using var writer = XmlWriter.Create(stream, settings);
            await writer.WriteStartDocumentAsync().ConfigureAwait(false);
            await writer.WriteStartElementAsync("soap", "Envelope", SoapNamespace).ConfigureAwait(false);
            await writer.WriteStartElementAsync("soap", "Body", SoapNamespace).ConfigureAwait(false);
            await writer.WriteStartElementAsync(null, _operation, Namespace).ConfigureAwait(false);
            foreach (var parameter in _parameters)
            {
                await WriteParameterAsync(writer, parameter, cancellationToken).ConfigureAwait(false);
            }

            await writer.WriteEndElementAsync().ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
            await writer.WriteEndDocumentAsync().ConfigureAwait(false);
            await writer.FlushAsync().ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        private static async Task WriteParameterAsync(XmlWriter writer, SoapParameter parameter, CancellationToken cancellationToken)
        {
            await writer.WriteStartElementAsync(null, parameter.Name, Namespace).ConfigureAwait(false);
            switch (parameter.Value)
            {
                case null:
                    break;
                case XElement document:
                    // An XmlNode parameter (xmlDoc): the document goes in as XML, not as escaped text.
                    await document.WriteToAsync(writer, cancellationToken).ConfigureAwait(false);
                    break;
                case Func<CancellationToken, Task<Stream>> open:
                    await using (var source = await open(cancellationToken).ConfigureAwait(false))
                    {
                        var buffer = new byte[Base64Chunk];
                        int read;
                        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            await writer.WriteBase64Async(buffer, 0, read).ConfigureAwait(false);
                        }
                    }

                    break;
                case bool flag:
                    await writer.WriteStringAsync(flag ? "true" : "false").ConfigureAwait(false);
                    break;
                case DateTime date:
                    await writer.WriteStringAsync(date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)).ConfigureAwait(false);
                    break;
                case IFormattable formattable:
                    await writer.WriteStringAsync(formattable.ToString(null, CultureInfo.InvariantCulture)).ConfigureAwait(false);
                    break;
                default:
                    await writer.WriteStringAsync(parameter.Value.ToString()).ConfigureAwait(false);
                    break;
            }

            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }
    }
}

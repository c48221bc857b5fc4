using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.Yuki;

/// <summary>An invoice the fake's Sales service booked.</summary>
public sealed record YukiFakeInvoice(Guid Id, Guid AdministrationId, string Reference, bool Processed, XElement Xml)
{
    public IReadOnlyList<XElement> Lines => [.. Xml.Descendants().Where(e => e.Name.LocalName == "InvoiceLine")];

    public string? Value(string name) => Xml.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}

/// <summary>A file the fake's Archive service received (with its attachment for UploadDocumentWithAttachment).</summary>
public sealed record YukiFakeDocument(Guid Id, Guid AdministrationId, int Folder, string FileName, byte[] Content, string? AttachmentName, byte[]? Attachment, DateTime Created);

/// <summary>
/// Yuki's SOAP 1.1 web services as providers.md §1 and the Archive WSDL describe them: <c>/ws/{Service}.asmx</c>,
/// SOAPAction <c>http://www.theyukicompany.com/{Operation}</c>, case-sensitive parameter names that differ per
/// service, errors as SOAP faults (HTTP 500 with a faultstring), sessions from Authenticate, and a daily call
/// quota per domain. State is inspectable and failures can be switched on.
/// </summary>
public sealed class YukiFake : IProviderFake
{
    public const string Namespace = "http://www.theyukicompany.com/";
    private const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Yuki = Namespace;
    private static readonly XNamespace Soap = SoapNamespace;
    private static readonly XNamespace SalesNs = "urn:xmlns:http://www.theyukicompany.com:salesinvoices";

    private static readonly Dictionary<string, string[]> Operations = new(StringComparer.Ordinal)
    {
        ["Sales"] = ["ProcessSalesInvoices"],
        ["Accounting"] = ["CheckOutstandingItemAdmin", "OutstandingDebtorItems"],
        ["Archive"] = ["UploadDocument", "UploadDocumentWithAttachment", "SearchDocuments"],
    };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, FakeKey> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _expiredSessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _callsPerDomain = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exhaustedDomains = new(StringComparer.Ordinal);
    private readonly List<YukiFakeInvoice> _invoices = [];
    private readonly List<YukiFakeDocument> _documents = [];
    private readonly List<string> _calls = [];
    private readonly Dictionary<Guid, string> _administrationNames = [];

    private readonly Dictionary<Guid, (string? CoC, string? Vat, string? Email)> _administrationDetails = [];
    private readonly HashSet<string> _unavailableOnce = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, decimal> _settled = [];
    private readonly List<(Guid Administration, XElement Item)> _otherItems = [];

    public string PathPrefix => "yuki";

    /// <summary>Calls a domain may make per day before the quota fault (Yuki's default is 1,000).</summary>
    public int DailyQuota { get; set; } = 1000;

    /// <summary>GL account codes the administrations know; a booked line with another code is refused.</summary>
    public ISet<string> KnownGlAccounts { get; } = new HashSet<string>(StringComparer.Ordinal) { "700000", "700100", "704000" };

    /// <summary>The next booking or upload takes effect, and then the connection is dropped before the answer.</summary>
    public bool LoseNextResponseAfterBooking { get; set; }

    /// <summary>Answers results as escaped XML text inside the result element instead of XML elements.</summary>
    public bool AnswerWithEscapedText { get; set; }

    /// <summary>The faultstring the next call (any operation) answers with.</summary>
    public string? FaultNextCall { get; set; }

    /// <summary>Wording of the fake's faults: Yuki's own are not published; these follow ASMX's prefix.</summary>
    public const string InvalidSessionFault = "Server was unable to process request. ---> Invalid SessionID";
    public const string InvalidKeyFault = "Server was unable to process request. ---> Authentication failed: invalid access key";
    public const string QuotaFault = "Server was unable to process request. ---> The maximum number of webservice calls for this domain has been reached for today";

    public void AddDomainKey(string accessKey, string domainId, params (Guid Id, string Name)[] administrations)
    {
        lock (_lock)
        {
            _keys[accessKey] = new FakeKey(domainId, [.. administrations.Select(a => a.Id)]);
            foreach (var (id, name) in administrations)
            {
                _administrationNames[id] = name;
            }
        }
    }

    /// <summary>Company details the Administrations answer carries for the administration (CoCNumber, VATNumber, EmailAddress).</summary>
    public void SetAdministrationDetails(Guid administrationId, string? cocNumber, string? vatNumber, string? email)
    {
        lock (_lock)
        {
            _administrationDetails[administrationId] = (cocNumber, vatNumber, email);
        }
    }

    public void AddAdministrationKey(string accessKey, string domainId, Guid administrationId, string name) =>
        AddDomainKey(accessKey, domainId, (administrationId, name));

    /// <summary>Every session given so far becomes invalid, as after Yuki's (undocumented) session lifetime.</summary>
    public void ExpireSessions()
    {
        lock (_lock)
        {
            foreach (var (session, key) in _sessions)
            {
                _expiredSessions[session] = key;
            }

            _sessions.Clear();
        }
    }

    /// <summary>The domain's quota is used up for today, whatever its count.</summary>
    public void ExhaustQuota(string domainId)
    {
        lock (_lock)
        {
            _exhaustedDomains.Add(domainId);
        }
    }

    /// <summary>The next call of this operation gets a plain HTTP 503 (an overloaded server, not a SOAP fault) and does nothing.</summary>
    public void AnswerUnavailableOnce(string operation)
    {
        lock (_lock)
        {
            _unavailableOnce.Add(operation);
        }
    }

    /// <summary>The customer paid the booked sales invoice with this reference in full: Yuki no longer lists it as outstanding.</summary>
    public void MarkPaid(string reference) => Settle(reference, null);

    /// <summary>The customer paid <paramref name="amount"/> of it: Yuki lists it with a lower open amount.</summary>
    public void MarkPartlyPaid(string reference, decimal amount) => Settle(reference, amount);

    /// <summary>
    /// The bookkeeper settled the invoice with a credit note (matched the two in Yuki): neither is outstanding any more. The
    /// credit note is the one Koppel booked with <paramref name="creditNoteReference"/>, when given.
    /// </summary>
    public void MarkCreditNoted(string reference, string? creditNoteReference = null)
    {
        Settle(reference, null);
        if (creditNoteReference is not null)
        {
            Settle(creditNoteReference, null);
        }
    }

    /// <summary>An open item of the administration that Koppel did not deliver (an invoice made in Yuki itself).</summary>
    public void AddOtherOutstandingItem(Guid administrationId, string reference, decimal openAmount)
    {
        lock (_lock)
        {
            _otherItems.Add((administrationId, new XElement(
                "Item",
                new XAttribute("ID", Guid.NewGuid()),
                new XElement("Date", "2026-10-01"),
                new XElement("Description", "Invoice " + reference),
                new XElement("Contact", "Other customer"),
                new XElement("OpenAmount", openAmount.ToString(CultureInfo.InvariantCulture)),
                new XElement("OriginalAmount", openAmount.ToString(CultureInfo.InvariantCulture)),
                new XElement("Type", "Sales invoice"),
                new XElement("Reference", reference))));
        }
    }

    private void Settle(string reference, decimal? amount)
    {
        lock (_lock)
        {
            var invoice = _invoices.LastOrDefault(i => i.Reference == reference)
                ?? throw new InvalidOperationException($"The fake has no booked sales invoice '{reference}'.");
            var total = Total(invoice);
            _settled[invoice.Id] = amount is { } paid ? Math.Min(total, _settled.GetValueOrDefault(invoice.Id) + paid) : total;
        }
    }

    /// <summary>A new day: the quota counters start again.</summary>
    public void StartNewDay()
    {
        lock (_lock)
        {
            _callsPerDomain.Clear();
            _exhaustedDomains.Clear();
        }
    }

    public int CallsOf(string domainId)
    {
        lock (_lock)
        {
            return _callsPerDomain.GetValueOrDefault(domainId);
        }
    }

    /// <summary>Every operation called, in order, as "Service.Operation".</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<YukiFakeInvoice> SalesInvoices
    {
        get
        {
            lock (_lock)
            {
                return [.. _invoices];
            }
        }
    }

    public IReadOnlyList<YukiFakeDocument> Documents
    {
        get
        {
            lock (_lock)
            {
                return [.. _documents];
            }
        }
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/ws/{service}.asmx", HandleAsync);
    }

    private async Task HandleAsync(HttpContext http, string service)
    {
        XDocument request;
        try
        {
            using var reader = XmlReader.Create(http.Request.Body, new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            request = await XDocument.LoadAsync(reader, LoadOptions.None, http.RequestAborted);
        }
        catch (XmlException e)
        {
            await WriteFaultAsync(http, "soap:Client", $"Server was unable to read request. ---> {e.Message}");
            return;
        }

        var call = request.Root?.Element(Soap + "Body")?.Elements().FirstOrDefault();
        if (request.Root?.Name != Soap + "Envelope" || call is null)
        {
            await WriteFaultAsync(http, "soap:Client", "Server was unable to read request: not a SOAP 1.1 envelope.");
            return;
        }

        var operation = call.Name.LocalName;
        var soapAction = http.Request.Headers["SOAPAction"].ToString().Trim('"');
        if (call.Name.Namespace != Yuki || soapAction != Namespace + operation || !Offers(service, operation))
        {
            await WriteFaultAsync(http, "soap:Client", $"Server did not recognize the value of HTTP Header SOAPAction: {soapAction}.");
            return;
        }

        Answer answer;
        lock (_lock)
        {
            _calls.Add($"{service}.{operation}");
            answer = _unavailableOnce.Remove(operation) ? Answer.Unavailable : Dispatch(service, operation, call);
        }

        if (answer == Answer.Unavailable)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync("Service Unavailable", http.RequestAborted);
            return;
        }

        if (answer.Fault is { } fault)
        {
            await WriteFaultAsync(http, "soap:Server", fault);
            return;
        }

        if (answer.DropResponse)
        {
            http.Abort();
            return;
        }

        object? content = answer.Result switch
        {
            XElement element when AnswerWithEscapedText => element.ToString(SaveOptions.DisableFormatting),
            var other => other,
        };
        var envelope = new XDocument(new XElement(
            Soap + "Envelope",
            new XAttribute(XNamespace.Xmlns + "soap", SoapNamespace),
            new XElement(Soap + "Body", new XElement(Yuki + (operation + "Response"), new XElement(Yuki + (operation + "Result"), content)))));
        http.Response.ContentType = "text/xml; charset=utf-8";
        await http.Response.WriteAsync(envelope.Declaration + envelope.ToString(SaveOptions.DisableFormatting), http.RequestAborted);
    }

    private static bool Offers(string service, string operation) =>
        operation is "Authenticate" or "Administrations" or "GetCurrentDomain"
        || (Operations.TryGetValue(service, out var operations) && operations.Contains(operation));

    /// <summary>Runs one operation under the lock. Parameter names are matched exactly, as ASMX does.</summary>
    private Answer Dispatch(string service, string operation, XElement call)
    {
        string? Param(string name) => call.Elements(Yuki + name).FirstOrDefault()?.Value;

        if (FaultNextCall is { } injected)
        {
            FaultNextCall = null;
            return Answer.Faulted(injected);
        }

        if (operation == "Authenticate")
        {
            var accessKey = Param("accessKey");
            if (accessKey is null || !_keys.TryGetValue(accessKey, out var key))
            {
                return Answer.Faulted(InvalidKeyFault);
            }

            if (!Count(key.DomainId))
            {
                return Answer.Faulted(QuotaFault);
            }

            var session = Guid.NewGuid().ToString();
            _sessions[session] = accessKey;
            return Answer.Of(session);
        }

        // Sales and Purchase spell it sessionId/administrationId in their Process* operations; every other one sessionID/administrationID.
        var (sessionName, administrationName) = service is "Sales" or "Purchase" && operation.StartsWith("Process", StringComparison.Ordinal)
            ? ("sessionId", "administrationId")
            : ("sessionID", "administrationID");
        if (Param(sessionName) is not { } sessionId)
        {
            return Answer.Faulted($"Server was unable to process request. ---> Missing parameter '{sessionName}'");
        }

        if (!_sessions.TryGetValue(sessionId, out var accessKeyOfSession))
        {
            if (_expiredSessions.TryGetValue(sessionId, out var expiredKey))
            {
                Count(_keys[expiredKey].DomainId);
            }

            return Answer.Faulted(InvalidSessionFault);
        }

        var caller = _keys[accessKeyOfSession];
        if (!Count(caller.DomainId))
        {
            return Answer.Faulted(QuotaFault);
        }

        Guid? administration = null;
        if (operation is not ("Administrations" or "GetCurrentDomain" or "SearchDocuments"))
        {
            if (!Guid.TryParse(Param(administrationName), out var parsed))
            {
                return Answer.Faulted($"Server was unable to process request. ---> Missing or invalid parameter '{administrationName}'");
            }

            if (!caller.Administrations.Contains(parsed))
            {
                return Answer.Faulted("Server was unable to process request. ---> No access to this administration");
            }

            administration = parsed;
        }

        return operation switch
        {
            "Administrations" => Answer.Of(new XElement(
                "Administrations",
                caller.Administrations.Select(id => new XElement(
                    "Administration",
                    new XAttribute("ID", id),
                    new XElement("Name", _administrationNames[id]),
                    new XElement("DomainID", caller.DomainId),
                    _administrationDetails.TryGetValue(id, out var details)
                        ? new object?[]
                        {
                            details.CoC is null ? null : new XElement("CoCNumber", details.CoC),
                            details.Vat is null ? null : new XElement("VATNumber", details.Vat),
                            details.Email is null ? null : new XElement("EmailAddress", details.Email),
                        }
                        : null)))),
            "GetCurrentDomain" => Answer.Of(new XElement("Domain", new XAttribute("ID", caller.DomainId))),
            "ProcessSalesInvoices" => ProcessSalesInvoices(administration!.Value, call.Element(Yuki + "xmlDoc")),
            "CheckOutstandingItemAdmin" => Answer.Of(OutstandingItems(administration!.Value, Param("Reference") ?? string.Empty)),
            "OutstandingDebtorItems" => Param("includeBankTransactions") is not ("true" or "false") || Param("sortOrder") is null
                ? Answer.Faulted("Server was unable to process request. ---> Missing parameter 'includeBankTransactions' or 'sortOrder'")
                : Answer.Of(OutstandingItems(administration!.Value, null)),
            "UploadDocument" => Upload(administration!.Value, Param("folder"), Param("fileName"), Param("data"), null, null),
            "UploadDocumentWithAttachment" => Upload(administration!.Value, Param("folder"), Param("fileName1"), Param("data1"), Param("fileName2"), Param("data2")),
            "SearchDocuments" => Answer.Of(SearchDocuments(caller, Param("searchText") ?? string.Empty, Param("folderID"))),
            _ => Answer.Faulted($"Server was unable to process request. ---> Unknown operation {operation}"),
        };
    }

    /// <summary>Counts a call of the domain; false when its quota is used up.</summary>
    private bool Count(string domainId)
    {
        var calls = _callsPerDomain[domainId] = _callsPerDomain.GetValueOrDefault(domainId) + 1;
        return calls <= DailyQuota && !_exhaustedDomains.Contains(domainId);
    }

    private Answer ProcessSalesInvoices(Guid administration, XElement? xmlDoc)
    {
        // The document may come as XML inside xmlDoc, or as escaped text.
        var document = xmlDoc?.Elements().FirstOrDefault()
            ?? (xmlDoc?.Value.Trim() is { Length: > 0 } text && text.StartsWith('<') ? XElement.Parse(text) : null);
        if (document is null || document.Name != SalesNs + "SalesInvoices")
        {
            return Answer.Faulted("Server was unable to process request. ---> The xml document is not a valid SalesInvoices document");
        }

        var outcomes = new List<XElement>();
        foreach (var invoice in document.Elements(SalesNs + "SalesInvoice"))
        {
            var reference = invoice.Element(SalesNs + "Reference")?.Value ?? string.Empty;
            var process = invoice.Element(SalesNs + "Process")?.Value == "true";
            var problem = Check(invoice);
            if (problem is null)
            {
                _invoices.Add(new YukiFakeInvoice(Guid.NewGuid(), administration, reference, process, new XElement(invoice)));
            }

            outcomes.Add(new XElement(
                "Invoice",
                new XElement("Succeeded", problem is null ? "true" : "false"),
                new XElement("Processed", problem is null && process ? "true" : "false"),
                new XElement("EmailSent", "false"),
                new XElement("Reference", reference),
                new XElement("Subject", invoice.Element(SalesNs + "Subject")?.Value),
                new XElement("Message", problem ?? "Invoice imported")));
        }

        var succeeded = outcomes.Count(o => o.Element("Succeeded")!.Value == "true");
        var response = new XElement(
            "SalesInvoicesImportResponse",
            new XElement("TimeStamp", DateTime.UtcNow.ToString("s", CultureInfo.InvariantCulture)),
            new XElement("AdministrationId", administration),
            new XElement("TotalSucceeded", succeeded),
            new XElement("TotalFailed", outcomes.Count - succeeded),
            new XElement("TotalSkipped", 0),
            outcomes);
        return Answer.Of(response, dropResponse: TakeLoseSwitch());
    }

    private string? Check(XElement invoice)
    {
        if (string.IsNullOrWhiteSpace(invoice.Element(SalesNs + "Reference")?.Value))
        {
            return "Reference is required";
        }

        if (string.IsNullOrWhiteSpace(invoice.Element(SalesNs + "Contact")?.Element(SalesNs + "FullName")?.Value))
        {
            return "Contact FullName is required";
        }

        if (invoice.Element(SalesNs + "EmailToCustomer") is null)
        {
            return "EmailToCustomer is required";
        }

        var lines = invoice.Element(SalesNs + "InvoiceLines")?.Elements(SalesNs + "InvoiceLine").ToList() ?? [];
        if (lines.Count == 0)
        {
            return "The invoice has no lines";
        }

        foreach (var line in lines)
        {
            var account = line.Element(SalesNs + "Product")?.Element(SalesNs + "GLAccountCode")?.Value ?? string.Empty;
            if (!KnownGlAccounts.Contains(account))
            {
                return $"GL account '{account}' does not exist in this administration";
            }

            if (!decimal.TryParse(line.Element(SalesNs + "ProductQuantity")?.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _)
                || !decimal.TryParse(line.Element(SalesNs + "Product")?.Element(SalesNs + "SalesPrice")?.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            {
                return "ProductQuantity and SalesPrice must be numbers";
            }
        }

        return null;
    }

    /// <summary>
    /// Processed sales invoices of the administration that are not settled in full (with this reference, or all of them
    /// when <paramref name="reference"/> is null), as open items, followed by the administration's other open items.
    /// </summary>
    private XElement OutstandingItems(Guid administration, string? reference) => new(
        "OutstandingItems",
        _invoices
            .Where(i => i.AdministrationId == administration && i.Processed && (reference is null || i.Reference == reference))
            .Where(i => Total(i) - _settled.GetValueOrDefault(i.Id) != 0)
            .Select(i => new XElement(
                "Item",
                new XAttribute("ID", i.Id),
                new XElement("Date", i.Value("Date")),
                new XElement("Description", i.Value("Subject")),
                new XElement("Contact", i.Value("FullName")),
                new XElement("OpenAmount", (Total(i) - _settled.GetValueOrDefault(i.Id)).ToString(CultureInfo.InvariantCulture)),
                new XElement("OriginalAmount", Total(i).ToString(CultureInfo.InvariantCulture)),
                new XElement("Type", "Sales invoice"),
                new XElement("Reference", i.Reference)))
            .Concat(_otherItems.Where(o => o.Administration == administration && (reference is null || o.Item.Element("Reference")?.Value == reference)).Select(o => new XElement(o.Item))));

    /// <summary>The invoice total as Yuki would compute it: quantity × price plus VAT, per line.</summary>
    public static decimal Total(YukiFakeInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.Lines.Sum(line =>
        {
            decimal Number(string name) => decimal.Parse(line.Descendants().First(e => e.Name.LocalName == name).Value, CultureInfo.InvariantCulture);
            var net = Number("ProductQuantity") * Number("SalesPrice");
            return net + Math.Round(net * Number("VATPercentage") / 100m, 2, MidpointRounding.AwayFromZero);
        });
    }

    private Answer Upload(Guid administration, string? folderText, string? fileName, string? data, string? attachmentName, string? attachmentData)
    {
        if (!int.TryParse(folderText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var folder) || !(folder is >= 0 and <= 8 or >= 100 and <= 102))
        {
            return Answer.Faulted($"Server was unable to process request. ---> Invalid folder '{folderText}'");
        }

        if (string.IsNullOrWhiteSpace(fileName) || string.IsNullOrEmpty(data))
        {
            return Answer.Of("No file supplied");
        }

        var document = new YukiFakeDocument(
            Guid.NewGuid(),
            administration,
            folder,
            fileName,
            Convert.FromBase64String(data),
            attachmentName,
            attachmentData is null ? null : Convert.FromBase64String(attachmentData),
            DateTime.UtcNow);
        _documents.Add(document);
        return Answer.Of(document.Id.ToString(), dropResponse: TakeLoseSwitch());
    }

    private XElement SearchDocuments(FakeKey caller, string searchText, string? folderText)
    {
        var folder = int.TryParse(folderText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : 0;
        return new XElement(
            "Documents",
            _documents
                .Where(d => caller.Administrations.Contains(d.AdministrationId) && (folder <= 0 || d.Folder == folder))
                .Where(d => searchText.Length > 0 && d.FileName.Contains(searchText, StringComparison.OrdinalIgnoreCase))
                .Select(d => new XElement(
                    "Document",
                    new XAttribute("ID", d.Id),
                    new XElement("Subject", d.FileName),
                    new XElement("FileName", d.FileName),
                    new XElement("Folder", d.Folder),
                    new XElement("Created", d.Created.ToString("s", CultureInfo.InvariantCulture)))));
    }

    private bool TakeLoseSwitch()
    {
        var lose = LoseNextResponseAfterBooking;
        LoseNextResponseAfterBooking = false;
        return lose;
    }

    private static async Task WriteFaultAsync(HttpContext http, string code, string faultString)
    {
        var envelope = new XElement(
            Soap + "Envelope",
            new XAttribute(XNamespace.Xmlns + "soap", SoapNamespace),
            new XElement(Soap + "Body", new XElement(
                Soap + "Fault",
                new XElement("faultcode", code),
                new XElement("faultstring", faultString),
                new XElement("detail"))));
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        http.Response.ContentType = "text/xml; charset=utf-8";
        await http.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + envelope.ToString(SaveOptions.DisableFormatting), http.RequestAborted);
    }

    private sealed record FakeKey(string DomainId, IReadOnlyList<Guid> Administrations);

    private sealed record Answer(object? Result, string? Fault, bool DropResponse)
    {
        public static Answer Of(object? result, bool dropResponse = false) => new(result, null, dropResponse);

        public static Answer Unavailable { get; } = new(null, null, false);

        public static Answer Faulted(string fault) => new(null, fault, false);
    }
}

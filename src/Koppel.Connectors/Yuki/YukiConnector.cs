using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Formats.Sniffing;
using Koppel.Formats.Ubl;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Koppel.Connectors.Yuki;

/// <summary>
/// Delivers to Yuki (Visma) through its SOAP web services. Sales invoices are booked with
/// <c>Sales.ProcessSalesInvoices</c> (or handed over); every other document is uploaded to the administration's
/// Archive folder for Yuki's own recognition. Before anything is sent again, Yuki is asked whether it has it already.
/// </summary>
public sealed partial class YukiConnector : IConnector, IPaymentReader, IQuotaGauge, IAdministrationDirectory
{
    public const string ProviderKey = "yuki";

    /// <summary>Yuki's Archive folders (observed values, see providers.md §1c).</summary>
    internal const int PurchaseFolder = 1;
    internal const int SalesFolder = 2;
    internal const int BankFolder = 3;
    internal const int ToBeHandledFolder = 7;

    private readonly YukiGateway _gateway;
    private readonly TimeProvider _clock;

    public YukiConnector(IHttpClientFactory httpFactory, IOptions<YukiOptions> options, IDailyQuota quota, IMemoryCache cache, TimeProvider clock)
    {
        _gateway = new YukiGateway(httpFactory, options, quota, cache, clock);
        _clock = clock;
    }

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Yuki",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection | ConnectorCapabilities.ListAdministrations | ConnectorCapabilities.ReadPayments,
        Delivers = new Dictionary<DocumentKind, DeliveryMode>
        {
            [DocumentKind.SalesInvoice] = DeliveryMode.BookEntry,
            [DocumentKind.PurchaseInvoice] = DeliveryMode.HandOver,
            [DocumentKind.BankStatement] = DeliveryMode.HandOver,
            [DocumentKind.OtherDocument] = DeliveryMode.HandOver,
            [DocumentKind.ExpenseClaim] = DeliveryMode.HandOver,
        },
        Settings = YukiSettings.Fields,
        Notes = "Sales invoices are booked with Yuki's Sales service (a credit note as a sales invoice with negative quantities) or, "
            + "in 'handover' mode, uploaded to the sales folder. Purchase invoices are always handed over (UBL with its PDF, purchase folder): "
            + "booking them needs Yuki partner credentials (AuthenticateClient) that Koppel does not have. CODA goes to the bank folder, "
            + "other documents to 'to be handled', expense claims to the chosen folder. Every call counts against the domain's daily quota "
            + "(1,000 by default), counted across all Koppel instances; when it is used up deliveries wait until 00:05 the next day. "
            + "Assumed, not documented by Yuki: the session lifetime (sessions are reused for 20 hours and renewed on an invalid-session error), "
            + "the wording of quota and session errors, the folder numbers, the shape of SearchDocuments and CheckOutstandingItemAdmin answers. "
            + "A sales invoice booked with 'process' false is not found by the duplicate check (Yuki lists only processed, open items). "
            + "A booked sales invoice carries no PDF (Yuki refuses one on an unprocessed invoice; hand-over sends the UBL with its PDF). "
            + "Payments: one Accounting.OutstandingDebtorItems call per administration and poll (07:00 and 14:00), never one per invoice. "
            + "Assumed, not documented: the answer's shape (Item ID, Reference, OpenAmount, OriginalAmount, Type). Yuki does not say when an item "
            + "was paid, so a payment is dated the day the poll sees it (a bank statement in Koppel gives the real date first); an invoice "
            + "counts as settled only once Yuki listed it as open and then no longer does.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        YukiSettings? settings = null;
        try
        {
            settings = YukiSettings.From(context.Settings, bookingSalesInvoice: context.Document.Kind == DocumentKind.SalesInvoice);
            var kind = context.Document.Kind;
            if (kind == DocumentKind.BankStatement && !settings.Coda)
            {
                return DeliveryResult.Permanent($"CODA statements are switched off for this Yuki connection ('{YukiSettings.CodaKey}' is false).");
            }

            if (kind == DocumentKind.OtherDocument && !settings.OtherDocuments)
            {
                return DeliveryResult.Permanent($"Other documents are switched off for this Yuki connection ('{YukiSettings.OtherDocumentsKey}' is false).");
            }

            // The list comes with the cached session, so this check costs no call.
            var session = await _gateway.SessionAsync(settings, fresh: false, cancellationToken);
            var administration = session.Administrations.FirstOrDefault(a => a.Id == settings.AdministrationId);
            if (administration is null)
            {
                return DeliveryResult.ConnectionBroken(
                    $"The Yuki administration {settings.AdministrationId} is not (or no longer) reachable with this access key; run Test connection and choose one of the administrations it lists.");
            }

            var isUbl = context.Document.Format is DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote;
            if (kind == DocumentKind.SalesInvoice && settings.SalesInvoiceMode == YukiMode.Book && isUbl)
            {
                return await BookSalesInvoiceAsync(context, settings, cancellationToken);
            }

            return await HandOverAsync(context, settings, FolderFor(kind, settings), cancellationToken);
        }
        catch (Exception e) when (Describe(e, settings, cancellationToken) is { } result)
        {
            return result;
        }
    }

    /// <summary>
    /// On save: the key is there, country, modes, flags, quota and folder are valid values, the administration is a Yuki
    /// id, and the revenue GL account is set when the connection books sales invoices.
    /// </summary>
    public void ValidateSettings(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        YukiSettings.From(settings, bookingSalesInvoice: settings.DocumentKinds.Count == 0 || settings.DocumentKinds.Contains(DocumentKind.SalesInvoice));
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        YukiSettings? parsed = null;
        try
        {
            parsed = YukiSettings.From(settings, forConnectionTest: true);
            var session = await _gateway.SessionAsync(parsed, fresh: true, cancellationToken);
            var choices = session.Administrations
                .Select(a => new ConnectionChoice(YukiSettings.AdministrationIdKey, a.Id.ToString(), a.Name))
                .ToList();
            const string Assumptions = " (Yuki publishes neither its session lifetime nor its error texts: Koppel reuses a session for 20 hours and recognises quota and session errors by their wording.)";
            if (choices.Count == 0)
            {
                return new ConnectionTestResult(false, $"Yuki ({parsed.Country}) accepted the access key, but it reaches no administration.{Assumptions}");
            }

            var kindOfKey = session.IsDomainKey
                ? $"a domain key: it reaches {choices.Count} administrations of the domain"
                : $"an administration key for '{session.Administrations[0].Name}'";
            var chosen = session.Administrations.FirstOrDefault(a => a.Id == parsed.AdministrationId);
            var (success, next) = (parsed.AdministrationId, chosen) switch
            {
                (null, _) => (false, $"Choose the administration for '{YukiSettings.AdministrationIdKey}'."),
                (_, null) => (false, $"The chosen administration {parsed.AdministrationId} is not among them; choose one for '{YukiSettings.AdministrationIdKey}'."),
                (_, { } found) => (true, $"Documents go to administration '{found.Name}'."),
            };
            if (parsed.MissingForDelivery() is { } missing)
            {
                (success, next) = (false, $"{next} {missing}");
            }

            return new ConnectionTestResult(success, parsed.Redactor.Redact($"Connected to Yuki ({parsed.Country}) with {kindOfKey}. {next}{Assumptions}"))
            {
                Choices = choices,
            };
        }
        catch (YukiQuotaReachedException)
        {
            return new ConnectionTestResult(false, "The Yuki quota of this domain is used up for today; test again after 00:05 (Belgian time).");
        }
        catch (Exception e) when (Describe(e, parsed, cancellationToken) is { } result)
        {
            return new ConnectionTestResult(false, result.Reason ?? "The Yuki connection test failed.")
            {
                CredentialsRejected = e is YukiFaultException fault && YukiFaults.Classify(fault.Operation, fault.FaultString) == YukiFaultKind.InvalidKey,
            };
        }
    }

    /// <summary>
    /// The administration's open debtor items in one call (<c>Accounting.OutstandingDebtorItems</c>), counted against the
    /// domain's daily quota like every other call. Yuki lists only what is still open: an invoice it listed before and no
    /// longer lists is settled; a partly paid one has an open amount below its original amount.
    /// </summary>
    public async Task<ReceivablesReadResult> ReadReceivablesAsync(PaymentReadContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        YukiSettings? settings = null;
        try
        {
            settings = YukiSettings.From(context.Settings, bookingSalesInvoice: false);
            if (settings.AdministrationId is not { } administrationId)
            {
                return ReceivablesReadResult.Failed(DeliveryResult.Permanent($"Choose the Yuki administration first ('{YukiSettings.AdministrationIdKey}'): run Test connection."));
            }

            var session = await _gateway.SessionAsync(settings, fresh: false, cancellationToken);
            if (session.Administrations.All(a => a.Id != administrationId))
            {
                return ReceivablesReadResult.Failed(DeliveryResult.ConnectionBroken(
                    $"The Yuki administration {administrationId} is not (or no longer) reachable with this access key; run Test connection and choose one of the administrations it lists."));
            }

            var result = await _gateway.CallAsync(
                settings,
                "Accounting",
                "OutstandingDebtorItems",
                s => [new("sessionID", s), new("administrationID", administrationId.ToString()), new("includeBankTransactions", false), new("sortOrder", "DateAsc")],
                idempotent: true,
                cancellationToken);
            return new ReceivablesReadResult { OpenItems = ReadOutstandingItems(YukiSoapClient.ResultDocument(result)), Complete = true, Calls = 1 };
        }
        catch (YukiQuotaReachedException e)
        {
            return ReceivablesReadResult.Failed(DeliveryResult.Deferred($"the Yuki quota of this domain is used up for today (it resumes at {e.ResumeAt:HH:mm} UTC).", e.ResumeAt));
        }
        catch (Exception e) when (Describe(e, settings, cancellationToken) is { } result)
        {
            return ReceivablesReadResult.Failed(result);
        }
    }

    /// <summary>
    /// The administrations the key reaches (a domain key: every administration of its domain), from the session's
    /// <c>Administrations</c> answer, so listing costs no call when a session is open. Yuki's answer is documented only by
    /// third parties: the enterprise (CoC) and VAT numbers and the e-mail address are taken when present.
    /// </summary>
    public async Task<IReadOnlyList<AdministrationInfo>> ListAdministrationsAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        var yuki = YukiSettings.From(settings, bookingSalesInvoice: false);
        YukiSession session;
        try
        {
            session = await _gateway.SessionAsync(yuki, fresh: false, cancellationToken);
        }
        catch (YukiQuotaReachedException)
        {
            throw new ConnectorConfigurationException("The Yuki quota of this domain is used up for today; list the administrations again after 00:05 (Belgian time).");
        }
        catch (YukiFaultException e) when (YukiFaults.Classify(e.Operation, e.FaultString) == YukiFaultKind.InvalidKey)
        {
            throw new ConnectorConfigurationException("Yuki refused the access key of this connection.");
        }

        return [.. session.Administrations.Select(a => new AdministrationInfo(
            a.Id.ToString(),
            a.Name,
            new Dictionary<string, string> { [YukiSettings.AdministrationIdKey] = a.Id.ToString() })
        {
            EnterpriseNumber = a.CoCNumber,
            VatNumber = a.VatNumber,
            ContactEmail = a.Email,
        })];
    }

    /// <summary>
    /// The calls Koppel counted against the domain's daily quota on <paramref name="day"/>: every call Koppel makes goes
    /// through the counter, so this is the domain's use by Koppel (other software on the same domain is not seen).
    /// </summary>
    public async Task<QuotaUsage> ReadQuotaUsageAsync(ConnectorSettings settings, DateOnly day, CancellationToken cancellationToken)
    {
        var yuki = YukiSettings.From(settings, bookingSalesInvoice: false);
        try
        {
            var (scope, used) = await _gateway.UsageAsync(yuki, day, cancellationToken);
            return new QuotaUsage(scope, "The Yuki domain of this connection", used, yuki.DailyQuota);
        }
        catch (YukiQuotaReachedException)
        {
            // Not even a session could be opened: the quota is gone for today.
            return new QuotaUsage("yuki-key-unknown-domain", "The Yuki domain of this connection", yuki.DailyQuota, yuki.DailyQuota);
        }
    }

    public DateOnly QuotaDay(DateTimeOffset now) => YukiGateway.QuotaDay(now);

    /// <summary><c>&lt;OutstandingItems&gt;&lt;Item ID="…"&gt;&lt;Reference/&gt;&lt;OpenAmount/&gt;&lt;OriginalAmount/&gt;…</c>, amounts with a decimal point.</summary>
    internal static IReadOnlyList<ProviderReceivable> ReadOutstandingItems(XElement? items) =>
        items?.DescendantsAndSelf()
            .Where(e => e.Name.LocalName == "Item")
            .Where(e => Child(e, "Type") is not { } type || !type.Contains("purchase", StringComparison.OrdinalIgnoreCase))
            .Select(e => new ProviderReceivable
            {
                References = [.. new[] { e.Attribute("ID")?.Value ?? Child(e, "ID") }.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim())],
                InvoiceNumber = Child(e, "Reference"),
                Description = Child(e, "Description"),
                OpenAmount = Amount(Child(e, "OpenAmount")) ?? 0m,
                OriginalAmount = Amount(Child(e, "OriginalAmount")),
            })
            .ToList() ?? [];

    private static decimal? Amount(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int FolderFor(DocumentKind kind, YukiSettings settings) => kind switch
    {
        DocumentKind.SalesInvoice => SalesFolder,
        DocumentKind.PurchaseInvoice => PurchaseFolder, // also in 'book' mode: booking purchases needs partner credentials
        DocumentKind.BankStatement => BankFolder,
        DocumentKind.ExpenseClaim => settings.ExpenseClaimFolderId,
        _ => ToBeHandledFolder,
    };

    private async Task<DeliveryResult> BookSalesInvoiceAsync(DeliveryContext context, YukiSettings settings, CancellationToken cancellationToken)
    {
        UblDocument ubl;
        await using (var content = await context.OpenDocumentAsync(cancellationToken))
        {
            ubl = await UblReader.ReadAsync(content, cancellationToken: cancellationToken);
        }

        var number = (ubl.Number ?? context.Document.Number)?.Trim();
        if (string.IsNullOrEmpty(number))
        {
            return DeliveryResult.Permanent("The sales invoice has no invoice number, and Yuki needs one as its reference.");
        }

        var what = YukiSalesInvoiceXml.IsCreditNote(ubl) ? "credit note" : "sales invoice";
        var administrationId = settings.AdministrationId!.Value.ToString();

        // Never twice: a retry after a lost answer finds the invoice Yuki booked.
        if (await FindBookedInvoiceAsync(settings, administrationId, number, cancellationToken) is { } existing)
        {
            return DeliveryResult.Delivered(existing);
        }

        var invoices = YukiSalesInvoiceXml.Build(ubl, number, settings);
        var result = await _gateway.CallAsync(
            settings,
            "Sales",
            "ProcessSalesInvoices",
            session => [new("sessionId", session), new("administrationId", administrationId), new("xmlDoc", invoices)],
            idempotent: false,
            cancellationToken);

        var (outcomes, succeeded, failed) = YukiSalesInvoiceXml.ReadResponse(YukiSoapClient.ResultDocument(result));
        var outcome = outcomes.FirstOrDefault(o => string.Equals(o.Reference, number, StringComparison.Ordinal)) ?? (outcomes.Count > 0 ? outcomes[0] : null);
        if (outcome is { Succeeded: true } || (outcome is null && succeeded > 0 && failed is null or 0))
        {
            // The import answer carries no id; the invoice number is Yuki's reference for it.
            return DeliveryResult.Delivered($"{what} {number}");
        }

        if (outcome is not null || failed > 0)
        {
            var message = string.IsNullOrWhiteSpace(outcome?.Message) ? "no reason given" : outcome.Message;
            return DeliveryResult.Permanent(settings.Redactor.Redact($"Yuki refused {what} {number}: {message}"));
        }

        return DeliveryResult.Transient($"Yuki's answer for {what} {number} said neither booked nor refused; it will be looked up before it is sent again.");
    }

    /// <summary>The id of an open sales item with this reference, or null.</summary>
    private async Task<string?> FindBookedInvoiceAsync(YukiSettings settings, string administrationId, string number, CancellationToken cancellationToken)
    {
        var result = await _gateway.CallAsync(
            settings,
            "Accounting",
            "CheckOutstandingItemAdmin",
            session => [new("sessionID", session), new("administrationID", administrationId), new("Reference", number)],
            idempotent: true,
            cancellationToken);
        var items = YukiSoapClient.ResultDocument(result);

        // <OutstandingItems><Item ID="…"><Reference/><Type>Sales invoice</Type>… — an invoice number can also be a
        // supplier's, so items of another type do not count.
        return items?.DescendantsAndSelf()
            .Where(e => e.Name.LocalName == "Item")
            .Where(e => string.Equals(Child(e, "Reference"), number, StringComparison.Ordinal))
            .Where(e => Child(e, "Type") is not { } type || type.Contains("sales", StringComparison.OrdinalIgnoreCase) || type.Contains("verkoop", StringComparison.OrdinalIgnoreCase))
            .Select(e => e.Attribute("ID")?.Value ?? Child(e, "ID"))
            .FirstOrDefault(id => !string.IsNullOrWhiteSpace(id));
    }

    private async Task<DeliveryResult> HandOverAsync(DeliveryContext context, YukiSettings settings, int folder, CancellationToken cancellationToken)
    {
        var document = context.Document;
        var name = DeliveryFileName.For(document.FileName, context.DeliveryId);
        var administrationId = settings.AdministrationId!.Value.ToString();

        // Never twice: the file name carries the delivery id, so a retry finds the upload of a lost answer.
        if (await FindUploadAsync(settings, name, folder, cancellationToken) is { } existing)
        {
            return DeliveryResult.Delivered(existing);
        }

        var pdf = document.Format is DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote
            ? document.Attachments.FirstOrDefault(a => a.MimeType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase))
            : null;
        XElement? result;
        if (pdf is null)
        {
            result = await _gateway.CallAsync(
                settings,
                "Archive",
                "UploadDocument",
                session =>
                [
                    new("sessionID", session),
                    new("fileName", name.FileName),
                    SoapParameter.Base64("data", context.OpenDocumentAsync),
                    new("folder", folder),
                    new("administrationID", administrationId),
                ],
                idempotent: false,
                cancellationToken);
        }
        else
        {
            result = await _gateway.CallAsync(
                settings,
                "Archive",
                "UploadDocumentWithAttachment",
                session =>
                [
                    new("sessionID", session),
                    new("fileName1", name.FileName),
                    SoapParameter.Base64("data1", context.OpenDocumentAsync),
                    new("fileName2", name.ForAttachment(pdf.FileName)),
                    SoapParameter.Base64("data2", ct => context.OpenAttachmentAsync(pdf, ct)),
                    new("folder", folder),
                    new("administrationID", administrationId),
                    new("currency", document.Currency ?? "EUR"),
                    new("amount", document.PayableAmount ?? 0m),
                    new("costCategory", string.Empty),
                    new("paymentMethod", 0), // 0: not stated; Yuki's payment method numbers are not published
                    new("project", string.Empty),
                    new("remarks", document.Number is null ? string.Empty : $"{document.Kind} {document.Number}"),
                ],
                idempotent: false,
                cancellationToken);
        }

        // The answer is a document id, or a status text when Yuki refused the file (assumed; not documented).
        var answer = result?.Value.Trim() ?? string.Empty;
        return GuidIn().Match(answer) is { Success: true } id
            ? DeliveryResult.Delivered(id.Value)
            : DeliveryResult.Permanent(settings.Redactor.Redact($"Yuki did not accept '{name.FileName}': {(answer.Length == 0 ? "empty answer" : answer)}"));
    }

    /// <summary>The id of a document of this delivery already in the folder (searched by its unique file name), or null.</summary>
    private async Task<string?> FindUploadAsync(YukiSettings settings, DeliveryFileName name, int folder, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var result = await _gateway.CallAsync(
            settings,
            "Archive",
            "SearchDocuments",
            session =>
            [
                new("sessionID", session),
                new("searchOption", "All"),
                new("searchText", name.BaseName),
                new("folderID", folder),
                new("tabID", 0),
                new("sortOrder", "CreatedDesc"),
                new("startDate", now.AddDays(-60).Date),
                new("endDate", now.AddDays(1).Date),
                new("numberOfRecords", 20),
                new("startRecord", 1),
            ],
            idempotent: true,
            cancellationToken);
        var documents = YukiSoapClient.ResultDocument(result);
        return documents?.DescendantsAndSelf()
            .Where(e => e.Name.LocalName == "Document")
            .Where(e => e.Value.Contains(name.BaseName, StringComparison.Ordinal) || e.Attributes().Any(a => a.Value.Contains(name.BaseName, StringComparison.Ordinal)))
            .Select(e => e.Attribute("ID")?.Value ?? Child(e, "ID") ?? Child(e, "Id"))
            .FirstOrDefault(id => !string.IsNullOrWhiteSpace(id));
    }

    /// <summary>What a failure means, in the user's words; null for the caller's own cancellation.</summary>
    private static DeliveryResult? Describe(Exception exception, YukiSettings? settings, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var result = exception switch
        {
            ConnectorConfigurationException e => DeliveryResult.Permanent(e.Message),
            YukiQuotaReachedException e => DeliveryResult.Deferred("deferred: Yuki quota of this domain reached; resumes at 00:05", e.ResumeAt),
            YukiFaultException e => YukiFaults.Classify(e.Operation, e.FaultString) switch
            {
                YukiFaultKind.InvalidKey => DeliveryResult.ConnectionBroken(
                    $"Yuki refused the access key ({YukiFaults.Message(e.FaultString)}). Enter a valid webservice access key (Yuki: Settings → My domain → Webservices)."),
                YukiFaultKind.NoAccess => DeliveryResult.ConnectionBroken($"Yuki refused access: {YukiFaults.Message(e.FaultString)}"),
                YukiFaultKind.InvalidSession => DeliveryResult.Transient("Yuki refused a session it had just given; trying again later."),
                _ => DeliveryResult.Permanent($"Yuki refused it ({e.Operation}): {YukiFaults.Message(e.FaultString)}"),
            },
            HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests } => DeliveryResult.Transient("Yuki asked to slow down (HTTP 429).", TimeSpan.FromMinutes(5)),
            HttpRequestException { StatusCode: { } status } => DeliveryResult.Transient($"Yuki answered HTTP {(int)status}; trying again later."),
            HttpRequestException e => DeliveryResult.Transient($"Yuki could not be reached: {e.Message}"),
            TimeoutRejectedException or TimeoutException or OperationCanceledException => DeliveryResult.Transient("Yuki did not answer in time."),
            XmlException => DeliveryResult.Transient("Yuki's answer could not be read as XML."),
            Koppel.Formats.Findings.DocumentReadException e => DeliveryResult.Permanent($"The invoice could not be read to book it: {e.Message}"),
            _ => null,
        };

        return result is null || settings is null ? result : Redacted(result, settings);
    }

    private static DeliveryResult Redacted(DeliveryResult result, YukiSettings settings)
    {
        if (result.Reason is null || !result.Reason.Contains(settings.ApiKey, StringComparison.Ordinal))
        {
            return result;
        }

        var reason = settings.Redactor.Redact(result.Reason);
        return result switch
        {
            { ConnectionProblem: not null } => DeliveryResult.ConnectionBroken(reason),
            { Kind: DeliveryResultKind.Permanent } => DeliveryResult.Permanent(reason),
            { Kind: DeliveryResultKind.Deferred } => DeliveryResult.Deferred(reason, result.NotBefore!.Value),
            _ => DeliveryResult.Transient(reason, result.RetryAfter),
        };
    }

    private static string? Child(XElement element, string name) =>
        element.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : null;

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidIn();
}

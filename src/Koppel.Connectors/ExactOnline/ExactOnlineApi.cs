using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Exact Online's REST API (OData v3, JSON) as far as Koppel uses it. Paths are relative to the country host; the
/// division is part of every path. Every call answers <see cref="IApiResponse{T}"/>, so the caller sees status, headers
/// (rate limits) and the OData error body without exceptions.
/// </summary>
internal interface IExactOnlineApi
{
    [Post("/api/oauth2/token")]
    Task<IApiResponse<ExactTokenResponse>> TokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);

    [Get("/api/v1/current/Me")]
    Task<IApiResponse<ODataList<ExactMe>>> MeAsync([Authorize] string token, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/system/Divisions")]
    Task<IApiResponse<ODataList<ExactDivision>>> DivisionsAsync([Authorize] string token, int division, [AliasAs("$select")] string select, [AliasAs("$filter")] string? filter, CancellationToken cancellationToken);

    /// <summary>The divisions the user reaches, a page at a time (<c>__next</c> → <c>$skiptoken</c>).</summary>
    [Get("/api/v1/{division}/system/Divisions")]
    Task<IApiResponse<ODataList<ExactDivision>>> DivisionPageAsync([Authorize] string token, int division, [AliasAs("$select")] string select, [AliasAs("$skiptoken")] string? skipToken, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/crm/Accounts")]
    Task<IApiResponse<ODataList<ExactAccount>>> AccountsAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Post("/api/v1/{division}/crm/Accounts")]
    Task<IApiResponse<ODataItem<ExactAccount>>> CreateAccountAsync([Authorize] string token, int division, [Body] ExactNewAccount account, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/financial/GLAccounts")]
    Task<IApiResponse<ODataList<ExactGLAccount>>> GLAccountsAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/salesentry/SalesEntries")]
    Task<IApiResponse<ODataList<ExactEntryRef>>> SalesEntriesAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Post("/api/v1/{division}/salesentry/SalesEntries")]
    Task<IApiResponse<ODataItem<ExactEntryRef>>> CreateSalesEntryAsync([Authorize] string token, int division, [Body] ExactSalesEntry entry, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/purchaseentry/PurchaseEntries")]
    Task<IApiResponse<ODataList<ExactEntryRef>>> PurchaseEntriesAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Post("/api/v1/{division}/purchaseentry/PurchaseEntries")]
    Task<IApiResponse<ODataItem<ExactEntryRef>>> CreatePurchaseEntryAsync([Authorize] string token, int division, [Body] ExactPurchaseEntry entry, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/documents/Documents")]
    Task<IApiResponse<ODataList<ExactIdOnly>>> DocumentsAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Post("/api/v1/{division}/documents/Documents")]
    Task<IApiResponse<ODataItem<ExactIdOnly>>> CreateDocumentAsync([Authorize] string token, int division, [Body] ExactNewDocument document, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/documents/DocumentAttachments")]
    Task<IApiResponse<ODataList<ExactIdOnly>>> DocumentAttachmentsAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Post("/api/v1/{division}/documents/DocumentAttachments")]
    Task<IApiResponse<ODataItem<ExactIdOnly>>> CreateDocumentAttachmentAsync([Authorize] string token, int division, [Body] ExactNewDocumentAttachment attachment, CancellationToken cancellationToken);

    /// <summary>Open customer items (what is still to be received), paged with <c>$skiptoken</c>.</summary>
    [Get("/api/v1/{division}/read/financial/ReceivablesList")]
    Task<IApiResponse<ODataList<ExactReceivable>>> ReceivablesListAsync([Authorize] string token, int division, [AliasAs("$select")] string select, [AliasAs("$skiptoken")] string? skipToken, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/sync/CRM/Accounts")]
    Task<IApiResponse<ODataList<ExactSyncAccount>>> SyncAccountsAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    /// <summary>What was deleted since a Timestamp (<c>EntityType</c> 2: accounts), up to 1,000 rows in Timestamp order.</summary>
    [Get("/api/v1/{division}/sync/Deleted")]
    Task<IApiResponse<ODataList<ExactDeleted>>> SyncDeletedAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    /// <summary>Bank accounts of customers and suppliers (not a sync endpoint: filtered by account, paged by <c>$skiptoken</c>).</summary>
    [Get("/api/v1/{division}/crm/BankAccounts")]
    Task<IApiResponse<ODataList<ExactBankAccount>>> BankAccountsAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, [AliasAs("$skiptoken")] string? skipToken, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/sync/Financial/GLAccounts")]
    Task<IApiResponse<ODataList<ExactSyncGLAccount>>> SyncGLAccountsAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/vat/VATCodes")]
    Task<IApiResponse<ODataList<ExactVatCode>>> VatCodesAsync([Authorize] string token, int division, [AliasAs("$select")] string select, [AliasAs("$skiptoken")] string? skipToken, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/mailbox/Mailboxes")]
    Task<IApiResponse<ODataList<ExactMailbox>>> MailboxesAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/mailbox/MailMessagesSent")]
    Task<IApiResponse<ODataList<ExactIdOnly>>> SentMessagesAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Post("/api/v1/{division}/mailbox/MailMessagesSent")]
    Task<IApiResponse<ODataItem<ExactIdOnly>>> SendMessageAsync([Authorize] string token, int division, [Body] ExactNewMailMessage message, CancellationToken cancellationToken);

    [Get("/api/v1/{division}/mailbox/MailMessageAttachments")]
    Task<IApiResponse<ODataList<ExactMailAttachmentRef>>> MessageAttachmentsAsync([Authorize] string token, int division, [AliasAs("$filter")] string filter, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Post("/api/v1/{division}/mailbox/MailMessageAttachments")]
    Task<IApiResponse<ODataItem<ExactIdOnly>>> AttachToMessageAsync([Authorize] string token, int division, [Body] ExactNewMailAttachment attachment, CancellationToken cancellationToken);
}

/// <summary>Exact's JSON: PascalCase names as the API spells them, nulls left out, numbers that arrive as strings accepted.</summary>
internal static class ExactJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = null,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static RefitSettings RefitSettings { get; } = new(new SystemTextJsonContentSerializer(Options));
}

/// <summary>An OData v3 collection: <c>{"d":{"results":[…]}}</c>.</summary>
internal sealed record ODataList<T>([property: JsonPropertyName("d")] ODataResults<T>? D)
{
    public IReadOnlyList<T> Items => D?.Results ?? [];

    public T? FirstOrNull => Items.Count > 0 ? Items[0] : default;
}

internal sealed record ODataResults<T>([property: JsonPropertyName("results")] IReadOnlyList<T>? Results)
{
    /// <summary>The next page's URL (with its <c>$skiptoken</c>) when the list goes on.</summary>
    [JsonPropertyName("__next")]
    public string? Next { get; init; }
}

/// <summary>One OData v3 entity: <c>{"d":{…}}</c>.</summary>
internal sealed record ODataItem<T>([property: JsonPropertyName("d")] T? D);

/// <summary>Exact's error body: <c>{"error":{"code":…,"message":{"lang":…,"value":…}}}</c>.</summary>
internal sealed record ODataErrorBody([property: JsonPropertyName("error")] ODataError? Error);

internal sealed record ODataError([property: JsonPropertyName("code")] string? Code, [property: JsonPropertyName("message")] ODataErrorMessage? Message);

internal sealed record ODataErrorMessage([property: JsonPropertyName("lang")] string? Lang, [property: JsonPropertyName("value")] string? Value);

/// <summary>The token endpoint's answer; Exact sends <c>expires_in</c> as a string ("600"), which the options accept.</summary>
internal sealed record ExactTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

internal sealed record ExactMe(int CurrentDivision, Guid UserID, string? UserName, string? FullName);

/// <summary>
/// A row of <c>system/Divisions</c>. <c>ChamberOfCommerceNumber</c> and <c>Email</c> are taken from the reference client's
/// field list (providers.md names the resource, not its fields): for a Belgian division the CoC number is the KBO/BCE number.
/// </summary>
internal sealed record ExactDivision(int Code, string? Description, string? CustomerName, string? VATNumber)
{
    public string? ChamberOfCommerceNumber { get; init; }

    public string? Email { get; init; }
}

internal sealed record ExactAccount(Guid ID, string? Code, string? Name, string? VATNumber);

internal sealed record ExactNewAccount
{
    public required string Name { get; init; }

    public string? VATNumber { get; init; }

    public string? ChamberOfCommerce { get; init; }

    public string? AddressLine1 { get; init; }

    public string? Postcode { get; init; }

    public string? City { get; init; }

    public string? Country { get; init; }

    /// <summary>"C" makes the account a customer; suppliers are flagged with <see cref="IsSupplier"/>.</summary>
    public string? Status { get; init; }

    public bool? IsSupplier { get; init; }
}

internal sealed record ExactGLAccount(Guid ID, string? Code, string? Description);

/// <summary>A row of <c>sync/CRM/Accounts</c>: <c>Status</c> "C" is a customer, <c>IsSupplier</c> a supplier; <c>Timestamp</c> the row version the sync goes on from.</summary>
internal sealed record ExactSyncAccount(
    Guid ID,
    string? Code,
    string? Name,
    string? VATNumber,
    string? ChamberOfCommerce,
    string? Email,
    string? Status,
    bool? IsSupplier,
    bool? Blocked,
    long Timestamp);

/// <summary>A row of <c>sync/Deleted</c>: <c>EntityKey</c> is the deleted record's id, <c>EntityType</c> its kind (2: an account).</summary>
internal sealed record ExactDeleted(Guid EntityKey, int EntityType, long Timestamp);

/// <summary>
/// A row of <c>crm/BankAccounts</c>: the <c>Account</c> it belongs to, the number (<c>BankAccount</c>) and <c>IBAN</c>,
/// <c>Type</c> A for a customer's or supplier's account. Field names from the reference clients (providers.md does not name the resource).
/// </summary>
internal sealed record ExactBankAccount(Guid? Account, string? BankAccount, string? IBAN, string? Type);

/// <summary>A row of <c>sync/Financial/GLAccounts</c>; <c>BalanceType</c> "B" balance sheet, "W" profit and loss.</summary>
internal sealed record ExactSyncGLAccount(Guid ID, string? Code, string? Description, string? BalanceType, bool? IsBlocked, long Timestamp);

/// <summary>A row of <c>vat/VATCodes</c>; <c>Percentage</c> is a fraction (0.21 for 21 %).</summary>
internal sealed record ExactVatCode(string? Code, string? Description, decimal? Percentage, bool? IsBlocked);

internal sealed record ExactEntryRef(Guid EntryID, int? EntryNumber);

internal sealed record ExactEntryLine
{
    public required Guid GLAccount { get; init; }

    /// <summary>Excluding VAT, in the document's currency.</summary>
    public required decimal AmountFC { get; init; }

    public required string VATCode { get; init; }

    public required decimal VATAmountFC { get; init; }

    public string? Description { get; init; }
}

internal sealed record ExactSalesEntry
{
    public required string Journal { get; init; }

    public required Guid Customer { get; init; }

    public required int Type { get; init; }

    public string? EntryDate { get; init; }

    public string? DueDate { get; init; }

    public required string YourRef { get; init; }

    public string? PaymentReference { get; init; }

    public string? Currency { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<ExactEntryLine> SalesEntryLines { get; init; }
}

internal sealed record ExactPurchaseEntry
{
    public required string Journal { get; init; }

    public required Guid Supplier { get; init; }

    public required int Type { get; init; }

    public string? EntryDate { get; init; }

    public string? DueDate { get; init; }

    public required string YourRef { get; init; }

    public string? PaymentReference { get; init; }

    public string? Currency { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<ExactEntryLine> PurchaseEntryLines { get; init; }
}

internal sealed record ExactIdOnly(Guid ID);

/// <summary>
/// One line of <c>read/financial/ReceivablesList</c>: <c>Amount</c> is what is still open; <c>YourRef</c> carries the number
/// of the invoice Koppel booked, <c>EntryNumber</c>/<c>InvoiceNumber</c> Exact's own.
/// </summary>
internal sealed record ExactReceivable(
    int? EntryNumber,
    int? InvoiceNumber,
    decimal? Amount,
    decimal? AmountInTransit,
    string? YourRef,
    string? Description,
    string? CurrencyCode);

internal sealed record ExactNewDocument
{
    public required string Subject { get; init; }

    public required int Type { get; init; }

    public Guid? Account { get; init; }

    public Guid? FinancialTransactionEntryID { get; init; }
}

internal sealed record ExactNewDocumentAttachment(Guid Document, string FileName, string Attachment);

internal sealed record ExactMailbox(Guid ID, string? Mailbox, int? ForDivision, string? Description);

internal sealed record ExactNewMailMessage
{
    public required string RecipientMailbox { get; init; }

    public required string Subject { get; init; }

    public required int Type { get; init; }

    public int? ForDivision { get; init; }
}

internal sealed record ExactMailAttachmentRef(Guid ID, string? AttachmentFileName);

internal sealed record ExactNewMailAttachment(Guid MailMessageID, string AttachmentFileName, string Attachment, int Type);

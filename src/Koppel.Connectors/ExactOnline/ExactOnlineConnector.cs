using System.Globalization;
using System.Threading.RateLimiting;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Relations;
using Koppel.Formats.Sniffing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Exact Online (REST/OData v1, OAuth2). Sales and purchase invoices are either handed to the division's digital
/// postbox or booked as sales/purchase entries with their PDF; CODA, PDFs and expense claims go to the postbox. The
/// connection is authorised by the Exact user's consent (<see cref="IOAuthConsentConnector"/>); one consent per Exact
/// user serves every connection that user connected.
/// </summary>
public sealed class ExactOnlineConnector : IConnector, IOAuthConsentConnector, IPaymentReader, IRelationReader, IAdministrationDirectory
{
    public const string ProviderKey = "exact-online";
    public const string HttpClientName = "exact-online";

    private readonly IHttpClientFactory _httpClients;
    private readonly ExactTokens _tokens;
    private readonly ExactRateLimits _limits;
    private readonly IMemoryCache _cache;
    private readonly ExactOnlineOptions _options;
    private readonly TimeProvider _clock;
    private readonly PartyMatcher? _parties;

    internal ExactOnlineConnector(IHttpClientFactory httpClients, ExactTokens tokens, ExactRateLimits limits, IMemoryCache cache, IOptions<ExactOnlineOptions> options, TimeProvider clock, PartyMatcher? parties = null)
    {
        _parties = parties;
        _httpClients = httpClients;
        _tokens = tokens;
        _limits = limits;
        _cache = cache;
        _options = options.Value;
        _clock = clock;
    }

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Exact Online",
        Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection | ConnectorCapabilities.ListAdministrations | ConnectorCapabilities.OAuthConsent | ConnectorCapabilities.ReadPayments
            | ConnectorCapabilities.ReadRelations | ConnectorCapabilities.ReadLedgerAccounts | ConnectorCapabilities.ReadVatCodes,
        Delivers = new Dictionary<DocumentKind, DeliveryMode>
        {
            [DocumentKind.SalesInvoice] = DeliveryMode.BookEntry,
            [DocumentKind.PurchaseInvoice] = DeliveryMode.BookEntry,
            [DocumentKind.BankStatement] = DeliveryMode.HandOver,
            [DocumentKind.OtherDocument] = DeliveryMode.HandOver,
            [DocumentKind.ExpenseClaim] = DeliveryMode.HandOver,
        },
        Settings = ExactOnlineSettings.Fields,
        Notes = "Connect with POST …/connections/{id}/consent (the user signs in at Exact), then the connection test lists the divisions. "
            + "Sales and purchase invoices go to the division's digital postbox (mode 'postbox', default) or are booked (mode 'book': one line per VAT rate on one GL account, "
            + "relation matched by VAT number or created, PDF attached); PDFs are always handed to the postbox. CODA, PDFs and expense claims go to the postbox "
            + "(an expense claim as a purchase document: Exact's postbox has no expense type). "
            + "Assumptions to confirm with Exact: credit notes are booked with negative amounts (types 21/31); the attached PDF's document type is 10 (sales) / 20 (purchase); "
            + "a new relation gets no code from Koppel (Exact numbers it, if the division allows that). One consent per Exact user: connecting the same user again replaces the earlier consent for all its connections. "
            + "Exact drops a consent unused for about 30 days; Koppel renews every consent left unused for a week once a day (Koppel:Consents:RenewWhenIdleFor). "
            + "Payments: the division's read/financial/ReceivablesList (open customer items), paged with $skiptoken, through the same per-division limiter "
            + "(60 calls a minute, 5,000 a day). Exact's Amount is taken as the amount still open; the list gives no payment date, so a payment is dated the day "
            + "the poll sees it; invoices handed to the postbox are followed once Exact lists them (after the bookkeeper processed them). "
            + "Relations: sync/CRM/Accounts (customers: Status C, suppliers: IsSupplier) from the last Timestamp, up to 1,000 per call, "
            + "with the IBANs of their bank accounts (crm/BankAccounts, type A, 20 accounts per call: providers.md does not name this resource; field names "
            + "from the reference clients; a bank account added to an account shows when the account changes or at a full sync), then sync/Deleted "
            + "(entity type 2) from its own last Timestamp, which removes deleted accounts from Koppel's relations; sync/Financial/GLAccounts and vat/VATCodes, "
            + "under the division's rate limits. A booked invoice uses the matched account "
            + "(VAT number, enterprise number, IBAN, exact name), else Exact's own look-up by VAT number or name, else creates it unless 'createParties' is false. "
            + "Add from accounting software: the divisions the consenting user reaches (system/Divisions, every page) with their name, VATNumber, "
            + "ChamberOfCommerceNumber (taken as the enterprise number) and Email (field names from the reference client); each dossier made from one gets a "
            + "connection that shares the user's one consent by reference (never a copy of the tokens), and the consent is deleted with its last connection.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var settings = ExactOnlineSettings.From(context.Settings, [context.Document.Kind]);
            if (settings.Division is not { } division)
            {
                return DeliveryResult.Permanent($"Pick the Exact division to deliver to: run the connection test and set '{ExactOnlineSettings.DivisionKey}'.");
            }

            if (_limits.DailyQuotaUsedUpUntil(division) is { } until)
            {
                return DeliveryResult.Deferred($"Exact Online's daily limit of calls for division {division} is used up; Koppel delivers again after {until:u}.", until);
            }

            var session = SessionFor(settings, division);
            await session.EnsureDivisionAsync(cancellationToken);

            var book = settings.ModeFor(context.Document.Kind) == ExactMode.Book
                && context.Document.Format is DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote;
            return book
                ? await ExactBooking.BookAsync(session, context, settings, _parties, cancellationToken)
                : await ExactPostbox.SendAsync(session, context, cancellationToken);
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return result;
        }
    }

    /// <summary>
    /// On save: country, division and modes are valid values, and journal, GL account and VAT codes are set for each kind
    /// of invoice the connection books. The consent is not checked here: it is given after the connection is saved.
    /// </summary>
    public void ValidateSettings(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ExactOnlineSettings.From(settings, settings.DocumentKinds);
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var parsed = ExactOnlineSettings.From(settings);
            var consentId = parsed.ConsentId ?? throw ExactFailure.NotConnected();
            var api = ApiFor(parsed.Country);
            var token = await _tokens.AccessTokenAsync(api, consentId, cancellationToken);
            var me = ExactResponses.Check(await api.MeAsync(token, "CurrentDivision,UserID,UserName,FullName", cancellationToken), "user look-up", _limits, null, _clock).FirstOrNull
                ?? throw new ExactFailure(DeliveryResult.Transient("Exact Online did not say who is signed in."));
            var divisions = await DivisionsAsync(api, token, me.CurrentDivision, "Code,Description,CustomerName,VATNumber", cancellationToken);
            var choices = divisions
                .OrderBy(d => d.Code)
                .Select(d => new ConnectionChoice(ExactOnlineSettings.DivisionKey, d.Code.ToString(CultureInfo.InvariantCulture), $"{d.Code} – {d.Description ?? d.CustomerName}"))
                .ToList();
            var who = me.FullName ?? me.UserName ?? "the Exact user";
            if (parsed.Division is { } chosen)
            {
                return divisions.Any(d => d.Code == chosen)
                    ? new ConnectionTestResult(true, $"Connected to Exact Online as {who}; division {chosen} is reachable.") { Choices = choices }
                    : new ConnectionTestResult(false, $"{who} cannot reach division {chosen} in Exact Online; pick one of the divisions listed.") { Choices = choices, CredentialsRejected = true };
            }

            return new ConnectionTestResult(true, $"Connected to Exact Online as {who}. Pick the division to deliver to ('{ExactOnlineSettings.DivisionKey}').") { Choices = choices };
        }
        catch (ExactFailure e)
        {
            return new ConnectionTestResult(false, e.Result.Reason ?? "Exact Online refused the test.")
            {
                CredentialsRejected = e.CredentialsRejected,
                NeedsConsent = e.Result.ConnectionProblem == ConnectionHealthStatus.NeedsConsent,
            };
        }
        catch (ConnectorConfigurationException e)
        {
            return new ConnectionTestResult(false, e.Message);
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return new ConnectionTestResult(false, result.Reason ?? "Exact Online could not be reached.");
        }
    }

    /// <summary>The division's open customer items, all pages (Exact pages them with <c>__next</c> / <c>$skiptoken</c>).</summary>
    public async Task<ReceivablesReadResult> ReadReceivablesAsync(PaymentReadContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var calls = 0;
        try
        {
            var settings = ExactOnlineSettings.From(context.Settings);
            if (settings.Division is not { } division)
            {
                return ReceivablesReadResult.Failed(DeliveryResult.Permanent($"Pick the Exact division first: run the connection test and set '{ExactOnlineSettings.DivisionKey}'."));
            }

            if (_limits.DailyQuotaUsedUpUntil(division) is { } until)
            {
                return ReceivablesReadResult.Failed(DeliveryResult.Deferred($"Exact Online's daily limit of calls for division {division} is used up until {until:u}.", until));
            }

            var session = SessionFor(settings, division);
            await session.EnsureDivisionAsync(cancellationToken);
            var items = new List<ProviderReceivable>();
            string? skipToken = null;
            do
            {
                calls++;
                var page = await session.CallAsync(
                    "receivables list",
                    t => session.Api.ReceivablesListAsync(t, division, "EntryNumber,InvoiceNumber,Amount,AmountInTransit,YourRef,Description,CurrencyCode", skipToken, cancellationToken),
                    cancellationToken);
                items.AddRange(page.Items.Select(r => new ProviderReceivable
                {
                    References = [.. new[] { r.EntryNumber, r.InvoiceNumber }.Where(n => n is not null).Select(n => n!.Value.ToString(CultureInfo.InvariantCulture)).Distinct()],
                    InvoiceNumber = string.IsNullOrWhiteSpace(r.YourRef) ? r.InvoiceNumber?.ToString(CultureInfo.InvariantCulture) : r.YourRef.Trim(),
                    Description = r.Description,
                    OpenAmount = r.Amount ?? 0m,
                    Currency = r.CurrencyCode,
                }));
                skipToken = SkipTokenOf(page.D?.Next);
            }
            while (skipToken is not null);

            return new ReceivablesReadResult { OpenItems = items, Complete = true, Calls = calls };
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return ReceivablesReadResult.Failed(result) with { Calls = calls };
        }
    }

    /// <summary>
    /// One page of the division's relations changed since the watermark (<see cref="ExactSyncMark"/>): first the customers
    /// and suppliers (<c>sync/CRM/Accounts?$filter=Timestamp gt …</c>, up to 1,000 rows in Timestamp order, each with the
    /// IBANs of its bank accounts from <c>crm/BankAccounts</c>), then the accounts deleted in Exact
    /// (<c>sync/Deleted</c>, entity type 2), which leave Koppel's relations. Each part goes on from its own last Timestamp.
    /// </summary>
    public async Task<PartyPage> ReadPartiesAsync(RelationReadContext context, string? watermark, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var calls = 0;
        try
        {
            if (ReadableDivision(context) is not { } division)
            {
                return PartyPage.Failed(DeliveryResult.Permanent($"Pick the Exact division first: run the connection test and set '{ExactOnlineSettings.DivisionKey}'."));
            }

            if (_limits.DailyQuotaUsedUpUntil(division.Code) is { } until)
            {
                return PartyPage.Failed(DeliveryResult.Deferred($"Exact Online's daily limit of calls for division {division.Code} is used up until {until:u}.", until));
            }

            var session = division.Session;
            await session.EnsureDivisionAsync(cancellationToken);
            var mark = ExactSyncMark.Parse(watermark);
            var step = ExactSyncMark.Step(pageToken, mark);
            if (step.Deletions)
            {
                calls++;
                var deleted = await session.CallAsync(
                    "deleted relations",
                    token => session.Api.SyncDeletedAsync(token, division.Code, $"Timestamp gt {step.From.ToString(CultureInfo.InvariantCulture)} and EntityType eq {ExactSyncMark.AccountEntityType.ToString(CultureInfo.InvariantCulture)}", "EntityKey,EntityType,Timestamp", cancellationToken),
                    cancellationToken);
                var gone = deleted.Items;
                var lastDeleted = gone.Count == 0 ? step.From : gone.Max(d => d.Timestamp);
                var after = mark with { Accounts = step.Accounts, Deletions = lastDeleted };
                return new PartyPage
                {
                    Removed = [.. gone.Where(d => d.EntityType == ExactSyncMark.AccountEntityType).Select(d => d.EntityKey.ToString("D"))],
                    NextPageToken = deleted.D?.Next is not null && gone.Count > 0 ? after.DeletionsToken() : null,
                    Watermark = after.ToString(),
                    Calls = calls,
                };
            }

            calls++;
            var page = await session.CallAsync(
                "customers and suppliers",
                token => session.Api.SyncAccountsAsync(token, division.Code, $"Timestamp gt {step.From.ToString(CultureInfo.InvariantCulture)}", "ID,Code,Name,VATNumber,ChamberOfCommerce,Email,Status,IsSupplier,Blocked,Timestamp", cancellationToken),
                cancellationToken);
            var rows = page.Items;
            var relations = rows.Where(IsRelation).ToList();
            var (ibans, ibanCalls) = await BankAccountsAsync(session, division.Code, [.. relations.Select(r => r.ID)], cancellationToken);
            calls += ibanCalls;
            var last = rows.Count == 0 ? step.From : rows.Max(r => r.Timestamp);
            var now = mark with { Accounts = last };
            return new PartyPage
            {
                Parties = [.. relations.Select(r => Party(r, ibans.GetValueOrDefault(r.ID) ?? []))],

                // After the last page of accounts come the deletions, from where the previous sync left them.
                NextPageToken = page.D?.Next is not null && rows.Count > 0 ? now.AccountsToken() : now.DeletionsToken(),
                Watermark = now.ToString(),
                Calls = calls,
            };
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return PartyPage.Failed(result, Math.Max(1, calls));
        }
    }

    /// <summary>
    /// The IBANs of the given accounts' bank accounts (<c>crm/BankAccounts</c>, type A), asked for
    /// <see cref="ExactSyncMark.AccountsPerBankAccountCall"/> accounts per call (a filter of account ids, every page).
    /// The IBAN field is taken, else the bank account number when it reads as an IBAN.
    /// </summary>
    private static async Task<(Dictionary<Guid, List<string>> Ibans, int Calls)> BankAccountsAsync(ExactSession session, int division, IReadOnlyList<Guid> accounts, CancellationToken cancellationToken)
    {
        var ibans = new Dictionary<Guid, List<string>>();
        var calls = 0;
        foreach (var chunk in accounts.Chunk(ExactSyncMark.AccountsPerBankAccountCall))
        {
            var filter = string.Join(" or ", chunk.Select(id => $"Account eq {OData.Literal(id)}"));
            string? skipToken = null;
            do
            {
                calls++;
                var from = skipToken;
                var page = await session.CallAsync(
                    "bank accounts of customers and suppliers",
                    token => session.Api.BankAccountsAsync(token, division, filter, "Account,BankAccount,IBAN,Type", from, cancellationToken),
                    cancellationToken);
                foreach (var bank in page.Items.Where(b => b.Account is not null && (b.Type is null || b.Type == "A")))
                {
                    var iban = AsIban(bank.IBAN) ?? AsIban(bank.BankAccount);
                    if (iban is not null)
                    {
                        if (!ibans.TryGetValue(bank.Account!.Value, out var list))
                        {
                            ibans[bank.Account.Value] = list = [];
                        }

                        list.Add(iban);
                    }
                }

                skipToken = SkipTokenOf(page.D?.Next);
            }
            while (skipToken is not null);
        }

        return (ibans, calls);

        // Country letters, check digits, then 10 to 30 letters or digits: a local account number is no IBAN.
        static string? AsIban(string? text) =>
            RelationKeys.Iban(text) is { Length: >= 14 and <= 34 } iban && char.IsAsciiLetter(iban[0]) && char.IsAsciiLetter(iban[1]) && char.IsAsciiDigit(iban[2]) && char.IsAsciiDigit(iban[3]) && iban.All(char.IsAsciiLetterOrDigit)
                ? iban
                : null;
    }

    /// <summary>The division's GL accounts (<c>sync/Financial/GLAccounts</c>, paged by Timestamp).</summary>
    public async Task<ReferenceListResult<LedgerAccount>> ReadLedgerAccountsAsync(RelationReadContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var calls = 0;
        try
        {
            if (ReadableDivision(context) is not { } division)
            {
                return new ReferenceListResult<LedgerAccount> { Failure = DeliveryResult.Permanent($"Pick the Exact division first ('{ExactOnlineSettings.DivisionKey}').") };
            }

            var session = division.Session;
            var accounts = new List<LedgerAccount>();
            var since = 1L;
            while (true)
            {
                calls++;
                var from = since;
                var page = await session.CallAsync(
                    "GL accounts",
                    token => session.Api.SyncGLAccountsAsync(token, division.Code, $"Timestamp gt {from.ToString(CultureInfo.InvariantCulture)}", "ID,Code,Description,BalanceType,IsBlocked,Timestamp", cancellationToken),
                    cancellationToken);
                accounts.AddRange(page.Items.Where(a => !string.IsNullOrWhiteSpace(a.Code)).Select(a => new LedgerAccount
                {
                    Code = a.Code!.Trim(),
                    Name = a.Description ?? string.Empty,
                    Kind = a.BalanceType switch { "B" => "balance sheet", "W" => "profit and loss", _ => a.BalanceType },
                    Active = a.IsBlocked != true,
                }));
                if (page.D?.Next is null || page.Items.Count == 0)
                {
                    break;
                }

                since = page.Items.Max(a => a.Timestamp);
            }

            return new ReferenceListResult<LedgerAccount> { Items = accounts, Calls = calls };
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return new ReferenceListResult<LedgerAccount> { Failure = result, Calls = calls };
        }
    }

    /// <summary>The division's VAT codes (<c>vat/VATCodes</c>, paged by <c>$skiptoken</c>); Exact's fraction becomes a percentage.</summary>
    public async Task<ReferenceListResult<VatCode>> ReadVatCodesAsync(RelationReadContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var calls = 0;
        try
        {
            if (ReadableDivision(context) is not { } division)
            {
                return new ReferenceListResult<VatCode> { Failure = DeliveryResult.Permanent($"Pick the Exact division first ('{ExactOnlineSettings.DivisionKey}').") };
            }

            var session = division.Session;
            var codes = new List<VatCode>();
            string? skipToken = null;
            do
            {
                calls++;
                var page = await session.CallAsync(
                    "VAT codes",
                    token => session.Api.VatCodesAsync(token, division.Code, "Code,Description,Percentage,IsBlocked", skipToken, cancellationToken),
                    cancellationToken);
                codes.AddRange(page.Items.Where(v => !string.IsNullOrWhiteSpace(v.Code)).Select(v => new VatCode
                {
                    Code = v.Code!.Trim(),
                    Rate = v.Percentage is { } fraction ? fraction * 100m : null,
                    Description = v.Description,
                    Active = v.IsBlocked != true,
                }));
                skipToken = SkipTokenOf(page.D?.Next);
            }
            while (skipToken is not null);

            return new ReferenceListResult<VatCode> { Items = codes, Calls = calls };
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return new ReferenceListResult<VatCode> { Failure = result, Calls = calls };
        }
    }

    private (int Code, ExactSession Session)? ReadableDivision(RelationReadContext context)
    {
        var settings = ExactOnlineSettings.From(context.Settings, [DocumentKind.OtherDocument]);
        return settings.Division is { } division ? (division, SessionFor(settings, division)) : null;
    }

    /// <summary>Customers (Status C) and suppliers are relations; prospects and suspects are no relations to book on.</summary>
    private static bool IsRelation(ExactSyncAccount a) =>
        (string.Equals(a.Status, "C", StringComparison.OrdinalIgnoreCase) || a.IsSupplier == true) && !string.IsNullOrWhiteSpace(a.Name);

    /// <summary>An account (<see cref="IsRelation"/>) as a party, with the IBANs of its bank accounts.</summary>
    private static PartyData Party(ExactSyncAccount a, IReadOnlyList<string> ibans)
    {
        var customer = string.Equals(a.Status, "C", StringComparison.OrdinalIgnoreCase);
        var supplier = a.IsSupplier == true;
        return new PartyData
        {
            ProviderId = a.ID.ToString("D"),
            Code = a.Code?.Trim(),
            Name = a.Name!.Trim(),
            Ibans = ibans,
            Kind = customer && supplier ? PartyKind.Both : customer ? PartyKind.Customer : PartyKind.Supplier,
            VatNumber = a.VATNumber,
            EnterpriseNumber = a.ChamberOfCommerce,
            Email = a.Email,
            Active = a.Blocked != true,
        };
    }

    /// <summary>The <c>$skiptoken</c> of an OData <c>__next</c> link, or null at the last page.</summary>
    internal static string? SkipTokenOf(string? next)
    {
        if (string.IsNullOrWhiteSpace(next) || !Uri.TryCreate(next, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && Uri.UnescapeDataString(p[0]) == "$skiptoken")
            .Select(p => Uri.UnescapeDataString(p[1]))
            .FirstOrDefault(t => t.Length > 0);
    }

    public Task<Uri> AuthorizationUrlAsync(ConnectorSettings settings, string state, CancellationToken cancellationToken)
    {
        var parsed = ExactOnlineSettings.From(settings);
        var clientId = _options.ClientId is { Length: > 0 } id ? id
            : throw new ConnectorConfigurationException("Koppel's Exact Online app is not set up: the operator must set Koppel:Providers:ExactOnline:ClientId.");
        var redirect = _options.RedirectUri
            ?? throw new ConnectorConfigurationException("Koppel's Exact Online app has no redirect URI: the operator must set Koppel:Providers:ExactOnline:RedirectUri.");
        var query = string.Join('&', new[]
        {
            ("client_id", clientId),
            ("redirect_uri", redirect.ToString()),
            ("response_type", "code"),
            ("state", state),
        }.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return Task.FromResult(new Uri(_options.HostFor(parsed.Country), "api/oauth2/auth?" + query));
    }

    public async Task<OAuthConsentResult> CompleteConsentAsync(ConnectorSettings settings, string code, CancellationToken cancellationToken)
    {
        var parsed = ExactOnlineSettings.From(settings);
        var api = ApiFor(parsed.Country);
        var tokens = await _tokens.ExchangeCodeAsync(api, code, cancellationToken);
        var me = ExactResponses.Check(await api.MeAsync(tokens.AccessToken, "CurrentDivision,UserID,UserName,FullName", cancellationToken), "user look-up", _limits, null, _clock).FirstOrNull
            ?? throw new OAuthConsentRefusedException("Exact Online did not say who signed in; start connecting to Exact again.");

        // One consent per Exact user (per country): every connection this user connects shares it, and a new consent
        // of the same user replaces the tokens for all of them (Exact keeps only the newest valid anyway).
        var consentId = $"{parsed.Country.Replace('.', '-')}-{me.UserID:N}";
        await _tokens.SaveConsentAsync(consentId, tokens, cancellationToken);
        return new OAuthConsentResult(
            new Dictionary<string, string> { [ExactOnlineSettings.ConsentIdKey] = consentId },
            $"Connected to Exact Online as {me.FullName ?? me.UserName ?? "the Exact user"}. "
                + (parsed.Division is { } division
                    ? $"Run the connection test to check that division {division.ToString(CultureInfo.InvariantCulture)} is reachable."
                    : "Run the connection test to pick the division."));
    }

    public async Task<ConsentUpkeep> KeepConsentAliveAsync(ConnectorSettings settings, TimeSpan idleFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Only what finds the consent: a connection whose booking settings are incomplete still keeps its consent.
        if (SettingsReader.Optional(settings, ExactOnlineSettings.ConsentIdKey) is not { } consentId)
        {
            return ConsentUpkeep.NotNeeded;
        }

        var country = SettingsReader.Optional(settings, ExactOnlineSettings.CountryKey)?.ToLowerInvariant() is { } c && ExactOnlineOptions.Countries.Contains(c) ? c : "be";
        try
        {
            return await _tokens.KeepAliveAsync(ApiFor(country), consentId, idleFor, cancellationToken) ? ConsentUpkeep.Renewed : ConsentUpkeep.NotNeeded;
        }
        catch (ExactFailure e) when (e.Result.ConnectionProblem == ConnectionHealthStatus.NeedsConsent)
        {
            return new ConsentUpkeep(ConsentUpkeepOutcome.Refused, e.Result.Reason);
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return new ConsentUpkeep(ConsentUpkeepOutcome.TryLater, result.Reason);
        }
    }

    /// <summary>
    /// "Add from accounting software": the divisions the consenting Exact user reaches (<c>current/Me</c>, then
    /// <c>system/Divisions</c>, every page), each with the name, VAT number, Chamber of Commerce (KBO/BCE) number and e-mail
    /// address Exact keeps for it. A connection made from one shares this connection's consent (by its reference, never a
    /// copy of the tokens) and points at its own division.
    /// </summary>
    public async Task<IReadOnlyList<AdministrationInfo>> ListAdministrationsAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            var country = CountryOf(settings);
            var consentId = ConsentIdOf(settings) ?? throw ExactFailure.NotConnected();
            var api = ApiFor(country);
            var token = await _tokens.AccessTokenAsync(api, consentId, cancellationToken);
            var me = ExactResponses.Check(await api.MeAsync(token, "CurrentDivision,UserID,UserName,FullName", cancellationToken), "user look-up", _limits, null, _clock).FirstOrNull
                ?? throw new ExactFailure(DeliveryResult.Transient("Exact Online did not say who is signed in."));
            var divisions = await DivisionsAsync(api, token, me.CurrentDivision, "Code,Description,CustomerName,VATNumber,ChamberOfCommerceNumber,Email", cancellationToken);
            return [.. divisions.DistinctBy(d => d.Code).OrderBy(d => d.Code).Select(d => new AdministrationInfo(
                d.Code.ToString(CultureInfo.InvariantCulture),
                Blank(d.Description) ?? Blank(d.CustomerName) ?? $"Division {d.Code.ToString(CultureInfo.InvariantCulture)}",
                new Dictionary<string, string> { [ExactOnlineSettings.DivisionKey] = d.Code.ToString(CultureInfo.InvariantCulture) })
            {
                EnterpriseNumber = Blank(d.ChamberOfCommerceNumber),
                VatNumber = Blank(d.VATNumber),
                ContactEmail = Blank(d.Email),
            })];
        }
        catch (ExactFailure e)
        {
            throw new ConnectorConfigurationException(e.Result.Reason ?? "Exact Online did not list the divisions.");
        }
        catch (Exception e) when (e is not ConnectorConfigurationException && Understood(e, cancellationToken) is { } result)
        {
            throw new ConnectorConfigurationException($"{result.Reason} List the divisions again in a moment.");
        }

        static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>Every division the user reaches (<c>system/Divisions</c>, asked in the user's current division), all pages.</summary>
    private async Task<List<ExactDivision>> DivisionsAsync(IExactOnlineApi api, string token, int currentDivision, string select, CancellationToken cancellationToken)
    {
        var divisions = new List<ExactDivision>();
        string? skipToken = null;
        do
        {
            var page = ExactResponses.Check(await api.DivisionPageAsync(token, currentDivision, select, skipToken, cancellationToken), "division list", _limits, currentDivision, _clock);
            divisions.AddRange(page.Items);
            skipToken = SkipTokenOf(page.D?.Next);
        }
        while (skipToken is not null);

        return divisions;
    }

    /// <summary>Counts the connection among the holders of the consent it names (the consent callback, an import, the daily upkeep).</summary>
    public async Task HoldConsentAsync(ConnectorSettings settings, string holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (ConsentIdOf(settings) is { } consentId)
        {
            await _tokens.HoldAsync(consentId, holder, cancellationToken);
        }
    }

    /// <summary>The connection lets go of its consent (deleted, or connected as another Exact user); the tokens go with the last holder.</summary>
    public async Task<bool> ReleaseConsentAsync(ConnectorSettings settings, string holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ConsentIdOf(settings) is { } consentId && await _tokens.ReleaseAsync(consentId, holder, cancellationToken);
    }

    /// <summary>The consent reference as the callback wrote it; a damaged one is none (nothing is looked up by it).</summary>
    private static string? ConsentIdOf(ConnectorSettings settings) =>
        SettingsReader.Optional(settings, ExactOnlineSettings.ConsentIdKey) is { } id && ExactOnlineSettings.ConsentIdPattern().IsMatch(id) ? id : null;

    private static string CountryOf(ConnectorSettings settings) =>
        SettingsReader.Optional(settings, ExactOnlineSettings.CountryKey)?.ToLowerInvariant() is { } c && ExactOnlineOptions.Countries.Contains(c) ? c : "be";

    private ExactSession SessionFor(ExactOnlineSettings settings, int division) =>
        new(ApiFor(settings.Country), _tokens, _limits, _cache, _options, _clock, settings.ConsentId ?? throw ExactFailure.NotConnected(), division);

    private IExactOnlineApi ApiFor(string country)
    {
        var client = _httpClients.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(_options.HostFor(country).ToString().TrimEnd('/'));
        return RestService.For<IExactOnlineApi>(client, ExactJson.RefitSettings);
    }

    /// <summary>The failures the connector understands, as results; null lets anything else bubble up (the handler retries it).</summary>
    private DeliveryResult? Understood(Exception e, CancellationToken cancellationToken) => e switch
    {
        ExactFailure f => f.Result,
        ConnectorConfigurationException c => DeliveryResult.Permanent(c.Message),
        RateLimiterRejectedException r when r.RetryAfter is { } wait && wait > TimeSpan.FromHours(1) =>
            DeliveryResult.Deferred("Koppel has used today's Exact Online calls for this division; it delivers again tomorrow.", _clock.GetUtcNow() + wait),
        RateLimiterRejectedException r => DeliveryResult.Transient("Koppel is holding back to stay under Exact Online's limit of calls per minute; it tries again shortly.", r.RetryAfter ?? TimeSpan.FromMinutes(1)),
        TimeoutRejectedException => DeliveryResult.Transient("Exact Online did not answer in time; Koppel tries again later."),
        HttpRequestException h => DeliveryResult.Transient($"Exact Online could not be reached: {h.Message}"),
        TaskCanceledException when !cancellationToken.IsCancellationRequested => DeliveryResult.Transient("Exact Online did not answer in time; Koppel tries again later."),
        _ => null,
    };
}

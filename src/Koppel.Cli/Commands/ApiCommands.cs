using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Koppel.Cli.Api;

namespace Koppel.Cli.Commands;

/// <summary>What every command against a server shares: where it prints, its surroundings, the connection options.</summary>
internal sealed record ApiCommandContext(TextWriter Output, TextWriter Error, CliEnvironment Environment, Option<string> Server, Option<string> Key);

/// <summary>The commands that talk to a Koppel server's HTTP API, each printing a table or, with <c>--json</c>, the API's JSON.</summary>
internal static class ApiCommands
{
    private delegate Task<int> ApiAction(ParseResult parse, KoppelApiClient client, bool json, CancellationToken ct);

    public static IEnumerable<Command> All(ApiCommandContext context)
    {
        yield return Dossiers(context);
        yield return Connections(context);
        yield return Documents(context);
        yield return History(context);
        yield return Runs(context);
        yield return Resend(context);
        yield return Export(context);
        yield return DeadLetters(context);
        yield return Quarantine(context);
        yield return Upload(context);
        yield return Providers(context);
    }

    private static Command Dossiers(ApiCommandContext context)
    {
        var command = Api(context, "dossiers", "List the dossiers (client companies) the key may see.", [], async (_, client, json, ct) =>
            Print(context, json, await client.ListDossiersAsync(ct), "No dossiers.",
                Column.Of("DOSSIER", "id"), Column.Of("NAME", "name"), Column.Of("VAT", "vatNumber"), Column.Of("CONTACT", "contactEmail")));
        command.Subcommands.Add(CreateDossier(context));
        return command;
    }

    private static Command CreateDossier(ApiCommandContext context)
    {
        var name = new Option<string>("--name") { Description = "The company's name.", Required = true };
        var enterprise = new Option<string>("--enterprise-number") { Description = "Its Belgian enterprise number (e.g. 0403.170.701); it becomes the dossier id.", Required = true };
        var vat = new Option<string>("--vat") { Description = "Its VAT number, when it differs from BE + the enterprise number." };
        var email = new Option<string>("--email") { Description = "Who to tell when something needs looking at." };
        var zone = new Option<string>("--time-zone") { Description = "Its time zone (default Europe/Brussels)." };
        return Api(context, "dossiers create", "Create a dossier.", [name, enterprise, vat, email, zone], async (parse, client, json, ct) =>
        {
            var created = await client.CreateDossierAsync(new DossierInput(parse.GetValue(name)!, parse.GetValue(enterprise)!, parse.GetValue(vat), parse.GetValue(email), parse.GetValue(zone)), ct);
            WriteResult(context, json, created, $"Dossier {Json.Text(created, "id")} ({Json.Text(created, "name")}) created.");
            return KoppelCommandLine.Success;
        });
    }

    private static Command Providers(ApiCommandContext context) =>
        Api(context, "providers", "List the providers a connection can be made to, with their settings (* required).", [], async (_, client, json, ct) =>
        {
            var catalogue = await client.ListConnectorsAsync(ct);
            if (json)
            {
                context.Output.WriteLine(catalogue.GetRawText());
                return KoppelCommandLine.Success;
            }

            var entries = Catalogue(catalogue);
            Table.Write(context.Output, [.. catalogue.EnumerateArray()],
                [Column.Of("PROVIDER", "provider"), Column.Of("NAME", "displayName"),
                 new Column("DELIVERS", e => string.Join(",", e.TryGetProperty("delivers", out var d) ? d.EnumerateObject().Select(p => p.Name) : [])),
                 new Column("SETTINGS", e => ConnectionSetup.Describe(entries.First(x => x.Provider == Json.Text(e, "provider")).Settings))],
                "No providers.");
            return KoppelCommandLine.Success;
        });

    private static Command Connections(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var command = Api(context, "connections", "List a dossier's connections with their health.", [dossier], async (parse, client, json, ct) =>
            Print(context, json, await client.ListConnectionsAsync(parse.GetValue(dossier)!, ct), "No connections.",
                Column.Of("CONNECTION", "id"), Column.Of("NAME", "displayName"), Column.Of("PROVIDER", "provider"), Column.Of("KINDS", "documentKinds"),
                new Column("ENABLED", c => Json.Text(c, "enabled") == "true" ? "yes" : "no"), Column.Of("HEALTH", "health.status"), Column.Of("REASON", "health.reason")));
        command.Subcommands.Add(AddConnection(context));
        command.Subcommands.Add(TestConnection(context));
        return command;
    }

    private static Command AddConnection(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var provider = new Argument<string>("provider") { Description = "The provider (see 'koppel providers'), e.g. yuki, sftp, email." };
        var name = new Option<string>("--name") { Description = "A name for the connection, as lists and the history show it." };
        var kinds = new Option<string>("--kinds") { Description = "The document kinds it takes, comma-separated (default: every kind the provider takes)." };
        var set = new Option<string[]>("--set") { Description = "A setting as name=value; may be repeated. Settings not given are asked in a terminal." };
        var secretFromEnv = new Option<string[]>("--secret-from-env") { Description = "A setting as name=VARIABLE, read from that environment variable (keeps secrets out of the shell history)." };
        var noTest = new Option<bool>("--no-test") { Description = "Save without testing the connection first." };
        return Api(context, "connections add", "Add a connection to a dossier, asking for the provider's settings; tested before it is saved.",
            [dossier, provider, name, kinds, set, secretFromEnv, noTest], async (parse, client, json, ct) =>
            {
                var entries = Catalogue(await client.ListConnectorsAsync(ct));
                var wanted = parse.GetValue(provider)!;
                var entry = entries.FirstOrDefault(e => string.Equals(e.Provider, wanted, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ApiFailure(KoppelCommandLine.UsageError, $"The server has no provider '{wanted}'; it has {string.Join(", ", entries.Select(e => e.Provider))}.");
                var given = Pairs(parse.GetValue(set), "--set");
                foreach (var (setting, variable) in Pairs(parse.GetValue(secretFromEnv), "--secret-from-env"))
                {
                    given[setting] = context.Environment.Variable(variable)
                        ?? throw new ApiFailure(KoppelCommandLine.UsageError, $"The environment variable {variable} (for {setting}) is not set.");
                }

                var (options, credentials, problem) = ConnectionSetup.Collect(entry, given, context.Environment.Prompter);
                if (problem is not null)
                {
                    throw new ApiFailure(KoppelCommandLine.UsageError, problem);
                }

                var documentKinds = parse.GetValue(kinds) is { } list
                    ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
                    : [.. entry.Delivers.Keys];
                var test = !parse.GetValue(noTest);
                var created = await client.CreateConnectionAsync(parse.GetValue(dossier)!, new ConnectionInput(entry.Provider, parse.GetValue(name), documentKinds, options, credentials), test, ct);
                var tested = test && created.TryGetProperty("test", out var result) ? $" Connection test: {Json.Text(result, "message")}" : test ? "" : " Not tested (--no-test).";
                WriteResult(context, json, created, $"Connection {Json.Text(created, "id")} ({entry.Provider}) added to dossier {Json.Text(created, "dossierId")}.{tested}");
                if (!json && test && created.TryGetProperty("test", out var withChoices))
                {
                    WriteChoices(context, withChoices);
                }

                return KoppelCommandLine.Success;
            });
    }

    private static Command TestConnection(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var connection = new Argument<string>("connection") { Description = "The connection's id (see 'koppel connections <dossier>')." };
        return Api(context, "connections test", "Test a connection: can Koppel reach the provider with its settings? Exits 6 when it cannot.", [dossier, connection], async (parse, client, json, ct) =>
        {
            var result = await client.TestConnectionAsync(parse.GetValue(dossier)!, parse.GetValue(connection)!, ct);
            var success = Json.Text(result, "success") == "true";
            if (json)
            {
                context.Output.WriteLine(result.GetRawText());
            }
            else
            {
                context.Output.WriteLine($"{(success ? "Works" : "Does not work")}: {Json.Text(result, "message")}");
                WriteChoices(context, result);
            }

            return success ? KoppelCommandLine.Success : KoppelCommandLine.Rejected;
        });
    }

    /// <summary>What a test says the user must still pick (e.g. a Yuki administration), and the setting it goes into.</summary>
    private static void WriteChoices(ApiCommandContext context, JsonElement test)
    {
        if (test.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            context.Output.WriteLine();
            Table.Write(context.Output, [.. choices.EnumerateArray()], [Column.Of("SETTING", "setting"), Column.Of("VALUE", "value"), Column.Of("CHOICE", "label")], "");
        }
    }

    private static List<ConnectorEntry> Catalogue(JsonElement catalogue) =>
        catalogue.Deserialize(CliJson.Default.ListConnectorEntry) ?? [];

    /// <summary>name=value pairs of a repeated option; a pair without '=' is a usage error naming the option.</summary>
    private static Dictionary<string, string> Pairs(string[]? values, string option)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in values ?? [])
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new ApiFailure(KoppelCommandLine.UsageError, $"{option} takes name=value, not '{(split < 0 ? pair : pair[..split])}…'.");
            }

            pairs[pair[..split]] = pair[(split + 1)..];
        }

        return pairs;
    }

    private static Command Documents(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var from = new Option<string>("--from") { Description = "Only documents received at or after this ISO 8601 date/time." };
        var to = new Option<string>("--to") { Description = "Only documents received before this ISO 8601 date/time." };
        return Api(context, "documents", "List the documents a dossier received.", [dossier, from, to], async (parse, client, json, ct) =>
            Print(context, json, await client.ListDocumentsAsync(parse.GetValue(dossier)!, parse.GetValue(from), parse.GetValue(to), ct), "No documents.",
                Column.Of("DOCUMENT", "id"), new Column("RECEIVED", d => Json.Time(d, "receivedAt")), Column.Of("KIND", "kind"), Column.Of("NUMBER", "number"),
                Column.Of("COUNTERPARTY", "counterpartyName"), new Column("AMOUNT", d => $"{Json.Text(d, "payableAmount")} {Json.Text(d, "currency")}".Trim()),
                Column.Of("FILE", "fileName")));
    }

    private static Command History(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var document = new Argument<string>("document") { Description = "The document id (see 'koppel documents')." };
        return Api(context, "history", "Show what happened to a document: received, queued, delivered, failed, resent, paid.", [dossier, document], async (parse, client, json, ct) =>
            Print(context, json, await client.HistoryAsync(parse.GetValue(dossier)!, parse.GetValue(document)!, ct), "No history.",
                new Column("AT", h => Json.Time(h, "at")), Column.Of("EVENT", "event"), Column.Of("PROVIDER", "provider"), Column.Of("REFERENCE", "reference"),
                Column.Of("BY", "actor"), Column.Of("DETAIL", "detail")));
    }

    private static Command Runs(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var status = new Option<string>("--status") { Description = "Only runs with this status (Queued, Running, Succeeded, PartiallySucceeded, Failed)." };
        var kind = new Option<string>("--kind") { Description = "Only runs of this kind (Ingest, Delivery, Export, PaymentPoll, Sync, ...)." };
        return Api(context, "runs", "List a dossier's run log, newest first.", [dossier, status, kind], async (parse, client, json, ct) =>
        {
            var wantedStatus = parse.GetValue(status);
            var wantedKind = parse.GetValue(kind);
            var runs = (await client.ListRunsAsync(parse.GetValue(dossier)!, ct))
                .Where(r => wantedStatus is null || string.Equals(Json.Text(r, "status"), wantedStatus, StringComparison.OrdinalIgnoreCase))
                .Where(r => wantedKind is null || string.Equals(Json.Text(r, "category"), wantedKind, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(Json.Text(r, "categoryName"), wantedKind, StringComparison.OrdinalIgnoreCase))
                .ToList();
            return Print(context, json, runs, "No runs.", RunColumns);
        });
    }

    private static Command Resend(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var document = new Argument<string>("document") { Description = "The document id to deliver again, also where it was delivered already." };
        return Api(context, "resend", "Deliver one document again to its connections.", [dossier, document], async (parse, client, json, ct) =>
        {
            var run = await client.ExportAsync(parse.GetValue(dossier)!, new ExportRequest([parse.GetValue(document)!], null, null, null, Resend: true, DryRun: false), ct);
            WriteResult(context, json, run, $"Resend of {parse.GetValue(document)} queued as run {Json.Text(run, "runId")}.");
            return KoppelCommandLine.Success;
        });
    }

    private static Command Export(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var from = new Option<string>("--from") { Description = "Documents received at or after this ISO 8601 date/time.", Required = true };
        var to = new Option<string>("--to") { Description = "Documents received before this ISO 8601 date/time.", Required = true };
        var connection = new Option<string>("--connection") { Description = "Only to this connection (its id)." };
        var resend = new Option<bool>("--resend") { Description = "Also send documents that were delivered already." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Send nothing: show what would be sent and what is skipped as delivered already." };
        var noWait = new Option<bool>("--no-wait") { Description = "Queue the export and return at once, without waiting for its run to end." };
        return Api(context, "export", "Send a dossier's documents of a date range again (or, with --dry-run, show what would be sent).",
            [dossier, from, to, connection, resend, dryRun, noWait], async (parse, client, json, ct) =>
            {
                var dossierId = parse.GetValue(dossier)!;
                var request = new ExportRequest(null, parse.GetValue(from), parse.GetValue(to), parse.GetValue(connection), parse.GetValue(resend), parse.GetValue(dryRun));
                var answer = await client.ExportAsync(dossierId, request, ct);
                if (request.DryRun)
                {
                    WritePreview(context, json, answer);
                    return KoppelCommandLine.Success;
                }

                if (parse.GetValue(noWait))
                {
                    WriteResult(context, json, answer, $"Export queued as run {Json.Text(answer, "runId")}.");
                    return KoppelCommandLine.Success;
                }

                var run = await WaitForRunAsync(context, client, dossierId, answer, ct);
                var status = Read(run);
                WriteResult(context, json, run, $"Export run {status.RunId} ended {status.Status}: {status.SucceededDocuments} sent, {status.FailedDocuments} failed, {status.SkippedDocuments} skipped of {status.TotalDocuments}."
                    + (string.IsNullOrWhiteSpace(status.ResultText) ? "" : " " + status.ResultText));
                return status.Status == "Failed" ? KoppelCommandLine.RunFailed : KoppelCommandLine.Success;
            });
    }

    private static Command DeadLetters(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var command = Api(context, "dead-letters", "List a dossier's deliveries that gave up (dead-lettered) with their last error.", [dossier], async (parse, client, json, ct) =>
            Print(context, json, await client.ListDeadLettersAsync(parse.GetValue(dossier)!, ct), "No dead letters.",
                Column.Of("DOCUMENT", "documentId"), Column.Of("DELIVERY", "deliveryId"), Column.Of("PROVIDER", "provider"), Column.Of("CONNECTION", "connectionId"),
                Column.Of("ATTEMPTS", "attempts"), new Column("SINCE", d => Json.Time(d, "updatedAt")), Column.Of("LAST ERROR", "lastError")));
        command.Subcommands.Add(RetryDeadLetter(context));
        command.Subcommands.Add(DiscardDeadLetter(context));
        return command;
    }

    private static Argument<string> DeliveryArgument() => new("delivery") { Description = "The delivery id (see 'koppel dead-letters <dossier>')." };

    private static Command RetryDeadLetter(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var delivery = DeliveryArgument();
        return Api(context, "dead-letters retry", "Send a dead-lettered (or failed) delivery again, with a new round of attempts.", [dossier, delivery], async (parse, client, json, ct) =>
        {
            var retried = await client.RetryDeliveryAsync(parse.GetValue(dossier)!, parse.GetValue(delivery)!, ct);
            WriteResult(context, json, retried, $"Delivery {Json.Text(retried, "deliveryId")} of document {Json.Text(retried, "documentId")} is queued again for {Json.Text(retried, "provider")}.");
            return KoppelCommandLine.Success;
        });
    }

    private static Command DiscardDeadLetter(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var delivery = DeliveryArgument();
        var reason = new Option<string>("--reason") { Description = "Why it need not be sent (e.g. booked by hand); kept in the document's history." };
        return Api(context, "dead-letters discard", "Close a dead-lettered (or failed) delivery for good: it will not be sent.", [dossier, delivery, reason], async (parse, client, json, ct) =>
        {
            var discarded = await client.DiscardDeliveryAsync(parse.GetValue(dossier)!, parse.GetValue(delivery)!, parse.GetValue(reason), ct);
            WriteResult(context, json, discarded, $"Delivery {Json.Text(discarded, "deliveryId")} of document {Json.Text(discarded, "documentId")} is discarded; it will not be sent to {Json.Text(discarded, "provider")}.");
            return KoppelCommandLine.Success;
        });
    }

    private static Command Quarantine(ApiCommandContext context)
    {
        var dossier = new Option<string>("--dossier") { Description = "Only this dossier's refused files." };
        var command = Api(context, "quarantine", "List refused (quarantined) files with their reasons.", [dossier], async (parse, client, json, ct) =>
            Print(context, json, await client.ListQuarantineAsync(parse.GetValue(dossier), ct), "No quarantined files.",
                new Column("AT", q => Json.Time(q, "reason.at")), Column.Of("DOSSIER", "reason.dossierId"), Column.Of("CODE", "reason.code"),
                Column.Of("REASON", "reason.message"), Column.Of("PATH", "path")));
        command.Subcommands.Add(Reingest(context));
        return command;
    }

    private static Command Reingest(ApiCommandContext context)
    {
        var path = new Argument<string>("path") { Description = "The refused file's path, as 'koppel quarantine' lists it." };
        var dossier = new Option<string>("--dossier") { Description = "Ingest it into this dossier (e.g. one created since it was refused)." };
        return Api(context, "quarantine reingest", "Ingest a refused file again once its cause is fixed; says whether it is accepted now.", [path, dossier], async (parse, client, json, ct) =>
        {
            var (status, answer) = await client.ReingestAsync(parse.GetValue(path)!, parse.GetValue(dossier), ct);
            return Ingested(context, json, "quarantine reingest", parse.GetValue(path)!, status, answer);
        });
    }

    private static Command Upload(ApiCommandContext context)
    {
        var dossier = DossierArgument();
        var file = new Argument<string>("file") { Description = "The file to send: a UBL invoice or credit note, a CODA statement, a PDF..." };
        return Api(context, "upload", "Upload a document into a dossier.", [dossier, file], async (parse, client, json, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                context.Error.WriteLine($"koppel upload: the file {path} does not exist.");
                return KoppelCommandLine.ReadFailure;
            }

            var (status, answer) = await client.UploadAsync(parse.GetValue(dossier)!, path, ct);
            return Ingested(context, json, "upload", path, status, answer);
        });
    }

    /// <summary>An upload's or re-ingest's answer: accepted, seen before, or refused into quarantine (exit 6) with why.</summary>
    private static int Ingested(ApiCommandContext context, bool json, string command, string path, HttpStatusCode status, JsonElement answer)
    {
        var file = Path.GetFileName(path);
        if (status == HttpStatusCode.UnprocessableEntity)
        {
            if (json)
            {
                context.Output.WriteLine(answer.GetRawText());
            }

            context.Error.WriteLine($"koppel {command}: the server refused {file} and quarantined it: {Json.Text(answer, "quarantine.message")} ({Json.Text(answer, "quarantine.code")}).");
            return KoppelCommandLine.Rejected;
        }

        var documentId = Json.Text(answer, "documentId");
        WriteResult(context, json, answer, status == HttpStatusCode.OK
            ? $"{file} was received before, as document {documentId}; nothing new queued."
            : $"{file} accepted as document {documentId} ({Json.Text(answer, "kind")}); {Json.Text(answer, "deliveriesQueued")} deliveries queued.");
        return KoppelCommandLine.Success;
    }

    private static readonly Column[] RunColumns =
    [
        Column.Of("RUN", "runId"), Column.Of("KIND", "category"), Column.Of("WHAT", "categoryName"), Column.Of("STATUS", "status"), new Column("STARTED", r => Json.Time(r, "startedAt")),
        new Column("ENDED", r => Json.Time(r, "endedAt")), Column.Of("TOTAL", "totalDocuments"), Column.Of("OK", "succeededDocuments"),
        Column.Of("FAILED", "failedDocuments"), Column.Of("SKIPPED", "skippedDocuments"), Column.Of("RESULT", "resultText"),
    ];

    /// <param name="name">The command's name; for a subcommand with its parent's before it ("connections add"), as its messages say it.</param>
    private static Command Api(ApiCommandContext context, string name, string description, Symbol[] symbols, ApiAction action)
    {
        var json = new Option<bool>("--json") { Description = "Print the API's JSON instead of a table." };
        var command = new Command(name[(name.LastIndexOf(' ') + 1)..], description) { json };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var settings = CliSettings.Resolve(parse.GetValue(context.Server), parse.GetValue(context.Key), context.Environment);
                using var client = new KoppelApiClient(settings, context.Environment.Handler);
                return await action(parse, client, parse.GetValue(json), ct);
            }
            catch (ApiFailure failure)
            {
                context.Error.WriteLine($"koppel {name}: {failure.Message}");
                return failure.ExitCode;
            }
            catch (IOException e)
            {
                context.Error.WriteLine($"koppel {name}: a file could not be read: {e.Message}");
                return KoppelCommandLine.ReadFailure;
            }
        });
        return command;
    }

    private static Argument<string> DossierArgument() => new("dossier") { Description = "The dossier's id (its enterprise number, digits only)." };

    private static int Print(ApiCommandContext context, bool json, IReadOnlyList<JsonElement> items, string empty, params Column[] columns)
    {
        if (json)
        {
            Json.WriteArray(context.Output, items);
        }
        else
        {
            Table.Write(context.Output, items, columns, empty);
        }

        return KoppelCommandLine.Success;
    }

    private static void WriteResult(ApiCommandContext context, bool json, JsonElement answer, string sentence) =>
        context.Output.WriteLine(json ? answer.GetRawText() : sentence);

    private static void WritePreview(ApiCommandContext context, bool json, JsonElement preview)
    {
        if (json)
        {
            context.Output.WriteLine(preview.GetRawText());
            return;
        }

        var output = context.Output;
        output.WriteLine($"Dry run, nothing sent: {Json.Text(preview, "wouldSend")} deliveries would be sent, {Json.Text(preview, "alreadyDelivered")} skipped as delivered already ({Json.Text(preview, "documents")} documents in the range).");
        var items = preview.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        if (items.Count > 0)
        {
            output.WriteLine();
            Table.Write(output, items, [Column.Of("DOCUMENT", "documentId"), Column.Of("FILE", "fileName"), Column.Of("CONNECTION", "connectionId"), Column.Of("ACTION", "action"), Column.Of("REFERENCE", "providerReference")], "");
        }

        if (Json.Text(preview, "itemsTruncated") == "true")
        {
            output.WriteLine("(more documents than listed; use --json for the whole answer or a shorter range)");
        }
    }

    /// <summary>
    /// Asks how the run is doing until it ends, telling each change on stderr: in a terminal as one bar redrawn in place,
    /// otherwise (a log, a pipe) as a line per change.
    /// </summary>
    private static async Task<JsonElement> WaitForRunAsync(ApiCommandContext context, KoppelApiClient client, string dossier, JsonElement queued, CancellationToken ct)
    {
        var run = queued;
        string? last = null;
        var bar = context.Environment.ErrorIsTerminal;
        while (true)
        {
            var status = Read(run);
            var done = status.SucceededDocuments + status.FailedDocuments + status.SkippedDocuments;
            var progress = string.Create(CultureInfo.InvariantCulture, $"export {status.RunId}: {status.Status}, {done}/{status.TotalDocuments} documents done ({status.FailedDocuments} failed)");
            if (progress != last)
            {
                if (bar)
                {
                    // Queued: the total is still growing as the job pages through the range, so no bar yet.
                    var line = status.Status == "Queued" ? progress : $"{ProgressBar(done, status.TotalDocuments)} {progress}";
                    context.Error.Write("\r" + line.PadRight(last?.Length ?? 0));
                }
                else
                {
                    context.Error.WriteLine(progress);
                }

                last = progress;
            }

            if (status.HasEnded)
            {
                if (bar)
                {
                    context.Error.WriteLine();
                }

                return run;
            }

            await Task.Delay(context.Environment.PollInterval, ct);
            run = await client.GetRunAsync(dossier, status.RunId, ct);
        }
    }

    /// <summary>[##########----------]  50%: 20 cells, and the share done.</summary>
    internal static string ProgressBar(int done, int total)
    {
        const int Cells = 20;
        var share = total <= 0 ? 0 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Round(share * Cells, MidpointRounding.ToZero);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('-', Cells - filled)}] {share,4:P0}");
    }

    private static RunStatus Read(JsonElement run) =>
        run.Deserialize(CliJson.Default.RunStatus) ?? throw new ApiFailure(KoppelCommandLine.Unreachable, "The server answered an export without a run.");
}

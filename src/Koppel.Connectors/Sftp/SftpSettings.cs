using System.Text.RegularExpressions;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Sftp;

/// <summary>
/// Settings of an SFTP connection. The password, the private key and its passphrase are secrets: they come
/// from the secret store and never appear in <see cref="ToString"/>, results or messages.
/// </summary>
public sealed partial class SftpSettings
{
    public const string HostKey = "host";
    public const string PortKey = "port";
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";
    public const string PrivateKeyKey = "privateKey";
    public const string PrivateKeyPassphraseKey = "privateKeyPassphrase";
    public const string UploadPathKey = "uploadPath";
    public const string HostKeySha256Key = "hostKeySha256";

    public const int DefaultPort = 22;
    public const string DefaultUploadPath = "Invoice_import/";

    private SftpSettings()
    {
    }

    public string Host { get; private init; } = string.Empty;

    public int Port { get; private init; } = DefaultPort;

    public string Username { get; private init; } = string.Empty;

    public string? Password { get; private init; }

    /// <summary>OpenSSH or PEM private key text.</summary>
    public string? PrivateKey { get; private init; }

    public string? PrivateKeyPassphrase { get; private init; }

    /// <summary>The folder files go to, relative to the login folder unless it starts with '/'; empty means the login folder.</summary>
    public string UploadPath { get; private init; } = DefaultUploadPath;

    /// <summary>The pinned host key as SSH.NET's FingerPrintSHA256 (base64 without padding), or null when not pinned.</summary>
    public string? HostKeySha256 { get; private init; }

    /// <summary>Masks every secret of this connection in a text.</summary>
    internal SecretRedactor Redactor => new(Password, PrivateKey, PrivateKeyPassphrase);

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(HostKey, "Host name or IP address of the SFTP server.", Required: true),
        new(PortKey, "TCP port of the SFTP server.", DefaultValue: "22"),
        new(UsernameKey, "User to log in as.", Required: true),
        new(PasswordKey, "Password of the user. Either this or a private key is required.", Secret: true),
        new(PrivateKeyKey, "Private key of the user in OpenSSH or PEM text format (-----BEGIN ... PRIVATE KEY-----).", Secret: true),
        new(PrivateKeyPassphraseKey, "Passphrase of the private key, if it is encrypted.", Secret: true),
        new(UploadPathKey, "Folder to upload into, relative to the login folder unless it starts with '/'. It must exist.", DefaultValue: DefaultUploadPath),
        new(HostKeySha256Key, "SHA-256 fingerprint of the server's host key (as shown by Test connection, or ssh-keygen -l -E sha256). When set, a server with another key is refused."),
    ];

    public static SftpSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();

        var host = SettingsReader.Host(settings, HostKey, problems, "the SFTP server");
        var port = SettingsReader.Port(settings, PortKey, DefaultPort, problems);
        var username = SettingsReader.Required(settings, UsernameKey, problems, "the user to log in as");

        // Secrets are taken as they are: a leading space can be part of a password.
        var password = NullIfEmpty(settings.Get(PasswordKey));
        var privateKey = NullIfEmpty(settings.Get(PrivateKeyKey));
        var passphrase = NullIfEmpty(settings.Get(PrivateKeyPassphraseKey));
        if (password is null && privateKey is null)
        {
            problems.Add($"Either '{PasswordKey}' or '{PrivateKeyKey}' is required.");
        }

        var uploadPath = SettingsReader.Optional(settings, UploadPathKey) ?? DefaultUploadPath;
        if (uploadPath.Replace('\\', '/').Split('/').Any(segment => segment == ".."))
        {
            problems.Add($"'{UploadPathKey}' must not contain '..', not '{uploadPath}'.");
        }

        var fingerprint = NormalizeFingerprint(SettingsReader.Optional(settings, HostKeySha256Key));
        if (fingerprint is not null && !Sha256Base64().IsMatch(fingerprint))
        {
            problems.Add($"'{HostKeySha256Key}' must be a SHA-256 fingerprint: 43 base64 characters, optionally prefixed with 'SHA256:'.");
        }

        problems.ThrowIfAny("SFTP");
        return new SftpSettings
        {
            Host = host,
            Port = port,
            Username = username,
            Password = password,
            PrivateKey = privateKey,
            PrivateKeyPassphrase = passphrase,
            UploadPath = uploadPath,
            HostKeySha256 = fingerprint,
        };
    }

    /// <summary>The upload folder as SFTP sees it: "." for the login folder, "/" for the root, else without a trailing slash.</summary>
    public string UploadFolder
    {
        get
        {
            var folder = UploadPath.Replace('\\', '/');
            if (folder.Length > 1)
            {
                folder = folder.TrimEnd('/');
            }

            return folder.Length == 0 ? "." : folder;
        }
    }

    /// <summary>The remote path of a file in the upload folder.</summary>
    public string RemotePathOf(string fileName) => UploadFolder switch
    {
        "." => fileName,
        "/" => "/" + fileName,
        var folder => $"{folder}/{fileName}",
    };

    /// <summary>"SHA256:abc=" (ssh-keygen) and "abc" (SSH.NET) are the same fingerprint.</summary>
    public static string? NormalizeFingerprint(string? fingerprint) =>
        fingerprint is null ? null
        : (fingerprint.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase) ? fingerprint[7..] : fingerprint).Trim().TrimEnd('=');

    public override string ToString() =>
        $"sftp://{Username}@{Host}:{Port}/{UploadPath} (auth: {(PrivateKey is null ? "password" : "private key")}, host key {(HostKeySha256 is null ? "not pinned" : "pinned")})";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex("^[A-Za-z0-9+/]{43}$")]
    private static partial Regex Sha256Base64();
}

using Koppel.Connectors.Sftp;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Tests.Sftp;

public sealed class SftpSettingsTests
{
    private static SftpSettings With(string key, string value)
    {
        var options = new Dictionary<string, string> { ["host"] = "sftp.example.be", ["username"] = "u", [key] = value };
        return SftpSettings.From(TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = "p" }));
    }

    [Theory]
    [InlineData("Invoice_import/", "Invoice_import/x.xml")]
    [InlineData("in\\sub\\", "in/sub/x.xml")]
    [InlineData(".", "x.xml")]
    [InlineData("/", "/x.xml")]
    [InlineData("/srv/import/", "/srv/import/x.xml")]
    public void The_upload_path_is_joined_to_the_file_name(string uploadPath, string expected)
    {
        Assert.Equal(expected, With("uploadPath", uploadPath).RemotePathOf("x.xml"));
    }

    [Fact]
    public void Defaults_are_port_22_and_Invoice_import()
    {
        var settings = With("hostKeySha256", "SHA256:" + new string('A', 43) + "=");

        Assert.Equal(22, settings.Port);
        Assert.Equal("Invoice_import/x", settings.RemotePathOf("x"));
        Assert.Equal(new string('A', 43), settings.HostKeySha256);
    }

    [Theory]
    [InlineData("host", "not a host!", "'host' must be a host name or IP address")]
    [InlineData("port", "70000", "'port' must be a port number between 1 and 65535, not '70000'.")]
    [InlineData("uploadPath", "../etc", "'uploadPath' must not contain '..'")]
    [InlineData("hostKeySha256", "MD5:aa:bb", "'hostKeySha256' must be a SHA-256 fingerprint")]
    public void Bad_values_are_named(string key, string value, string expected)
    {
        var error = Assert.Throws<ConnectorConfigurationException>(() => With(key, value));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

using Koppel.Connectors.Email;
using Koppel.Connectors.LocalFolder;
using Koppel.Connectors.Sftp;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests;

public sealed class ConnectorDescriptorTests
{
    public static TheoryData<string, string[]> SecretsPerProvider => new()
    {
        { LocalFolderConnector.ProviderKey, [] },
        { SftpConnector.ProviderKey, ["password", "privateKey", "privateKeyPassphrase"] },
        { EmailConnector.ProviderKey, ["password"] },
    };

    private static ConnectorCatalog Catalog() => new([new LocalFolderConnector(Microsoft.Extensions.Options.Options.Create(new LocalFolderOptions())), new SftpConnector(TestNetwork.LoopbackAllowed), new EmailConnector(TestNetwork.LoopbackAllowed)]);

    [Theory]
    [MemberData(nameof(SecretsPerProvider))]
    public void Each_connector_hands_over_every_kind_and_flags_exactly_its_secrets(string provider, string[] secrets)
    {
        var descriptor = Catalog().Find(provider)!.Descriptor;

        Assert.Equal(ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection, descriptor.Capabilities);
        Assert.Equal(Enum.GetValues<DocumentKind>(), descriptor.Delivers.Keys.Order());
        Assert.All(descriptor.Delivers.Values, mode => Assert.Equal(DeliveryMode.HandOver, mode));
        Assert.Equal(secrets, descriptor.Settings.Where(s => s.Secret).Select(s => s.Name));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Notes));
    }

    [Fact]
    public void The_email_connector_offers_a_mailbox_and_an_attachment_choice_per_kind()
    {
        var names = Catalog().Find(EmailConnector.ProviderKey)!.Descriptor.Settings.Select(s => s.Name).ToHashSet();

        Assert.All(Enum.GetValues<DocumentKind>(), kind =>
        {
            Assert.Contains($"mailbox.{kind}", names);
            Assert.Contains($"attach.{kind}", names);
        });
    }
}

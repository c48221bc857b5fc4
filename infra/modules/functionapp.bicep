// The Koppel Functions app on a Flex Consumption (FC1) plan: Linux, scale to zero, per-function scaling.
// Every connection is identity-based (the user-assigned identity made in main.bicep); no setting holds a secret.
//
// Time zone: Flex Consumption runs on Linux, where WEBSITE_TIME_ZONE is not supported, so every TimerTrigger cron is
// UTC. The stale-delivery sweep (every 5 minutes) does not care. A wall-clock schedule such as the 07:00/14:00
// Europe/Brussels payment poll must fire at both UTC candidates (05,06,12,13) and act only when Brussels local time
// is 07:00 or 14:00, which stays right across daylight-saving changes (docs/deploy.md, "Schedules and time zones").

@description('Required. Name of the Functions app (globally unique host name).')
param name string

@description('Required. Name of the Flex Consumption plan.')
param planName string

@description('Required. Azure region.')
param location string

@description('Required. Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Required. Client id of that identity; the identity-based settings and DefaultAzureCredential need it to pick it.')
param identityClientId string

@description('Required. Storage endpoints and names from storage.bicep.')
param storage storageSettings

@description('Required. Service Bus namespace host name and delivery queue.')
param serviceBus serviceBusSettings

@description('Required. URI of the Key Vault that holds connection credentials.')
param keyVaultUri string

@description('Required. Application Insights connection string (no secret: local authentication is off).')
param appInsightsConnectionString string

@description('Optional. How far the app may scale out, and the memory of each instance.')
param scale scaleSettings = {
  maximumInstanceCount: 40
  instanceMemoryMB: 2048
}

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Storage account facts the app settings need.')
type storageSettings = {
  @description('Name of the account.')
  accountName: string
  @description('https://{account}.blob.{suffix}/')
  blobEndpoint: string
  @description('https://{account}.queue.{suffix}/')
  queueEndpoint: string
  @description('https://{account}.table.{suffix}/')
  tableEndpoint: string
  @description('URL of the container the app package is deployed to.')
  deploymentContainerUrl: string
}

@description('Where delivery work goes.')
type serviceBusSettings = {
  @description('e.g. koppel-prod.servicebus.windows.net')
  fullyQualifiedNamespace: string
  @description('The session-enabled delivery queue.')
  queueName: string
}

@export()
@description('Flex Consumption scale settings.')
type scaleSettings = {
  @description('Upper bound of instances (40-1000).')
  @minValue(40)
  @maxValue(1000)
  maximumInstanceCount: int
  @description('Memory of one instance.')
  instanceMemoryMB: 512 | 2048 | 4096
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: storage.deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: scale
      // FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not app settings on Flex Consumption: this is.
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // The host's own storage.
    AzureWebJobsStorage__accountName: storage.accountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // Koppel's data: the blob trigger's connection ("KoppelStorage") and Koppel's adapters read the same settings.
    KoppelStorage__blobServiceUri: storage.blobEndpoint
    KoppelStorage__queueServiceUri: storage.queueEndpoint
    KoppelStorage__tableServiceUri: storage.tableEndpoint
    KoppelStorage__credential: 'managedidentity'
    KoppelStorage__clientId: identityClientId
    // The delivery queue: the trigger's connection ("ServiceBus") and Koppel's REST sender.
    ServiceBus__fullyQualifiedNamespace: serviceBus.fullyQualifiedNamespace
    ServiceBus__credential: 'managedidentity'
    ServiceBus__clientId: identityClientId
    DeliveryQueueName: serviceBus.queueName
    Koppel__Azure__KeyVaultUri: keyVaultUri
    // DefaultAzureCredential in Koppel's own clients (tables, Key Vault, the Service Bus sender) picks this identity.
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName

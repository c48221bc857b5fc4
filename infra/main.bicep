// Koppel on Azure: the Functions app (Flex Consumption) with its storage, Service Bus delivery queue, Key Vault and
// monitoring. Local modules only, in the style of Azure Verified Modules (registry modules cannot be restored offline).
// Deploy: docs/deploy.md.

targetScope = 'resourceGroup'

import { scaleSettings } from 'modules/functionapp.bicep'

@description('Required. Short name of the installation, used in every resource name (lower-case letters and digits).')
@minLength(3)
@maxLength(10)
param baseName string

@description('Required. Which environment this is.')
param environmentName deploymentEnvironment

@description('Optional. Azure region; the resource group\'s by default.')
param location string = resourceGroup().location

@description('Optional. Flex Consumption scale settings of the Functions app.')
param functionScale scaleSettings = {
  maximumInstanceCount: 40
  instanceMemoryMB: 2048
}

@description('Optional. Second pass, after the Functions code is published: subscribe the function to BlobCreated events of the inbox.')
param subscribeInboxEvents bool = false

@description('Optional. Tags for every resource.')
param tags object = {}

@description('The environments Koppel is deployed to.')
type deploymentEnvironment = 'dev' | 'test' | 'prod'

// Globally unique names stay stable for a resource group, so redeploying updates instead of duplicating.
var suffix = take(uniqueString(resourceGroup().id, baseName, environmentName), 6)
var name = '${baseName}-${environmentName}'
var allTags = union(tags, { application: 'koppel', environment: environmentName })

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${name}'
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${name}'
    appInsightsName: 'appi-${name}'
    location: location
    publisherPrincipalId: identity.properties.principalId
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${baseName}${environmentName}${suffix}', 24)
    location: location
    principalId: identity.properties.principalId
    tags: allTags
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    namespaceName: 'sb-${name}-${suffix}'
    location: location
    principalId: identity.properties.principalId
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv${baseName}${environmentName}${suffix}'
    location: location
    principalId: identity.properties.principalId
    tags: allTags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: 'func-${name}-${suffix}'
    planName: 'plan-${name}'
    location: location
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storage: {
      accountName: storage.outputs.accountName
      blobEndpoint: storage.outputs.blobEndpoint
      queueEndpoint: storage.outputs.queueEndpoint
      tableEndpoint: storage.outputs.tableEndpoint
      deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    }
    serviceBus: {
      fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
      queueName: serviceBus.outputs.queueName
    }
    keyVaultUri: keyVault.outputs.uri
    appInsightsConnectionString: monitoring.outputs.connectionString
    scale: functionScale
    tags: allTags
  }
}

module inboxEvents 'modules/inbox-events.bicep' = if (subscribeInboxEvents) {
  name: 'inbox-events'
  params: {
    systemTopicName: storage.outputs.systemTopicName
    functionAppName: functionApp.outputs.name
    inboxContainerName: storage.outputs.inboxContainerName
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.accountName
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output keyVaultUri string = keyVault.outputs.uri

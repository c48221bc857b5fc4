// One storage account for Koppel's data (inbox, archive, quarantine, tables), the Functions host's own storage
// (AzureWebJobsStorage) and the Flex Consumption deployment package. Shared keys are off: everything signs in with
// the app's managed identity, so there is no key to leak or rotate.
// Koppel's names carry no prefix (Koppel__Azure__NamePrefix stays empty): the account is Koppel's alone, and the blob
// trigger's path is the fixed "inbox/{dossier}/{name}".

@description('Required. Name of the storage account (3-24 lower-case letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Container that holds the Functions app package (Flex Consumption deploys from blob storage).')
param deploymentContainerName string = 'app-package'

@description('Optional. Days a deleted or overwritten blob, and a deleted container, can be restored.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionInDays int = 30

@description('Required. Principal id of the Functions app identity.')
param principalId string

@description('Optional. Tags for every resource.')
param tags object = {}

// Blob Data Owner, not Contributor: the blob trigger and the Functions host manage blob leases and receipts.
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// The blob trigger keeps poison messages and the host its coordination in queues of the same account.
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// 'events': every published event as CloudEvents JSON by hour, for the platform's batch consumers.
var koppelContainers = ['inbox', 'archive', 'quarantine', 'events']
var koppelTables = ['dossiers', 'connections', 'documents', 'deliveries', 'runlog', 'history', 'leases', 'quota', 'webhooks', 'webhookdeadletters', 'payments', 'pollslots', 'readback', 'relations']
// Manual exports, webhook posts, payment polls and relation syncs are jobs on these queues (the Functions app's queue triggers); deliveries go over Service Bus.
var koppelQueues = ['exports', 'exports-poison', 'webhooks', 'webhooks-poison', 'polls', 'polls-poison', 'relationsyncs', 'relationsyncs-poison']

resource account 'Microsoft.Storage/storageAccounts@2026-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-06-01' = {
  parent: account
  name: 'default'
  properties: {
    // The archive is content-addressed and never overwritten, so immutability policies are not needed to keep it
    // intact; versioning and soft delete undo an operator's mistake in any container.
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: softDeleteRetentionInDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteRetentionInDays }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-06-01' = [
  for container in concat(koppelContainers, [deploymentContainerName]): {
    parent: blobService
    name: container
    properties: { publicAccess: 'None' }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-06-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-06-01' = [
  for table in koppelTables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2026-06-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2026-06-01' = [
  for queue in koppelQueues: {
    parent: queueService
    name: queue
  }
]

// Every inbox file is deleted after ingestion, which versioning keeps as a previous version: drop those after a while.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2026-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-previous-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'] }
            actions: { version: { delete: { daysAfterCreationGreaterThan: 90 } } }
          }
        }
      ]
    }
  }
}

// The Flex Consumption blob trigger is event-driven only: Event Grid publishes BlobCreated from this topic.
// The subscription that points it at the function is in inbox-events.bicep, because it needs the app's
// blobs_extension key, which exists only once the app's code has been published.
resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: '${name}-events'
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageBlobDataOwnerRoleId)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwnerRoleId)
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageQueueDataContributorRoleId)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributorRoleId)
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageTableDataContributorRoleId)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
  }
}

output accountName string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainerName}'
output systemTopicName string = systemTopic.name
output inboxContainerName string = 'inbox'

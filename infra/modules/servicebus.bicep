// The delivery queue. Standard tier: sessions and duplicate detection do not exist on Basic.

@description('Required. Name of the Service Bus namespace (globally unique).')
param namespaceName string

@description('Required. Azure region.')
param location string

@description('Optional. Name of the delivery queue; the Functions app reads it from the DeliveryQueueName setting.')
param queueName string = 'deliveries'

@description('Optional. Deliveries the broker hands out before it dead-letters a message that keeps failing unsettled (a crash, storage down). Koppel\'s own retries are new messages and do not count here.')
@minValue(1)
@maxValue(100)
param maxDeliveryCount int = 10

@description('Required. Principal id of the Functions app identity, which both sends (retries, sweeps, ingestion) and receives.')
param principalId string

@description('Optional. Tags for every resource.')
param tags object = {}

var serviceBusDataSenderRoleId = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
var serviceBusDataReceiverRoleId = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    // Identity only: no shared access keys exist that could leak.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    // Session id = dossier: one dossier's deliveries are handled one at a time, in order.
    requiresSession: true
    // Message id = delivery id (+ attempt). The window covers the repeats that happen in practice: the sender's own
    // retry of a send, and "schedule next attempt, then complete" redone after a crash, which comes back within the
    // lock duration plus its renewal (minutes). Anything later is caught by the ledger, the real exactly-once guard;
    // a longer window would only make the broker keep more ids.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    // Longer than a delivery normally takes; the Functions host renews the lock up to maxAutoLockRenewalDuration.
    lockDuration: 'PT5M'
    maxDeliveryCount: maxDeliveryCount
    defaultMessageTimeToLive: 'P14D'
    // An expired delivery goes where an operator sees it instead of vanishing.
    deadLetteringOnMessageExpiration: true
    enablePartitioning: false
  }
}

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue.id, principalId, serviceBusDataSenderRoleId)
  scope: queue
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSenderRoleId)
  }
}

resource receiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queue.id, principalId, serviceBusDataReceiverRoleId)
  scope: queue
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiverRoleId)
  }
}

@description('host name of the namespace, e.g. koppel-prod.servicebus.windows.net (the ServiceBus__fullyQualifiedNamespace setting).')
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]

output queueName string = queue.name

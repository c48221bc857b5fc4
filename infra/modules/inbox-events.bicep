// Event Grid subscription: BlobCreated in the inbox container -> the Functions blob extension's webhook, which runs
// IngestBlob. Flex Consumption supports only this Event Grid source for blob triggers (no container polling).
// The webhook needs the app's "blobs_extension" system key; the host creates that key when it first starts with the
// blob extension loaded, so this module runs in a second pass, after the code was published (docs/deploy.md).

@description('Required. Name of the storage account\'s Event Grid system topic.')
param systemTopicName string

@description('Required. Name of the Functions app.')
param functionAppName string

@description('Required. Name of the inbox container (with the Koppel name prefix).')
param inboxContainerName string

@description('Optional. Name of the blob-triggered function, as in [Function(...)].')
param functionName string = 'IngestBlob'

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource inboxSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'inbox-to-${functionName}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${site.id}/host/default', '2025-03-01').systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${inboxContainerName}/'
    }
    // Event Grid retries for a day; a file whose events all failed stays in the inbox (never lost) and is picked up
    // when any later event for it arrives or when an operator re-uploads it.
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

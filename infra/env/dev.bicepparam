using '../main.bicep'

// Development: the smallest footprint Flex Consumption allows. Names derive from these; nothing here is secret.
param baseName = 'koppel'
param environmentName = 'dev'
param location = 'westeurope'
param functionScale = {
  maximumInstanceCount: 40
  instanceMemoryMB: 512
}
// The pipeline deploys twice: first without, then (after publishing the code) with the inbox subscription.
param subscribeInboxEvents = bool(readEnvironmentVariable('KOPPEL_SUBSCRIBE_INBOX_EVENTS', 'false'))
param tags = {
  costCenter: 'integration'
}

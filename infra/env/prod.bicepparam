using '../main.bicep'

// Production in West Europe. Names derive from these; nothing here is secret.
param baseName = 'koppel'
param environmentName = 'prod'
param location = 'westeurope'
param functionScale = {
  maximumInstanceCount: 100
  instanceMemoryMB: 2048
}
// The pipeline deploys twice: first without, then (after publishing the code) with the inbox subscription.
param subscribeInboxEvents = bool(readEnvironmentVariable('KOPPEL_SUBSCRIBE_INBOX_EVENTS', 'false'))
param tags = {
  costCenter: 'integration'
}

using '../main.bicep'

// Acceptance testing before production: production's instance size, a lower ceiling. Nothing here is secret.
param baseName = 'koppel'
param environmentName = 'test'
param location = 'westeurope'
param functionScale = {
  maximumInstanceCount: 40
  instanceMemoryMB: 2048
}
// The pipeline deploys twice: first without, then (after publishing the code) with the inbox subscription.
param subscribeInboxEvents = bool(readEnvironmentVariable('KOPPEL_SUBSCRIBE_INBOX_EVENTS', 'false'))
param tags = {
  costCenter: 'integration'
}

using 'main.bicep'

// Production in West Europe. Names derive from these; nothing here is secret.
param baseName = 'koppel'
param environmentName = 'prod'
param location = 'westeurope'
param functionScale = {
  maximumInstanceCount: 100
  instanceMemoryMB: 2048
}
// Set to true (or pass subscribeInboxEvents=true on the command line) for the second pass, after publishing the code.
param subscribeInboxEvents = false
param tags = {
  costCenter: 'integration'
}

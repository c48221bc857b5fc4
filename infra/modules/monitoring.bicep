// Log Analytics for the logs, Application Insights for traces, requests and dependencies of the Functions app.
// Local authentication is off: the app sends telemetry with its managed identity (Monitoring Metrics Publisher).

@description('Required. Name of the Log Analytics workspace.')
param workspaceName string

@description('Required. Name of the Application Insights component.')
param appInsightsName string

@description('Required. Azure region.')
param location string

@description('Optional. Days the workspace keeps logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 90

@description('Required. Principal id of the Functions app identity, allowed to publish telemetry.')
param publisherPrincipalId string

@description('Optional. Tags for every resource.')
param tags object = {}

var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, publisherPrincipalId, monitoringMetricsPublisherRoleId)
  scope: appInsights
  properties: {
    principalId: publisherPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
  }
}

@description('The connection string holds only the ingestion endpoint and instrumentation key, which are not secrets; with local authentication off, telemetry needs the identity too.')
output connectionString string = appInsights.properties.ConnectionString

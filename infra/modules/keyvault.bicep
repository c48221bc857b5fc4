// Connection credentials live here and only here (Koppel stores a secret's name elsewhere). RBAC instead of access
// policies, so the same role assignments pattern as every other resource; purge protection so a deleted vault or
// secret cannot be destroyed for good before the retention period ends.

@description('Required. Name of the vault (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Required. Principal id of the Functions app identity, which writes and reads connection credentials.')
param principalId string

@description('Optional. Tags for every resource.')
param tags object = {}

// Koppel writes credentials when a connection is created or updated, so it needs more than Secrets User.
var keyVaultSecretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsOfficerRoleId)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficerRoleId)
  }
}

output uri string = vault.properties.vaultUri

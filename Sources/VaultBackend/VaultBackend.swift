// The VaultBackend module.

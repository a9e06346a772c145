// VaultBackendTests

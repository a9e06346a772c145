// MetastoreTests

// StrataCLITests

// CloudBackendsTests

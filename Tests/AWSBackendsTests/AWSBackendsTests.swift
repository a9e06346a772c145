// AWSBackendsTests

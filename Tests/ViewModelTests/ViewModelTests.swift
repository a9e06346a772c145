// ViewModelTests

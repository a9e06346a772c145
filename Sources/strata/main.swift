import Foundation
import StrataCLI

exit(await StrataMain.main())

import Foundation
import ViewModel

/// Carries actions from background tasks to the terminal thread, waking it through a pipe.
final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var actions: [AppAction] = []
    let readFD: Int32
    let writeFD: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError("cannot create the wake-up pipe") }
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    /// Queues an action for the terminal thread.
    func post(_ action: AppAction) {
        lock.lock()
        actions.append(action)
        lock.unlock()
        wake()
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Takes every queued action and empties the wake-up pipe.
    func drain() -> [AppAction] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buffer, buffer.count) > 0 {}
        lock.lock()
        defer { lock.unlock() }
        let taken = actions
        actions.removeAll()
        return taken
    }

    deinit {
        close(readFD)
        close(writeFD)
    }
}

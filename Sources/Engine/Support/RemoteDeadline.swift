import Foundation

/// The deadline of the tier load under way and the deployment's timeouts, carried as a task
/// local so that every request, retry and token fetch of that load — in child tasks too —
/// ends by it. The loader sets it; transports and retry policies read it.
public struct RemoteDeadline: Sendable {
    public var timeouts: RemoteTimeouts
    /// When the tier's whole load must be over.
    public var tierEnds: ContinuousClock.Instant
    /// The last problem a request of this load met, for the message when the deadline passes.
    public let faults: FaultNotes

    public init(timeouts: RemoteTimeouts, tierEnds: ContinuousClock.Instant) {
        self.timeouts = timeouts
        self.tierEnds = tierEnds
        self.faults = FaultNotes()
    }

    /// The deadline of the current tier load, if any.
    @TaskLocal public static var current: RemoteDeadline?

    /// Time left before the tier's deadline (zero or negative once it has passed).
    public var remaining: Duration { tierEnds - ContinuousClock.now }

    /// How long one request may take: what its client asks, capped by the deployment's
    /// request timeout and what is left of the tier's deadline (`standard` outside a load).
    public static func requestTimeout(asked: Duration) -> Duration {
        guard let current else { return min(asked, RemoteTimeouts.standard.request) }
        return min(asked, current.timeouts.request, current.remaining)
    }

    /// The connect timeout to use now.
    public static var connectTimeout: Duration { current?.timeouts.connect ?? RemoteTimeouts.standard.connect }

    /// Notes a problem of the current load (a timeout, a reset, a throttling answer); the
    /// text must hold no secret.
    public static func note(_ problem: String) { current?.faults.note(problem) }

    /// Runs `operation`, but returns (throwing `expired()`) once `deadline` passes or the
    /// calling task is cancelled, whether or not `operation` notices. The operation is
    /// cancelled then; task locals reach it.
    public static func race<T: Sendable>(until deadline: ContinuousClock.Instant,
                                         expired: @escaping @Sendable () -> any Error,
                                         _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let gate = ResumeGate<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                gate.install(continuation)
                let work = Task {
                    do { gate.finish(.success(try await operation())) } catch { gate.finish(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    gate.finish(.failure(expired()))
                }
                gate.onFinish { work.cancel(); timer.cancel() }
            }
        } onCancel: {
            gate.finish(.failure(CancellationError()))
        }
    }
}

/// The problems one tier load met, most recent last (a few, for messages).
public final class FaultNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String] = []

    public init() {}

    public func note(_ problem: String) {
        lock.withLock {
            notes.removeAll { $0 == problem }
            notes.append(problem)
            if notes.count > 3 { notes.removeFirst() }
        }
    }

    /// The latest problem, or `nil`.
    public var last: String? { lock.withLock { notes.last } }
}

/// Resumes a continuation once, with whichever result comes first, and then runs a clean-up.
private final class ResumeGate<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var result: Result<T, any Error>?
    private var cleanup: (@Sendable () -> Void)?

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = lock.withLock {
            if result == nil { self.continuation = continuation }
            return result
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ outcome: Result<T, any Error>) {
        let (waiting, clean): (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) = lock.withLock {
            guard result == nil else { return (nil, nil) }
            result = outcome
            defer { continuation = nil; cleanup = nil }
            return (continuation, cleanup)
        }
        waiting?.resume(with: outcome)
        clean?()
    }

    func onFinish(_ work: @escaping @Sendable () -> Void) {
        let finished: Bool = lock.withLock {
            if result == nil { cleanup = work }
            return result != nil
        }
        if finished { work() }
    }
}

import Foundation

/// The deadline of the tier load under way and the deployment's timeouts, carried as a task
/// local so that every request, retry and token fetch of that load — in child tasks too —
/// ends by it. The loader sets it; transports and retry policies read it.
public struct RemoteDeadline: Sendable {
    public var timeouts: RemoteTimeouts
    /// The last problem a request of this load met, for the message when the deadline passes.
    public let faults: FaultNotes
    private let ends: DeadlineInstant

    public init(timeouts: RemoteTimeouts, tierEnds: ContinuousClock.Instant) {
        self.timeouts = timeouts
        self.faults = FaultNotes()
        self.ends = DeadlineInstant(tierEnds)
    }

    /// When the tier's whole load must be over (moved later only when the whole process
    /// could not run, see `race`).
    public var tierEnds: ContinuousClock.Instant { ends.value }

    /// Runs the tier's load within this deadline (see the static `race`).
    public func race<T: Sendable>(expired: @escaping @Sendable () -> any Error,
                                  _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Self.race(ends, expired: expired, operation)
    }

    /// The deadline of the current tier load, if any.
    @TaskLocal public static var current: RemoteDeadline?

    /// Time left before the tier's deadline (zero or negative once it has passed).
    public var remaining: Duration { tierEnds - ContinuousClock.now }

    /// How long one request may take: what its client asks, capped by the deployment's
    /// request timeout and what is left of the tier's deadline, though never below a second
    /// (the tier's own deadline ends the load anyway) — `standard` outside a load.
    public static func requestTimeout(asked: Duration) -> Duration {
        guard let current else { return min(asked, RemoteTimeouts.standard.request) }
        return min(asked, current.timeouts.request, max(current.remaining, .seconds(1)))
    }

    /// Whether the current tier's deadline has passed (never outside a load).
    public static var hasPassed: Bool { (current?.remaining ?? .seconds(1)) <= .zero }

    /// The connect timeout to use now.
    public static var connectTimeout: Duration { current?.timeouts.connect ?? RemoteTimeouts.standard.connect }

    /// Notes a problem of the current load (a timeout, a reset, a throttling answer); the
    /// text must hold no secret.
    public static func note(_ problem: String) { current?.faults.note(problem) }

    /// Runs `operation`, but returns (throwing `expired()`) once `deadline` passes or the
    /// calling task is cancelled, whether or not `operation` notices. The operation is
    /// cancelled then; task locals reach it.
    ///
    /// When the timer itself wakes late — the process was suspended, or its task pool was
    /// saturated — the operation could not run either, so the deadline moves by that lag
    /// (a few times, and by no more than the deadline's own span in all) instead of failing
    /// work that never got the time to finish.
    public static func race<T: Sendable>(until deadline: ContinuousClock.Instant,
                                         expired: @escaping @Sendable () -> any Error,
                                         _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await race(DeadlineInstant(deadline), expired: expired, operation)
    }

    /// The lag past which a timer's late wake-up counts as the process not running.
    static let tolerableLag: Duration = .milliseconds(250)
    /// How often a deadline may move for lag.
    static let maximumExtensions = 8

    private static func race<T: Sendable>(_ ends: DeadlineInstant, expired: @escaping @Sendable () -> any Error,
                                          _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let gate = ResumeGate<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                gate.install(continuation)
                let work = Task {
                    do { gate.finish(.success(try await operation())) } catch { gate.finish(.failure(error)) }
                }
                let timer = Task {
                    // Moved at most by the original span in all, so a deadline at most doubles.
                    var allowance = ends.value - ContinuousClock.now
                    var extensions = 0
                    while true {
                        let target = ends.value
                        do { try await Task.sleep(until: target, clock: .continuous) } catch { return }
                        let lag = min(ContinuousClock.now - target, allowance)
                        guard lag > tolerableLag, extensions < maximumExtensions else { break }
                        ends.extend(by: lag)
                        allowance -= lag
                        extensions += 1
                    }
                    gate.finish(.failure(expired()))
                }
                gate.onFinish { work.cancel(); timer.cancel() }
            }
        } onCancel: {
            gate.finish(.failure(CancellationError()))
        }
    }
}

/// A deadline instant that can move later, shared by a load's requests and its timer.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class DeadlineInstant: @unchecked Sendable {
    private let lock = NSLock()
    private var instant: ContinuousClock.Instant

    init(_ instant: ContinuousClock.Instant) { self.instant = instant }

    var value: ContinuousClock.Instant { lock.withLock { instant } }

    func extend(by lag: Duration) { lock.withLock { instant = instant + lag } }
}

/// Resumes a continuation once, with whichever result comes first, and then runs a clean-up.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
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

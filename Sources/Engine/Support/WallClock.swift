import Foundation

/// The current time, behind a protocol so that signing, token expiry and caches can be tested.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

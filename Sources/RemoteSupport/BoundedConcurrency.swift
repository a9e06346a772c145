/// Runs `work` over `items` with at most `limit` at a time, keeping the input order in the result.
public func mapConcurrently<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ work: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    await withTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        func startNext() {
            guard next < items.count else { return }
            let index = next, item = items[index]
            next += 1
            group.addTask { (index, await work(item)) }
        }
        for _ in 0..<max(1, limit) { startNext() }
        while let (index, result) = await group.next() {
            results[index] = result
            startNext()
        }
        return results.map { $0! }
    }
}

/// How wide an adaptive run may go, and where it starts.
public struct AdaptiveWindow: Sendable, Hashable {
    public var initial: Int
    public var minimum: Int
    public var maximum: Int

    public init(initial: Int, minimum: Int = 2, maximum: Int) {
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        self.initial = min(max(initial, self.minimum), self.maximum)
    }

    /// The window every remote tier reads its secrets with: starting at three times its
    /// configured `concurrency`, up to eight times it, narrower when reads come back throttled,
    /// failing or slow.
    public static func reads(concurrency: Int) -> AdaptiveWindow {
        AdaptiveWindow(initial: concurrency * 3, minimum: min(4, concurrency), maximum: concurrency * 8)
    }
}

/// Runs `work` over `items`, keeping the input order, with as many in flight as the server
/// takes (additive increase, multiplicative decrease): the window starts wide at
/// `window.initial`, grows by one after a window's worth of answers that show no pushback, and
/// halves (not below `window.minimum`) when `isPushback` says an answer pushed back (throttled,
/// a server error) or an answer took over four times the fastest seen and over a quarter second.
/// A small or busy server is not hammered; a fast one far away is used wide.
public func mapAdaptively<Item: Sendable, Output: Sendable>(
    _ items: [Item], window: AdaptiveWindow, isPushback: @escaping @Sendable (Output) -> Bool = { _ in false },
    _ work: @escaping @Sendable (Item) async -> Output
) async -> [Output] {
    await withTaskGroup(of: (Int, Output, Duration).self) { group in
        var results = [Output?](repeating: nil, count: items.count)
        var next = 0
        var inFlight = 0
        var width = AdaptiveWidth(window)
        func startWhileRoom() {
            while inFlight < width.limit, next < items.count {
                let index = next, item = items[index]
                next += 1
                inFlight += 1
                group.addTask {
                    let started = ContinuousClock.now
                    let output = await work(item)
                    return (index, output, ContinuousClock.now - started)
                }
            }
        }
        startWhileRoom()
        while let (index, output, took) = await group.next() {
            inFlight -= 1
            results[index] = output
            width.record(took: took, pushedBack: isPushback(output))
            startWhileRoom()
        }
        return results.map { $0! }
    }
}

/// How many requests an adaptive run keeps in flight, from the answers so far: one more after
/// a window's worth of clean answers, half as many after one that pushed back or took over four
/// times the fastest and over a quarter second.
struct AdaptiveWidth {
    private let window: AdaptiveWindow
    private var width: Double
    private var fastest: Duration?

    init(_ window: AdaptiveWindow) {
        self.window = window
        width = Double(window.initial)
    }

    /// Requests that may be in flight now.
    var limit: Int { Int(width) }

    mutating func record(took: Duration, pushedBack: Bool) {
        fastest = min(fastest ?? took, took)
        let slow = fastest.map { took > $0 * 4 && took > .milliseconds(250) } ?? false
        if pushedBack || slow {
            width = max(Double(window.minimum), width / 2)
        } else {
            width = min(Double(window.maximum), width + 1 / width)
        }
    }
}

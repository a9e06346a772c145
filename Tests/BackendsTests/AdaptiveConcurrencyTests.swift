import Foundation
import Testing
import RemoteSupport

/// Remote loads go as wide as the server takes: the window widens while answers come back
/// clean and halves when they push back, and results keep the input order.
@Suite("Adaptive concurrency")
struct AdaptiveConcurrencyTests {
    /// Counts requests in flight, and the most at once within each phase of a run.
    actor Gauge {
        var current = 0
        var peaks: [Int: Int] = [:]
        func enter(phase: Int) { current += 1; peaks[phase] = max(peaks[phase] ?? 0, current) }
        func leave() { current -= 1 }
    }

    @Test func cleanAnswersWidenTheWindowAndOrderIsKept() async {
        let gauge = Gauge()
        let items = Array(0..<400)
        let results = await mapAdaptively(items, window: AdaptiveWindow(initial: 4, minimum: 2, maximum: 32)) { item -> Int in
            await gauge.enter(phase: item < 6 ? 0 : 1)
            try? await Task.sleep(for: .milliseconds(5))
            await gauge.leave()
            return item * 2
        }
        #expect(results == items.map { $0 * 2 })
        let peaks = await gauge.peaks
        #expect((peaks[0] ?? 0) <= 5, "it starts at the initial width")
        #expect((peaks[1] ?? 0) > 8, "and widens while answers are clean: \(peaks)")
        #expect((peaks[1] ?? 0) <= 32)
    }

    @Test func pushbackHalvesTheWindowDownToTheMinimum() async {
        let gauge = Gauge()
        let items = Array(0..<200)
        _ = await mapAdaptively(items, window: AdaptiveWindow(initial: 16, minimum: 2, maximum: 32), isPushback: { _ in true }) { item -> Bool in
            await gauge.enter(phase: item < 100 ? 0 : 1)
            try? await Task.sleep(for: .milliseconds(2))
            await gauge.leave()
            return true
        }
        let peaks = await gauge.peaks
        #expect((peaks[0] ?? 0) >= 8, "it started wide: \(peaks)")
        #expect((peaks[1] ?? 0) <= 2, "every answer pushed back, so it narrowed to the minimum: \(peaks)")
    }
}

import Foundation
import Testing
import RemoteSupport

/// Listing and reading overlap: the items of a page are worked on while the next page is
/// fetched, under one window for the whole run, and the results keep the listing order.
@Suite("Adaptive concurrency while paging")
struct PagedAdaptiveConcurrencyTests {
    actor Signal {
        private(set) var raised = false
        func raise() { raised = true }
        /// Waits up to `limit` for the signal; whether it came.
        func wait(upTo limit: Duration) async -> Bool {
            let deadline = ContinuousClock.now + limit
            while !raised && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(2)) }
            return raised
        }
    }

    actor Gauge {
        var current = 0
        var peak = 0
        func enter() { current += 1; peak = max(peak, current) }
        func leave() { current -= 1 }
    }

    struct PageFailed: Error {}

    @Test func theFirstPagesItemsAreWorkedOnBeforeTheNextPageArrives() async throws {
        let firstWorkStarted = Signal()
        let results = try await mapAdaptivelyWhilePaging(from: 0, fetch: { page -> (items: [Int], next: Int?) in
            // Page 1 is only answered once work on page 0's items has begun: without the
            // overlap this waits out its limit and the test fails.
            if page == 1 { #expect(await firstWorkStarted.wait(upTo: .seconds(5)), "page 0's items were not started while page 1 was fetched") }
            return (Array(page * 10..<(page + 1) * 10), page < 2 ? page + 1 : nil)
        }, window: AdaptiveWindow(initial: 4, maximum: 8)) { item -> Int in
            await firstWorkStarted.raise()
            return item * 3
        }
        #expect(results.map(\.item) == Array(0..<30), "every listed item, in listing order")
        #expect(results.map(\.output) == (0..<30).map { $0 * 3 })
    }

    @Test func oneWindowSpansEveryPage() async throws {
        let gauge = Gauge()
        _ = try await mapAdaptivelyWhilePaging(from: 0, fetch: { page -> (items: [Int], next: Int?) in
            (Array(0..<10), page < 9 ? page + 1 : nil)
        }, window: AdaptiveWindow(initial: 4, minimum: 4, maximum: 4)) { _ -> Bool in
            await gauge.enter()
            try? await Task.sleep(for: .milliseconds(3))
            await gauge.leave()
            return true
        }
        #expect(await gauge.peak <= 4, "pages arriving together never widen the window")
        #expect(await gauge.peak >= 2)
    }

    @Test func aFailedPageEndsTheRunWithItsError() async {
        await #expect(throws: PageFailed.self) {
            _ = try await mapAdaptivelyWhilePaging(from: 0, fetch: { page -> (items: [Int], next: Int?) in
                if page == 2 { throw PageFailed() }
                return ([page], page + 1)
            }, window: AdaptiveWindow(initial: 2, maximum: 4)) { item in item }
        }
    }
}

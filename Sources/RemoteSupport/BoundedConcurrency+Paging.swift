/// `mapAdaptively` over items that arrive a page at a time: the work on a page's items starts
/// as soon as that page is in, while the next page is fetched, instead of after the last page.
/// One window (the same additive-increase, multiplicative-decrease rule) spans every page, so
/// overlapping pages never widen what the server sees. Page fetches do not count against it;
/// they come one after another, as each page names the next.
///
/// Returns each item with its output, in the order the items were listed. A failed page fetch
/// ends the run with its error (the work in flight is cancelled).
public func mapAdaptivelyWhilePaging<Page: Sendable, Item: Sendable, Output: Sendable>(
    from first: Page, fetch: @escaping @Sendable (Page) async throws -> (items: [Item], next: Page?),
    window: AdaptiveWindow, isPushback: @escaping @Sendable (Output) -> Bool = { _ in false },
    _ work: @escaping @Sendable (Item) async -> Output
) async throws -> [(item: Item, output: Output)] {
    typealias Event = PagedWorkEvent<Page, Item, Output>
    return try await withThrowingTaskGroup(of: Event.self) { group in
        var items: [Item] = []
        var outputs: [Output?] = []
        var next = 0
        var inFlight = 0
        var width = AdaptiveWidth(window)
        func fetchPage(_ page: Page) {
            group.addTask {
                let (items, following) = try await fetch(page)
                return .page(items: items, next: following)
            }
        }
        func startWhileRoom() {
            while inFlight < width.limit, next < items.count {
                let index = next, item = items[index]
                next += 1
                inFlight += 1
                group.addTask {
                    let started = ContinuousClock.now
                    let output = await work(item)
                    return .done(index: index, output: output, took: ContinuousClock.now - started)
                }
            }
        }
        fetchPage(first)
        while let event = try await group.next() {
            switch event {
            case .page(let listed, let following):
                items.append(contentsOf: listed)
                outputs.append(contentsOf: [Output?](repeating: nil, count: listed.count))
                if let following { fetchPage(following) }
            case .done(let index, let output, let took):
                inFlight -= 1
                outputs[index] = output
                width.record(took: took, pushedBack: isPushback(output))
            }
            startWhileRoom()
        }
        // Every item was started (the group ran dry) and every started item answered.
        return zip(items, outputs).compactMap { item, output in output.map { (item, $0) } }
    }
}

/// What a child task of `mapAdaptivelyWhilePaging` brings back: a page, or one item's answer.
enum PagedWorkEvent<Page: Sendable, Item: Sendable, Output: Sendable>: Sendable {
    case page(items: [Item], next: Page?)
    case done(index: Int, output: Output, took: Duration)
}

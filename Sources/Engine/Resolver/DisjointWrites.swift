/// Storage handed to `DispatchQueue.concurrentPerform` workers that each write their own,
/// non-overlapping part of it.
///
/// `@unchecked Sendable`: no two workers write the same element, and the owner reads only
/// after `concurrentPerform` has returned, which waits for every worker.
struct DisjointWrites<Pointee>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Pointee>
}

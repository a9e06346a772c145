/// Byte substring search: whether `needle` occurs within `hay[range]`. Strata's searches are over
/// short ids and lines, so a scan for the first byte is fast enough; matching bytes, not
/// characters, is what Python's `in` on `str` does for valid UTF-8.
public func containsBytes(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>,
                          within range: Range<Int>) -> Bool {
    let n = needle.count
    guard let first = needle.first else { return true }
    guard n <= range.count else { return false }
    var i = range.lowerBound
    let last = range.upperBound - n
    while i <= last {
        if hay[i] == first {
            var j = 1
            while j < n && hay[i + j] == needle[j] { j += 1 }
            if j == n { return true }
        }
        i += 1
    }
    return false
}

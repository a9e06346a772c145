extension String {
    /// Python's `str.rstrip(chars)`: drops trailing characters that occur anywhere in `characters`
    /// (an empty set strips nothing).
    func pythonRStrip(_ characters: String) -> String {
        guard !characters.isEmpty else { return self }
        let set = Set(characters)
        var end = endIndex
        while end > startIndex, set.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[..<end])
    }
}

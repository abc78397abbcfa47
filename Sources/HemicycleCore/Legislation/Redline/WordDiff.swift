/// Myers' O(ND) difference algorithm (E. W. Myers, "An O(ND) Difference Algorithm and Its Variations", 1986) on
/// tokens, written small for redlines.
///
/// `edits` returns the shortest edit script between two sequences whose edit distance is at most `maxDistance`.
/// Past it (two texts with almost nothing in common), the part between the common prefix and suffix is given as one
/// deletion and one insertion: still a correct diff, just not a minimal one, and time and memory stay bounded
/// (O((N + M) · D) time, O(D²) memory for the trace).
public enum WordDiff {
    /// The default bound on the edit distance searched.
    public static let defaultMaxDistance = 1_000

    /// The edit script turning `old` into `new`, element by element, in order.
    public static func edits<Element: Equatable>(
        _ old: [Element], _ new: [Element], maxDistance: Int = defaultMaxDistance
    ) -> [DiffRun.Operation] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
            old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
        {
            suffix += 1
        }
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])
        let middle = myers(a, b, maxDistance: maxDistance)
            ?? Array(repeating: .delete, count: a.count) + Array(repeating: .insert, count: b.count)
        return Array(repeating: .equal, count: prefix) + middle + Array(repeating: .equal, count: suffix)
    }

    /// The runs of a word-level diff of two texts (tokens: `TextToken`). Joining the `equal` and `delete` runs gives
    /// `old` back; joining the `equal` and `insert` runs gives `new`. Runs of one operation are merged; white space
    /// alone between two changes is folded into them (deletions before insertions), so a redline reads
    /// "~~old words~~ new words" rather than alternating single words.
    public static func diff(_ old: String, _ new: String, maxDistance: Int = defaultMaxDistance) -> [DiffRun] {
        let a = TextToken.split(old)
        let b = TextToken.split(new)
        let script = edits(a.map(\.text), b.map(\.text), maxDistance: maxDistance)
        var runs: [DiffRun] = []
        var i = 0
        var j = 0
        for operation in script {
            let text: String
            switch operation {
            case .equal:
                text = a[i].text
                i += 1
                j += 1
            case .delete:
                text = a[i].text
                i += 1
            case .insert:
                text = b[j].text
                j += 1
            }
            if let last = runs.last, last.operation == operation {
                runs[runs.count - 1].text += text
            } else {
                runs.append(DiffRun(operation, text))
            }
        }
        return foldSpaces(runs)
    }

    /// Turns equal runs of only white space between two changes into part of the change, then regroups each change
    /// as one deletion followed by one insertion.
    static func foldSpaces(_ runs: [DiffRun]) -> [DiffRun] {
        var result: [DiffRun] = []
        var deleted = ""
        var inserted = ""
        func flush() {
            if !deleted.isEmpty { result.append(DiffRun(.delete, deleted)) }
            if !inserted.isEmpty { result.append(DiffRun(.insert, inserted)) }
            deleted = ""
            inserted = ""
        }
        for (index, run) in runs.enumerated() {
            switch run.operation {
            case .delete:
                deleted += run.text
            case .insert:
                inserted += run.text
            case .equal:
                let between = index > 0 && index < runs.count - 1 && (!deleted.isEmpty || !inserted.isEmpty)
                    && runs[index + 1].operation != .equal
                if between && run.text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                    deleted += run.text
                    inserted += run.text
                } else {
                    flush()
                    result.append(run)
                }
            }
        }
        flush()
        return result
    }

    /// The shortest edit script, or nil when the distance exceeds `maxDistance`.
    static func myers<Element: Equatable>(_ a: [Element], _ b: [Element], maxDistance: Int) -> [DiffRun.Operation]? {
        let n = a.count
        let m = b.count
        if n == 0 { return Array(repeating: .insert, count: m) }
        if m == 0 { return Array(repeating: .delete, count: n) }
        let limit = min(n + m, maxDistance)
        let offset = limit + 1
        var v = Array(repeating: 0, count: 2 * limit + 3)
        // trace[d] is v as it was when step d began, for diagonals -(d + 1)...(d + 1).
        var trace: [[Int]] = []
        var found: Int?
        search: for d in 0...limit {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = d
                    break search
                }
            }
        }
        guard let distance = found else { return nil }
        var script: [DiffRun.Operation] = []
        var x = n
        var y = m
        for d in stride(from: distance, through: 0, by: -1) {
            let snapshot = trace[d]
            func value(_ k: Int) -> Int { snapshot[k + d + 1] }
            let k = x - y
            let previousK = (k == -d || (k != d && value(k - 1) < value(k + 1))) ? k + 1 : k - 1
            let previousX = value(previousK)
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                script.append(.equal)
                x -= 1
                y -= 1
            }
            if d > 0 {
                if x == previousX {
                    script.append(.insert)
                    y -= 1
                } else {
                    script.append(.delete)
                    x -= 1
                }
            }
        }
        return script.reversed()
    }
}

import HemicycleCore
import Testing

@Suite struct WordDiffTests {
    @Test func aRewordingReadsAsStruckAndInsertedWords() {
        let redline = Redline(
            from: "has lasted for 3 hours; and",
            to: "has lasted for 2 hours; and")
        #expect(redline.runs == [DiffRun(.equal, "has lasted for "), DiffRun(.delete, "3"), DiffRun(.insert, "2"), DiffRun(.equal, " hours; and")])
        #expect(redline.wordsDeleted == 1)
        #expect(redline.wordsInserted == 1)
        #expect(!redline.isUnchanged)
        #expect(Redline(from: "same", to: "same").isUnchanged)
    }

    @Test func spacesBetweenChangesFoldIntoOneChange() {
        let runs = WordDiff.diff("a chatbot must tell users", "a system shall inform users")
        #expect(runs == [
            DiffRun(.equal, "a "), DiffRun(.delete, "chatbot must tell"), DiffRun(.insert, "system shall inform"), DiffRun(.equal, " users"),
        ])
    }

    @Test func insertionsAndDeletionsAtTheEdges() {
        #expect(WordDiff.diff("", "new words") == [DiffRun(.insert, "new words")])
        #expect(WordDiff.diff("old words", "") == [DiffRun(.delete, "old words")])
        #expect(WordDiff.diff("", "") == [])
        #expect(WordDiff.diff("b c", "a b c d") == [DiffRun(.insert, "a "), DiffRun(.equal, "b c"), DiffRun(.insert, " d")])
    }

    @Test func editsAreMinimal() {
        // Against the length of a longest common subsequence computed by dynamic programming.
        var random = SeededGenerator(seed: 0xD1FF)
        for _ in 0..<400 {
            let a = (0..<Int.random(in: 0..<14, using: &random)).map { _ in Int.random(in: 0..<4, using: &random) }
            let b = (0..<Int.random(in: 0..<14, using: &random)).map { _ in Int.random(in: 0..<4, using: &random) }
            let script = WordDiff.edits(a, b)
            let equal = script.filter { $0 == .equal }.count
            #expect(equal == lcs(a, b), "\(a) \(b)")
            #expect(script.count == a.count + b.count - equal)
            var i = 0
            var j = 0
            for operation in script {
                switch operation {
                case .equal:
                    #expect(a[i] == b[j])
                    i += 1
                    j += 1
                case .delete: i += 1
                case .insert: j += 1
                }
            }
            #expect(i == a.count && j == b.count)
        }
    }

    @Test func theDiffRebuildsBothTexts() {
        var random = SeededGenerator(seed: 0x5EED)
        let words = ["the", "chatbot", "shall", "not", "3", "hours", ",", ";", "and", "or", "é", "—", "👩‍👩‍👧", " ", "  ", "\n"]
        for _ in 0..<500 {
            let old = (0..<Int.random(in: 0..<30, using: &random)).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }.joined(separator: " ")
            var newWords = old.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            for _ in 0..<Int.random(in: 0..<5, using: &random) where !newWords.isEmpty {
                let index = Int.random(in: 0..<newWords.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: newWords.remove(at: index)
                case 1: newWords.insert(words[Int.random(in: 0..<words.count, using: &random)], at: index)
                default: newWords[index] = words[Int.random(in: 0..<words.count, using: &random)]
                }
            }
            let new = newWords.joined(separator: " ")
            let redline = Redline(from: old, to: new)
            #expect(redline.oldText == old)
            #expect(redline.newText == new)
            for (first, second) in zip(redline.runs, redline.runs.dropFirst()) {
                #expect(first.operation != second.operation, "runs are merged")
                #expect(!(first.operation == .insert && second.operation == .delete), "deletions come first")
            }
        }
    }

    @Test func aBoundedSearchStillGivesACorrectDiff() {
        let old = (0..<300).map { "a\($0)" }
        let new = (0..<300).map { "b\($0)" }
        let script = WordDiff.edits(old, new, maxDistance: 10)
        #expect(script == Array(repeating: .delete, count: 300) + Array(repeating: .insert, count: 300))
        let shared = ["x"] + old + ["y"]
        let changed = ["x"] + new + ["y"]
        let bounded = WordDiff.edits(shared, changed, maxDistance: 10)
        #expect(bounded.first == .equal && bounded.last == .equal, "the common prefix and suffix are kept")
    }

    func lcs(_ a: [Int], _ b: [Int]) -> Int {
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }
}

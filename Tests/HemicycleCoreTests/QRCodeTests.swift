import Foundation
import Testing

@testable import HemicycleCore

/// The QR encoder against a reference encoder's output, module for module (`Tests/fixtures/qr-vectors.json`, made with
/// segno: byte mode, level M, each vector with its automatic mask and a forced one), and against published values.
@Suite struct QRCodeTests {
    struct Vector: Decodable, CustomTestStringConvertible {
        let name: String
        let text: String
        let version: Int
        let auto_mask: Int
        let masks: [String: [String]]
        var testDescription: String { name }
    }

    struct Vectors: Decodable { let vectors: [Vector] }

    static let vectors: [Vector] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/qr-vectors.json")
        guard let data = try? Data(contentsOf: url), let decoded = try? JSONDecoder().decode(Vectors.self, from: data) else { return [] }
        return decoded.vectors
    }()

    static func rows(_ code: QRCode) -> [String] {
        (0..<code.size).map { y in String((0..<code.size).map { code[$0, y] ? "1" : "0" }) }
    }

    @Test func theVectorsAreThere() {
        #expect(Self.vectors.count >= 10)
        #expect(Set(Self.vectors.map(\.version)) == Set(1...10).subtracting([2, 4]))
    }

    @Test(arguments: vectors)
    func everyForcedMaskMatchesTheReference(_ vector: Vector) throws {
        #expect(!vector.masks.isEmpty)
        for (mask, expected) in vector.masks {
            let code = try QRCode(text: vector.text, mask: Int(mask))
            #expect(code.version == vector.version)
            #expect(code.size == 17 + 4 * vector.version)
            #expect(code.mask == Int(mask))
            let rows = Self.rows(code)
            let wrong = zip(rows, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(wrong.isEmpty, "\(vector.name), mask \(mask): rows \(wrong) differ")
        }
    }

    /// Encoders score the masks slightly differently (the reference's choice differs from ours on half the vectors), so
    /// the automatic choice is checked for what matters: it is the lowest penalty of the eight under our rules, and the
    /// code it gives is the reference's code for that mask, module for module.
    @Test(arguments: vectors)
    func theChosenMaskHasTheLowestPenaltyAndGivesAValidCode(_ vector: Vector) throws {
        let code = try QRCode(text: vector.text)
        let penalties = try (0...7).map { mask in
            let forced = try QRCode(text: vector.text, mask: mask)
            return QRCode.penalty((0..<forced.size).flatMap { y in (0..<forced.size).map { forced[$0, y] } }, size: forced.size)
        }
        #expect(penalties[code.mask] == penalties.min(), "\(vector.name): \(penalties)")
        #expect(try QRCode(text: vector.text, mask: code.mask) == code)
        if let expected = vector.masks[String(code.mask)] { #expect(Self.rows(code) == expected) }
    }

    /// The four penalty rules on matrices whose scores are known by hand.
    @Test func thePenaltyRules() {
        let checkerboard = (0..<64).map { ($0 / 8 + $0 % 8) % 2 == 0 }
        #expect(QRCode.penalty(checkerboard, size: 8) == 0, "no runs, no blocks, no finder-like pattern, half dark")
        // All light, 7×7: 14 runs of 7 (3 + 2 each), 36 blocks (3 each), no dark module (50 % off: 10 × 10).
        #expect(QRCode.penalty(Array(repeating: false, count: 49), size: 7) == 14 * 5 + 36 * 3 + 100)
    }

    /// The published worked example of level 1-M ("HELLO WORLD" in alphanumeric mode): its 16 data codewords give these 10
    /// error correction codewords.
    @Test func reedSolomonMatchesThePublishedExample() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(data, divisor: ReedSolomon.divisor(degree: 10)) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
        #expect(ReedSolomon.multiply(0x80, 0x02) == 0x1D)
        #expect(ReedSolomon.multiply(0x53, 0x01) == 0x53)
    }

    @Test func theSmallestVersionThatHoldsTheBytesIsUsed() throws {
        for (count, version) in [(0, 1), (14, 1), (15, 2), (26, 2), (84, 5), (85, 6), (106, 6), (107, 7), (213, 10)] {
            #expect(try QRCode(bytes: Array(repeating: 0x61, count: count)).version == version, "\(count) bytes")
        }
        #expect(QRCode.dataCodewordCount(10) == 216)
        #expect(QRCode.alignmentPositions(7) == [6, 22, 38])
        #expect(QRCode.alignmentPositions(10) == [6, 28, 50])
    }

    @Test func tooMuchOrABadMaskIsRefused() {
        #expect(throws: QRCodeError(code: QRCodeError.tooLong, message: "A QR code here holds at most 213 bytes, not 214.")) {
            try QRCode(bytes: Array(repeating: 0x61, count: 214))
        }
        #expect { try QRCode(text: "x", mask: 8) } throws: { ($0 as? QRCodeError)?.code == QRCodeError.invalidMask }
        #expect { try QRCode(text: "x", mask: -1) } throws: { ($0 as? QRCodeError)?.code == QRCodeError.invalidMask }
    }

    /// Read back from the matrix alone: both copies of the format information say level M and the mask used.
    @Test(arguments: vectors)
    func theFormatInformationSaysLevelMAndTheMask(_ vector: Vector) throws {
        let code = try QRCode(text: vector.text)
        var first = 0, second = 0
        let firstPositions = (0...5).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
        for (i, p) in firstPositions.enumerated() where code[p.0, p.1] { first |= 1 << i }
        for i in 0..<8 where code[code.size - 1 - i, 8] { second |= 1 << i }
        for i in 8..<15 where code[8, code.size - 15 + i] { second |= 1 << i }
        #expect(first == second)
        let unmasked = first ^ 0x5412
        #expect(unmasked >> 13 == 0b00, "level M")
        #expect((unmasked >> 10) & 7 == code.mask)
        #expect(code[8, code.size - 8], "the dark module")
    }

    @Test func theSVGDrawsEveryDarkModuleOnceWithAQuietZone() throws {
        let code = try QRCode(text: "https://hemicycle.example/sittings/1")
        let svg = code.svg(title: "Join <the> \"sitting\" & ask")
        let side = code.size + 8
        #expect(svg.contains("viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("<title>Join &lt;the&gt; &quot;sitting&quot; &amp; ask</title>"))
        #expect(!svg.contains("<the>"))
        #expect(!svg.contains("style") && !svg.contains("script"))
        let runs = svg.matches(of: /M(\d+) (\d+)h(\d+)v1h-(\d+)z/)
        var drawn = Set<Int>()
        for run in runs {
            let x = try #require(Int(run.1)) - 4, y = try #require(Int(run.2)) - 4, length = try #require(Int(run.3))
            #expect(Int(run.4) == length)
            for dx in 0..<length {
                #expect(code[x + dx, y])
                #expect(drawn.insert(y * code.size + x + dx).inserted)
            }
        }
        let dark = (0..<code.size).reduce(0) { sum, y in sum + (0..<code.size).count(where: { code[$0, y] }) }
        #expect(drawn.count == dark)
        #expect(QRCode.escape("a\u{1}b\u{7F}") == "ab\u{7F}")
    }
}

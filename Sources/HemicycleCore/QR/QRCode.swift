/// A QR code (ISO/IEC 18004) of some bytes: byte mode, error correction level M, the smallest of versions 1 to 10
/// (21 to 57 modules a side, up to 213 bytes: a join address fits many times over).
///
/// Written here rather than taken from a package: no Swift package mirrored for this project encodes QR codes, the core
/// must stay pure (no C library such as libqrencode, no Foundation image types), and byte mode at one level for ten
/// versions is a few hundred lines that the tests check module for module against a reference encoder. The layout
/// follows the standard's steps: data bits, Reed–Solomon blocks over GF(256) interleaved, function patterns, the
/// zigzag placement, the eight masks scored by the four penalty rules, and the format and version information.
///
/// Modules are addressed `(x, y)`: column, then row, from the top left; `true` is dark.
public struct QRCode: Sendable, Equatable {
    /// The most bytes a code holds here (version 10-M: 216 data codewords, less the mode and 16-bit length).
    public static let maxBytes = 213

    /// 1...10.
    public let version: Int
    /// The mask pattern used, 0...7.
    public private(set) var mask: Int
    /// Modules a side: 17 + 4 × version.
    public let size: Int
    private var modules: [Bool]
    private var isFunction: [Bool]

    /// Encodes `text` as UTF-8.
    /// - Throws: `QRCodeError` `qr_too_long` past `maxBytes`, `qr_invalid_mask` for a forced mask outside 0...7.
    public init(text: String, mask: Int? = nil) throws(QRCodeError) {
        try self.init(bytes: Array(text.utf8), mask: mask)
    }

    /// Encodes `bytes` in byte mode at level M, in the smallest version that holds them.
    /// - Parameter mask: a mask to use (for tests against known vectors); nil picks the one with the lowest penalty.
    public init(bytes: [UInt8], mask: Int? = nil) throws(QRCodeError) {
        if let mask, !(0...7).contains(mask) {
            throw QRCodeError(code: QRCodeError.invalidMask, message: "A QR mask is 0 to 7, not \(mask).")
        }
        guard let version = (1...10).first(where: { Self.fits(bytes.count, version: $0) }) else {
            throw QRCodeError(code: QRCodeError.tooLong, message: "A QR code here holds at most \(Self.maxBytes) bytes, not \(bytes.count).")
        }
        self.version = version
        self.size = 17 + 4 * version
        self.mask = 0
        self.modules = Array(repeating: false, count: size * size)
        self.isFunction = Array(repeating: false, count: size * size)
        drawFunctionPatterns()
        drawCodewords(Self.interleaved(Self.dataCodewords(bytes, version: version), version: version))
        let chosen = mask ?? (0...7).min { penalty(masked: $0) < penalty(masked: $1) } ?? 0
        applyMask(chosen)
        drawFormatBits(mask: chosen)
        self.mask = chosen
    }

    /// Whether the module at column `x`, row `y` is dark; outside the code (the quiet zone) is light.
    public subscript(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    // MARK: - Capacity

    /// Error correction codewords per block at level M, by version (index 0 unused).
    static let eccPerBlock = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26]
    /// Reed–Solomon blocks at level M, by version.
    static let blocks = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5]

    /// Modules left for data and error correction once the function patterns are drawn.
    static func rawDataModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewordCount(_ version: Int) -> Int {
        rawDataModules(version) / 8 - eccPerBlock[version] * blocks[version]
    }

    /// The character count is 8 bits up to version 9, 16 from 10.
    static func countBits(_ version: Int) -> Int { version < 10 ? 8 : 16 }

    static func fits(_ count: Int, version: Int) -> Bool {
        count < (1 << countBits(version)) && 4 + countBits(version) + 8 * count <= dataCodewordCount(version) * 8
    }

    // MARK: - Data

    /// Mode 0100, the count, the bytes, up to four zero bits, zeros to a byte, then 0xEC 0x11 … to capacity.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ length: Int) {
            for i in stride(from: length - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, countBits(version))
        for byte in bytes { append(Int(byte), 8) }
        let capacity = dataCodewordCount(version) * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var codewords = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks (the short ones first), adds each block's error correction, and interleaves.
    static func interleaved(_ data: [UInt8], version: Int) -> [UInt8] {
        let blockCount = blocks[version], eccLength = eccPerBlock[version]
        let raw = rawDataModules(version) / 8
        let shortBlocks = blockCount - raw % blockCount
        let shortLength = raw / blockCount
        let divisor = ReedSolomon.divisor(degree: eccLength)
        var all: [[UInt8]] = []
        var start = 0
        for i in 0..<blockCount {
            let length = shortLength - eccLength + (i < shortBlocks ? 0 : 1)
            var block = Array(data[start..<start + length])
            start += length
            let ecc = ReedSolomon.remainder(block, divisor: divisor)
            if i < shortBlocks { block.append(0) }  // a place holder, skipped below, so that columns line up
            all.append(block + ecc)
        }
        var result: [UInt8] = []
        for column in 0..<all[0].count {
            for (j, block) in all.enumerated() where column != shortLength - eccLength || j >= shortBlocks {
                result.append(block[column])
            }
        }
        return result
    }

    // MARK: - Function patterns

    private mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    /// Centres of the alignment patterns on each axis.
    static func alignmentPositions(_ version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var result = [6]
        var position = 17 + 4 * version - 7
        while result.count < count {
            result.insert(position, at: 1)
            position -= step
        }
        return result
    }

    private mutating func drawFunctionPatterns() {
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard x >= 0, y >= 0, x < size, y < size else { continue }
                    let distance = max(abs(dx), abs(dy))
                    setFunction(x, y, distance != 2 && distance != 4)
                }
            }
        }
        let positions = Self.alignmentPositions(version)
        let last = positions.count - 1
        for (i, cx) in positions.enumerated() {
            for (j, cy) in positions.enumerated() where !((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0)) {
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormatBits(mask: 0)  // reserves the format areas; drawn again once the mask is chosen
        if version >= 7 {
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = version << 12 | remainder
            for i in 0..<18 {
                let dark = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3, b = i / 3
                setFunction(a, b, dark)
                setFunction(b, a, dark)
            }
        }
    }

    /// The 15 format bits (level M is 00, then the mask, BCH(15,5), XOR 0x5412), twice, and the dark module.
    private mutating func drawFormatBits(mask: Int) {
        let data = 0b00 << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)
    }

    // MARK: - Placement and masks

    /// Places the codewords' bits in two-module columns from the right, up then down, around the function patterns.
    private mutating func drawCodewords(_ codewords: [UInt8]) {
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }  // the vertical timing pattern takes a whole column
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    guard !isFunction[y * size + x], index < codewords.count * 8 else { continue }
                    modules[y * size + x] = (codewords[index >> 3] >> (7 - (index & 7))) & 1 == 1
                    index += 1
                }
            }
            right -= 2
        }
    }

    static func maskBit(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    private mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskBit(mask, x: x, y: y) {
                modules[y * size + x].toggle()
            }
        }
    }

    /// The penalty of the code with `mask` applied and its format bits drawn (the code itself is left as it was).
    private func penalty(masked mask: Int) -> Int {
        var copy = self
        copy.applyMask(mask)
        copy.drawFormatBits(mask: mask)
        return Self.penalty(copy.modules, size: size)
    }

    /// The four rules: runs of five or more (3 + the excess), 2×2 blocks (3 each), finder-like 1:1:3:1:1 patterns with
    /// four light modules on a side (40 each; outside the code counts as light), and the distance of the dark share
    /// from half (10 per 5 %).
    static func penalty(_ modules: [Bool], size: Int) -> Int {
        var total = 0
        func at(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }
        for horizontal in [true, false] {
            for line in 0..<size {
                var run = 0
                var previous: Bool?
                for i in 0..<size {
                    let dark = horizontal ? at(i, line) : at(line, i)
                    if dark == previous { run += 1 } else {
                        if run >= 5 { total += 3 + run - 5 }
                        run = 1
                        previous = dark
                    }
                }
                if run >= 5 { total += 3 + run - 5 }
                let pattern = [true, false, true, true, true, false, true]
                for start in 0...(size - 7) {
                    let matches = (0..<7).allSatisfy { k in (horizontal ? at(start + k, line) : at(line, start + k)) == pattern[k] }
                    guard matches else { continue }
                    func light(_ from: Int) -> Bool {
                        (from..<from + 4).allSatisfy { k in k < 0 || k >= size || !(horizontal ? at(k, line) : at(line, k)) }
                    }
                    if light(start - 4) { total += 40 }
                    if light(start + 7) { total += 40 }
                }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = at(x, y)
                if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c { total += 3 }
            }
        }
        let dark = modules.count(where: { $0 })
        let percent = dark * 100 / modules.count
        total += abs(percent - 50) / 5 * 10
        return total
    }
}

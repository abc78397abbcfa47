import Foundation

/// The binary file a worker writes at the end of a phase: every viewer's received counts with their arrival times.
///
/// Layout (little-endian): `HLF1`, viewer count (UInt32); per viewer: slow flag (UInt8), frame count (UInt32), then
/// per frame the value (Int64) and the time (UInt64, monotonic nanoseconds).
public enum FrameLog {
    public struct ViewerLog: Sendable, Equatable {
        public var slow: Bool
        public var frames: [FrameRecord]

        public init(slow: Bool, frames: [FrameRecord]) {
            self.slow = slow
            self.frames = frames
        }
    }

    public enum FormatError: Error { case badMagic, truncated }

    public static func write(_ logs: [ViewerLog], to path: String) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + logs.reduce(0) { $0 + 5 + 16 * $1.frames.count })
        bytes.append(contentsOf: Array("HLF1".utf8))
        append(UInt32(logs.count), to: &bytes)
        for log in logs {
            bytes.append(log.slow ? 1 : 0)
            append(UInt32(log.frames.count), to: &bytes)
            for frame in log.frames {
                append(UInt64(bitPattern: frame.value), to: &bytes)
                append(frame.time, to: &bytes)
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    public static func read(from path: String) throws -> [ViewerLog] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [ViewerLog] in
            var position = 0
            func take<T: FixedWidthInteger>(_: T.Type) throws -> T {
                let size = MemoryLayout<T>.size
                guard position + size <= raw.count else { throw FormatError.truncated }
                let value = raw.loadUnaligned(fromByteOffset: position, as: T.self)
                position += size
                return T(littleEndian: value)
            }
            guard raw.count >= 8, Array(raw[0..<4]) == Array("HLF1".utf8) else { throw FormatError.badMagic }
            position = 4
            let count = Int(try take(UInt32.self))
            var logs: [ViewerLog] = []
            logs.reserveCapacity(count)
            for _ in 0..<count {
                let slow = try take(UInt8.self) == 1
                let frameCount = Int(try take(UInt32.self))
                var frames: [FrameRecord] = []
                frames.reserveCapacity(frameCount)
                for _ in 0..<frameCount {
                    let value = Int64(bitPattern: try take(UInt64.self))
                    frames.append(FrameRecord(value: value, time: try take(UInt64.self)))
                }
                logs.append(ViewerLog(slow: slow, frames: frames))
            }
            return logs
        }
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Why a QR code could not be made.
public struct QRCodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `qr_too_long`: the text needs more than `QRCode.maxBytes` bytes (version 10 at error correction M).
    public static let tooLong = "qr_too_long"
    /// `qr_invalid_mask`: a forced mask outside 0...7.
    public static let invalidMask = "qr_invalid_mask"

    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// Why a regions import was refused: the file, the line (0 for the whole file) and what is wrong there.
public struct RegionImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file), line \(line): \(message)" : "\(file): \(message)" }
}

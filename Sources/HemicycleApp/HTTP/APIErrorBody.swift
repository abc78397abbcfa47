import HemicycleCore

/// The JSON error body every API error uses: `{"error":{"code","message","fields"?}}`.
enum APIErrorBody {
    static func json(code: String, message: String, fields: FieldErrors? = nil) -> String {
        var error: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let fields, !fields.isEmpty {
            error.append(("fields", .object(fields.entries.map { ($0.field, JSONValue.string($0.message)) })))
        }
        return JSONWriter.string(.object([("error", .object(error))]))
    }
}

import HemicycleCore

/// Reading a participant's comment (`POST /api/v1/bills/{id}/comments`, or the no-JavaScript form) into a
/// `BillCommentDraft`. Shapes are checked here (422 `invalid_input` naming the field); what they mean (the provision,
/// the quote, the text) is checked by the core.
enum BillInput {
    static func draft(_ body: JSONValue, participant: String) throws -> BillCommentDraft {
        let eIdText = try body.requiredString("eId")
        guard let eId = EId(eIdText) else { throw APIError.invalid("eId", "Not an eId (letters, digits, _ and -, at most 200).") }
        let kindText = try body.optionalString("kind") ?? "comment"
        guard let kind = BillCommentKind(rawValue: kindText) else {
            throw APIError.invalid("kind", "The kind must be comment, rewording or question.")
        }
        var key: ProvisionKey?
        if let text = try body.optionalString("key") {
            guard let parsed = ProvisionKey(text) else { throw APIError.invalid("key", "Not a provision key.") }
            key = parsed
        }
        var quote: TextQuoteSelector?
        switch body["quote"] {
        case nil, .null?: break
        case .object?:
            guard let exact = body["quote"]?["exact"]?.stringValue else { throw APIError.invalid("quote", "A quote needs its exact text.") }
            func context(_ name: String) throws -> String {
                switch body["quote"]?[name] {
                case nil, .null?: return ""
                case .string(let text)?: return text
                default: throw APIError.invalid("quote", "\(name) must be text.")
                }
            }
            quote = TextQuoteSelector(exact: exact, prefix: try context("prefix"), suffix: try context("suffix"))
        default:
            throw APIError.invalid("quote", "The quote must be an object {exact, prefix?, suffix?}.")
        }
        var position: TextPositionSelector?
        switch body["position"] {
        case nil, .null?: break
        case .object?:
            guard let start = body["position"]?["start"]?.intValue, let end = body["position"]?["end"]?.intValue,
                start >= 0, end >= 0, start <= Int64(Int32.max), end <= Int64(Int32.max)
            else { throw APIError.invalid("position", "A position needs integer start and end.") }
            position = TextPositionSelector(start: Int(start), end: Int(end))
        default:
            throw APIError.invalid("position", "The position must be an object {start, end}.")
        }
        return BillCommentDraft(
            participant: participant, kind: kind, text: try body.requiredString("text"), proposedText: try body.optionalString("proposed_text"),
            eId: eId, key: key, quote: quote, position: position, name: try body.optionalString("name"), region: try body.optionalString("region"))
    }

    /// A moderator's action (`POST /api/v1/bill-comments/{id}/moderation`).
    static func action(_ body: JSONValue) throws -> BillCommentAction {
        switch try body.requiredString("action") {
        case "approve": return .approve
        case "reject": return .reject(reasonCode: try body.requiredString("reason"))
        case "edit": return .edit(text: try body.requiredString("text"))
        case "edit_proposal": return .editProposal(text: try body.requiredString("proposed_text"))
        case "merge":
            guard let into = try body.optionalInt("into"), into > 0 else { throw APIError.invalid("into", "Give the id of the comment to merge into.") }
            return .merge(into: BillComment.ID(into))
        case let other:
            throw APIError.invalid("action", "Unknown action \(other.prefix(40)); use approve, reject, edit, edit_proposal or merge.")
        }
    }
}

public import HemicycleCore

/// The JSON text of the bill columns every SQL backend keeps (a version's document, a comment's fields, the marker,
/// a bill's settings), written and read here once so that SQLite and PostgreSQL store the same thing.
///
/// Reading is strict: a field missing or of the wrong type is `StoreError(.corrupt)`, never a silent default, except
/// for settings, where a limit added by a later version takes its default.
public enum BillRecordJSON {
    // MARK: - Settings

    public static func text(_ settings: BillSettings) -> String {
        JSONWriter.string(.object([
            ("moderation", .string(settings.moderation.rawValue)),
            ("max_comment_length", .int(Int64(settings.maxCommentLength))),
            ("max_proposed_text_length", .int(Int64(settings.maxProposedTextLength))),
            ("comments_per_minute", .int(Int64(settings.commentsPerMinute))),
            ("stances_per_second", .int(Int64(settings.stancesPerSecond))),
            ("ip_comments_per_minute", .int(Int64(settings.ipCommentsPerMinute))),
            ("ip_stances_per_second", .int(Int64(settings.ipStancesPerSecond))),
            ("allow_anonymous", .bool(settings.allowAnonymous)),
            ("rejection_reasons", .array(settings.rejectionReasons.map { reason in
                .object([("code", .string(reason.code)),
                         ("text", .object(reason.text.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
            })),
        ]))
    }

    public static func settings(_ text: String?) -> BillSettings {
        var settings = BillSettings()
        guard let text, let value = try? JSONValue.parse(Array(text.utf8)) else { return settings }
        if let raw = value["moderation"]?.stringValue, let moderation = HearingSettings.Moderation(rawValue: raw) { settings.moderation = moderation }
        func int(_ key: String, _ path: WritableKeyPath<BillSettings, Int>) {
            if let n = value[key]?.intValue, n > 0, n < Int64(Int32.max) { settings[keyPath: path] = Int(n) }
        }
        int("max_comment_length", \.maxCommentLength)
        int("max_proposed_text_length", \.maxProposedTextLength)
        int("comments_per_minute", \.commentsPerMinute)
        int("stances_per_second", \.stancesPerSecond)
        int("ip_comments_per_minute", \.ipCommentsPerMinute)
        int("ip_stances_per_second", \.ipStancesPerSecond)
        if case .bool(let allow)? = value["allow_anonymous"] { settings.allowAnonymous = allow }
        if let reasons = value["rejection_reasons"]?.arrayValue {
            let parsed: [RejectionReason] = reasons.compactMap { item in
                guard let code = item["code"]?.stringValue else { return nil }
                var texts: [String: String] = [:]
                for (language, text) in item["text"]?.objectValue ?? [] { texts[language] = text.stringValue }
                return RejectionReason(code: code, text: texts)
            }
            if !parsed.isEmpty { settings.rejectionReasons = parsed }
        }
        return settings
    }

    // MARK: - Documents

    public static func text(_ document: BillDocument) -> String {
        JSONWriter.string(.object([
            ("title", document.title.map { .string($0) } ?? .null),
            ("long_title", document.longTitle.map { .string($0) } ?? .null),
            ("preamble", .string(document.preamble)),
            ("provisions", .array(document.provisions.provisions.map { p in
                .object([
                    ("kind", .string(p.kind.rawValue)), ("num", .string(p.num)), ("heading", p.heading.map { .string($0) } ?? .null),
                    ("text", .string(p.text)), ("wrap_up", .string(p.wrapUp)), ("e_id", .string(p.eId.rawValue)),
                    ("key", .string(p.key.rawValue)), ("key_explicit", .bool(p.keyIsExplicit)),
                    ("parent", p.parent.map { .string($0.rawValue) } ?? .null), ("depth", .int(Int64(p.depth))),
                ])
            })),
        ]))
    }

    public static func document(_ text: String?) throws -> BillDocument {
        let value = try parse(text, "a version's document")
        guard let items = value["provisions"]?.arrayValue else { throw corrupt("a version's document has no provisions") }
        var provisions: [Provision] = []
        provisions.reserveCapacity(items.count)
        for item in items {
            guard let kind = item["kind"]?.stringValue.flatMap(ProvisionKind.init(rawValue:)),
                let num = item["num"]?.stringValue, let text = item["text"]?.stringValue,
                let eId = item["e_id"]?.stringValue.flatMap(EId.init), let key = item["key"]?.stringValue.flatMap(ProvisionKey.init),
                let depth = item["depth"]?.intValue
            else { throw corrupt("a stored provision is incomplete") }
            var parent: EId?
            if let raw = item["parent"]?.stringValue {
                guard let eId = EId(raw) else { throw corrupt("a stored provision's parent is not an eId") }
                parent = eId
            }
            var keyIsExplicit = false
            if case .bool(let explicit)? = item["key_explicit"] { keyIsExplicit = explicit }
            provisions.append(Provision(
                kind: kind, num: num, heading: item["heading"]?.stringValue, text: text, wrapUp: item["wrap_up"]?.stringValue ?? "",
                eId: eId, key: key, keyIsExplicit: keyIsExplicit, parent: parent, depth: Int(depth)))
        }
        guard let tree = ProvisionTree(provisions) else { throw corrupt("a stored provision tree breaks its invariants") }
        return BillDocument(
            title: value["title"]?.stringValue, longTitle: value["long_title"]?.stringValue, preamble: value["preamble"]?.stringValue ?? "",
            provisions: tree)
    }

    // MARK: - Comments

    /// A comment's fields but its id, bill and stances (which are columns and rows of their own).
    public static func text(_ comment: BillComment) -> String {
        var pairs: [(String, JSONValue)] = [
            ("participant", .string(comment.participant)), ("kind", .string(comment.kind.rawValue)), ("text", .string(comment.text)),
            ("original_text", optional(comment.originalText)), ("proposed_text", optional(comment.proposedText)),
            ("original_proposed_text", optional(comment.originalProposedText)), ("anchor", anchor(comment.anchor)),
            ("carried", .array(comment.carried.map { carried in
                .object([("from", anchor(carried.from)), ("to", carried.to.map(anchor) ?? .null), ("status", .string(carried.status.rawValue))])
            })),
            ("state", .string(comment.state.label)),
            ("merged_from", .array(comment.mergedFrom.map { .int($0.rawValue) })),
            ("name", optional(comment.name)), ("region", optional(comment.region)),
            ("submitted_at", .int(comment.submittedAt.millisecondsSince1970)),
            ("discussion", comment.discussion.map(marker) ?? .null),
        ]
        switch comment.state {
        case .rejected(let code): pairs.append(("reason_code", .string(code)))
        case .merged(let into): pairs.append(("merged_into", .int(into.rawValue)))
        default: break
        }
        return JSONWriter.string(.object(pairs))
    }

    /// The comment stored as `text`, with its stances.
    public static func comment(
        _ text: String?, id: BillComment.ID, billID: Bill.ID, supporters: Set<String>, opposers: Set<String>
    ) throws -> BillComment {
        let value = try parse(text, "comment \(id)")
        guard let participant = value["participant"]?.stringValue, let kind = value["kind"]?.stringValue.flatMap(BillCommentKind.init(rawValue:)),
            let body = value["text"]?.stringValue, let anchorValue = value["anchor"], let stateLabel = value["state"]?.stringValue,
            let submitted = value["submitted_at"]?.intValue
        else { throw corrupt("comment \(id) is incomplete") }
        let state: BillCommentState
        switch stateLabel {
        case "submitted": state = .submitted
        case "published": state = .published
        case "withdrawn": state = .withdrawn
        case "rejected":
            guard let code = value["reason_code"]?.stringValue else { throw corrupt("comment \(id) is rejected without a reason") }
            state = .rejected(reasonCode: code)
        case "merged":
            guard let into = value["merged_into"]?.intValue else { throw corrupt("comment \(id) is merged into nothing") }
            state = .merged(into: BillComment.ID(into))
        default: throw corrupt("comment \(id) has the unknown state \(stateLabel)")
        }
        var comment = BillComment(
            id: id, billID: billID, participant: participant, kind: kind, text: body, proposedText: value["proposed_text"]?.stringValue,
            anchor: try anchor(anchorValue), state: state, name: value["name"]?.stringValue, region: value["region"]?.stringValue,
            submittedAt: Timestamp(millisecondsSince1970: submitted),
            discussion: try value["discussion"].flatMap { $0.isNull ? nil : try marker($0) })
        comment.originalText = value["original_text"]?.stringValue
        comment.originalProposedText = value["original_proposed_text"]?.stringValue
        comment.carried = try (value["carried"]?.arrayValue ?? []).map { item in
            guard let from = item["from"], let status = item["status"]?.stringValue.flatMap(AnchorStatus.init(rawValue:)) else {
                throw corrupt("a carried anchor of comment \(id) is incomplete")
            }
            let to = try item["to"].flatMap { $0.isNull ? nil : try anchor($0) }
            return CarriedAnchor(from: try anchor(from), to: to, status: status)
        }
        comment.mergedFrom = (value["merged_from"]?.arrayValue ?? []).compactMap(\.intValue).map(BillComment.ID.init)
        comment.supporters = supporters
        comment.opposers = opposers
        return comment
    }

    // MARK: - Marker

    public static func text(_ marker: DiscussionMarker) -> String { JSONWriter.string(Self.marker(marker)) }

    public static func marker(_ text: String?) throws -> DiscussionMarker? {
        guard let text else { return nil }
        return try marker(try parse(text, "the marker"))
    }

    // MARK: - Parts

    static func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }

    static func anchor(_ anchor: CommentAnchor) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("version", .int(Int64(anchor.version))), ("e_id", .string(anchor.eId.rawValue)), ("key", .string(anchor.key.rawValue)),
        ]
        if let quote = anchor.quote {
            pairs.append(("quote", .object([("exact", .string(quote.exact)), ("prefix", .string(quote.prefix)), ("suffix", .string(quote.suffix))])))
        }
        if let position = anchor.position {
            pairs.append(("position", .object([("start", .int(Int64(position.start))), ("end", .int(Int64(position.end)))])))
        }
        return .object(pairs)
    }

    static func anchor(_ value: JSONValue) throws -> CommentAnchor {
        guard let version = value["version"]?.intValue, let eId = value["e_id"]?.stringValue.flatMap(EId.init),
            let key = value["key"]?.stringValue.flatMap(ProvisionKey.init)
        else { throw corrupt("a stored anchor is incomplete") }
        var quote: TextQuoteSelector?
        if let q = value["quote"] {
            guard let exact = q["exact"]?.stringValue else { throw corrupt("a stored quote has no exact text") }
            quote = TextQuoteSelector(exact: exact, prefix: q["prefix"]?.stringValue ?? "", suffix: q["suffix"]?.stringValue ?? "")
        }
        var position: TextPositionSelector?
        if let p = value["position"] {
            guard let start = p["start"]?.intValue, let end = p["end"]?.intValue else { throw corrupt("a stored position is incomplete") }
            position = TextPositionSelector(start: Int(start), end: Int(end))
        }
        return CommentAnchor(version: Int(version), eId: eId, key: key, quote: quote, position: position)
    }

    static func marker(_ marker: DiscussionMarker) -> JSONValue {
        .object([
            ("version", .int(Int64(marker.version))), ("e_id", .string(marker.eId.rawValue)), ("key", .string(marker.key.rawValue)),
            ("since", .int(marker.since.millisecondsSince1970)),
        ])
    }

    static func marker(_ value: JSONValue) throws -> DiscussionMarker {
        guard let version = value["version"]?.intValue, let eId = value["e_id"]?.stringValue.flatMap(EId.init),
            let key = value["key"]?.stringValue.flatMap(ProvisionKey.init), let since = value["since"]?.intValue
        else { throw corrupt("a stored marker is incomplete") }
        return DiscussionMarker(version: Int(version), eId: eId, key: key, since: Timestamp(millisecondsSince1970: since))
    }

    static func parse(_ text: String?, _ what: String) throws -> JSONValue {
        guard let text, let value = try? JSONValue.parse(Array(text.utf8)) else { throw corrupt("\(what) is not JSON") }
        return value
    }

    static func corrupt(_ message: String) -> StoreError { StoreError(.corrupt, message) }
}

import HemicycleCore
import HemicycleStorage

/// The JSON of bills, versions, provisions and comments (Protocol/LEGISLATION.md §9): the API, open data and the
/// `bill:{id}` topics share it. Public shapes never carry a participant id, an original text or an address.
enum BillJSON {
    static func time(_ time: Timestamp?) -> JSONValue { time.map { .string($0.iso8601) } ?? .null }
    static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }

    static func bill(_ bill: Bill) -> JSONValue {
        .object([
            ("id", .int(bill.id.rawValue)), ("title", .string(bill.title)), ("committee", .string(bill.committee)),
            ("moderation", .string(bill.settings.moderation.rawValue)),
            ("max_comment_length", .int(Int64(bill.settings.maxCommentLength))),
            ("max_proposed_text_length", .int(Int64(bill.settings.maxProposedTextLength))),
            ("allow_anonymous", .bool(bill.settings.allowAnonymous)),
        ])
    }

    static func version(_ version: BillVersion, now: Timestamp) -> JSONValue {
        let document = version.document
        return .object([
            ("number", .int(Int64(version.number))), ("state", .string(version.state.label)),
            ("opens_at", time(version.window.opens)), ("closes_at", time(version.window.closes)),
            ("open_for_comments", .bool((try? version.checkOpen(at: now)) != nil)), ("published_at", time(version.publishedAt)),
            ("title", string(document.title)), ("long_title", string(document.longTitle)), ("preamble", .string(document.preamble)),
        ])
    }

    static func counts(_ counts: ClauseCounts) -> JSONValue {
        .object([
            ("comments", .int(Int64(counts.comments))), ("rewordings", .int(Int64(counts.rewordings))),
            ("questions", .int(Int64(counts.questions))), ("supports", .int(Int64(counts.supports))), ("opposes", .int(Int64(counts.opposes))),
            ("total", .int(Int64(counts.total))),
        ])
    }

    /// Per provision key (and `_bill` for comments on the bill as a whole), the counts of published comments.
    static func countsByKey(_ board: BillCommentBoard) -> JSONValue {
        var pairs = board.countsByKey.sorted { $0.key < $1.key }.map { ($0.key.rawValue, counts($0.value)) }
        let billLevel = board.counts(for: nil)
        if billLevel.total > 0 { pairs.append(("_bill", counts(billLevel))) }
        return .object(pairs)
    }

    static func provision(_ provision: Provision, counts: ClauseCounts) -> JSONValue {
        .object([
            ("eId", .string(provision.eId.rawValue)), ("key", .string(provision.key.rawValue)), ("kind", .string(provision.kind.rawValue)),
            ("num", .string(provision.num)), ("label", .string(provision.label)), ("heading", string(provision.heading)),
            ("text", .string(provision.quotableText)), ("parent", string(provision.parent?.rawValue)), ("depth", .int(Int64(provision.depth))),
            ("counts", BillJSON.counts(counts)),
        ])
    }

    static func marker(_ marker: DiscussionMarker?) -> JSONValue {
        guard let marker else { return .null }
        return .object([
            ("eId", .string(marker.eId.rawValue)), ("key", .string(marker.key.rawValue)), ("version", .int(Int64(marker.version))),
            ("since", time(marker.since)),
        ])
    }

    static func anchor(_ anchor: CommentAnchor?) -> JSONValue {
        guard let anchor else { return .null }
        var pairs: [(String, JSONValue)] = [
            ("version", .int(Int64(anchor.version))), ("eId", .string(anchor.eId.rawValue)), ("key", .string(anchor.key.rawValue)),
        ]
        if let quote = anchor.quote {
            pairs.append(("quote", .object([("exact", .string(quote.exact)), ("prefix", .string(quote.prefix)), ("suffix", .string(quote.suffix))])))
        }
        if let position = anchor.position {
            pairs.append(("position", .object([("start", .int(Int64(position.start))), ("end", .int(Int64(position.end)))])))
        }
        return .object(pairs)
    }

    static func redline(_ redline: Redline?) -> JSONValue {
        guard let redline else { return .null }
        return .array(redline.runs.map { .object([("op", .string($0.operation.rawValue)), ("text", .string($0.text))]) })
    }

    /// A comment as the public sees it (`participant`: the reader, to say which are theirs and their stance).
    static func publicComment(_ comment: BillComment, tree: ProvisionTree?, participant: String? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .int(comment.id.rawValue)), ("kind", .string(comment.kind.rawValue)), ("state", .string(comment.state.label)),
            ("text", .string(comment.text)), ("proposed_text", string(comment.proposedText)),
            ("redline", tree.map { redline(comment.rewordingRedline(in: $0)) } ?? .null),
            ("anchor", anchor(comment.currentAnchor)), ("original_anchor", anchor(comment.anchor)),
            ("anchor_status", string(comment.anchorStatus?.rawValue)),
            ("name", string(comment.name)), ("region", string(comment.region)), ("submitted_at", time(comment.submittedAt)),
            ("supports", .int(Int64(comment.supports))), ("opposes", .int(Int64(comment.opposes))), ("edited", .bool(comment.isEdited)),
            ("during_discussion", .bool(comment.writtenDuringDiscussion)),
        ]
        if let participant {
            pairs.append(("mine", .bool(comment.participant == participant)))
            pairs.append(("my_stance", string(comment.stance(of: participant)?.rawValue)))
        }
        return .object(pairs)
    }

    /// A comment as its bill's moderators see it: the public shape plus the originals and the rejection reason.
    static func staffComment(_ comment: BillComment, tree: ProvisionTree?) -> JSONValue {
        var value = publicComment(comment, tree: tree)
        value = value.setting("original_text", to: string(comment.originalText))
        value = value.setting("original_proposed_text", to: string(comment.originalProposedText))
        if case .rejected(let code) = comment.state { value = value.setting("reason", to: .string(code)) }
        if case .merged(let into) = comment.state { value = value.setting("merged_into", to: .int(into.rawValue)) }
        return value
    }

    static func logEntry(_ entry: BillModerationLogEntry) -> JSONValue {
        .object([
            ("comment_id", .int(entry.commentID.rawValue)), ("action", .string(entry.action)), ("state", .string(entry.state)),
            ("reason", string(entry.reasonCode)), ("merged_into", entry.mergedInto.map { .int($0.rawValue) } ?? .null), ("at", time(entry.at)),
        ])
    }

    /// The open data of the current version (`GET /bills/{id}.json`): the bill, the version, and its provisions in
    /// document order, each with its counts.
    static func openData(_ state: BillState, version: BillVersion, now: Timestamp) -> JSONValue {
        .object([
            ("bill", bill(state.bill)), ("version", BillJSON.version(version, now: now)), ("marker", marker(state.board.marker)),
            ("provisions", .array(version.provisions.provisions.map { provision($0, counts: state.board.counts(for: $0.key)) })),
            ("bill_level", counts(state.board.counts(for: nil))),
        ])
    }

    /// What changed from one version to the next (`GET /bills/{id}/versions/{n}/changes.json`, LEGISLATION.md §8.2):
    /// every provision of version n with its status and word diffs, and the provisions of version n − 1 that are gone.
    static func changes(_ changes: VersionChanges, bill: Bill, new tree: ProvisionTree) -> JSONValue {
        let clauses: [JSONValue] = changes.clauses.map { change in
            .object([
                ("eId", .string(change.eId.rawValue)), ("key", .string(change.key.rawValue)),
                ("label", .string(tree[change.eId]?.label ?? "")), ("status", .string(change.status.rawValue)),
                ("previous_eId", string(change.previousEId?.rawValue)), ("previous_label", string(change.previousLabel)),
                ("heading", redline(change.heading)), ("text", redline(change.text)),
            ])
        }
        let removed: [JSONValue] = changes.removed.map {
            .object([("eId", .string($0.eId.rawValue)), ("key", .string($0.key.rawValue)), ("label", .string($0.label)),
                     ("heading", string($0.heading)), ("text", .string($0.quotableText))])
        }
        let count = { (status: ClauseChange.Status) in JSONValue.int(Int64(changes.clauses.filter { $0.status == status }.count)) }
        return .object([
            ("bill", .object([("id", .int(bill.id.rawValue)), ("title", .string(bill.title))])),
            ("from", .int(Int64(changes.from))), ("to", .int(Int64(changes.to))),
            ("summary", .object([("changed", count(.changed)), ("added", count(.added)), ("removed", .int(Int64(changes.removed.count))),
                                 ("unchanged", count(.unchanged))])),
            ("clauses", .array(clauses)), ("removed", .array(removed)),
        ])
    }
}

import HemicycleCore
import HemicycleStorage

/// What the bill templates (`bills.mustache`, `bill.mustache`) are given. Everything reaches the page through
/// Mustache's escaping.
enum BillPageContext {
    /// Published comments of every kind, and their supports, on the whole bill.
    static func total(_ board: BillCommentBoard) -> ClauseCounts {
        board.countsByKey.values.reduce(board.counts(for: nil), +)
    }

    /// A provision's label with those of the provisions enclosing it, outside in ("Section 2 (c) (1)"): "(1)" alone
    /// says nothing on a list or in an announcement.
    static func fullLabel(_ eId: EId, in tree: ProvisionTree) -> String? {
        guard let provision = tree[eId] else { return nil }
        return (tree.ancestors(of: eId).reversed() + [provision]).map(\.label).joined(separator: " ")
    }

    static func summary(_ state: BillState, version: BillVersion, now: Timestamp) -> [String: Any] {
        let total = total(state.board)
        return [
            "id": "\(state.bill.id)", "title": state.bill.title, "committee": state.bill.committee, "version": version.number,
            "open": (try? version.checkOpen(at: now)) != nil, "closes": version.window.closes.iso8601,
            "closes_text": String(version.window.closes.iso8601.prefix(10)), "provisions": version.provisions.count,
            "comments": total.total, "supports": total.supports,
            "discussing": state.board.marker.flatMap { fullLabel($0.eId, in: version.provisions) } ?? "",
        ]
    }

    /// The provisions with the most published comments (then supports), at most `limit`: the dashboard's per-clause
    /// activity of a consultation.
    static func busiest(_ board: BillCommentBoard, tree: ProvisionTree, billID: Bill.ID, limit: Int = 3) -> [[String: Any]] {
        board.countsByKey.compactMap { key, counts -> (Provision, ClauseCounts)? in tree[key: key].map { ($0, counts) } }
            .sorted { a, b in
                a.1.total != b.1.total ? a.1.total > b.1.total
                    : a.1.supports != b.1.supports ? a.1.supports > b.1.supports : (tree.index(of: a.0.eId) ?? 0) < (tree.index(of: b.0.eId) ?? 0)
            }
            .prefix(limit)
            .map { provision, counts in
                ["bill_id": "\(billID)", "eId": provision.eId.rawValue, "label": fullLabel(provision.eId, in: tree) ?? provision.label, "total": counts.total,
                 "supports": counts.supports]
            }
    }

    static func reading(_ state: BillState, version: BillVersion, now: Timestamp, participant: String?) -> [String: Any] {
        let tree = version.provisions
        let marker = state.board.marker
        var byKey: [ProvisionKey: [BillComment]] = [:]
        for comment in state.board.comments.values where comment.isPublished {
            guard let key = comment.currentKey else { continue }
            byKey[key, default: []].append(comment)
        }
        let provisions: [[String: Any]] = tree.provisions.map { provision in
            let counts = state.board.counts(for: provision.key)
            let comments = (byKey[provision.key] ?? []).sorted { $0.supports != $1.supports ? $0.supports > $1.supports : $0.id < $1.id }
            return [
                "eId": provision.eId.rawValue, "key": provision.key.rawValue, "label": provision.label, "heading": provision.heading ?? "",
                "kind": provision.kind.rawValue, "depth": provision.depth, "is_section": provision.depth == 0 || provision.kind == .section,
                "paragraphs": provision.quotableText.split(separator: "\n").map(String.init),
                "has_text": !provision.quotableText.isEmpty,
                "discussing": marker?.eId == provision.eId,
                "count_total": counts.total, "count_rewordings": counts.rewordings, "count_supports": counts.supports,
                "has_comments": !comments.isEmpty,
                "comments": comments.map { Self.comment($0, tree: tree, participant: participant) },
            ]
        }
        var context: [String: Any] = [
            "bill": summary(state, version: version, now: now),
            "long_title": version.document.longTitle ?? "", "preamble": version.document.preamble,
            "provisions": provisions, "topic": "bill:\(state.bill.id)",
            "version_number": version.number, "max_length": state.bill.settings.maxCommentLength,
            "marker_label": marker.flatMap { fullLabel($0.eId, in: tree) } ?? "", "has_marker": marker != nil,
            "form": ["has_errors": false, "values": [:] as [String: String]] as [String: Any],
        ]
        let billLevel = state.board.published(for: nil)
        context["bill_level"] = billLevel.map { Self.comment($0, tree: tree, participant: participant) }
        context["has_bill_level"] = !billLevel.isEmpty
        return context
    }

    static func comment(_ comment: BillComment, tree: ProvisionTree, participant: String?) -> [String: Any] {
        let redline = comment.rewordingRedline(in: tree)?.runs.map { run -> [String: Any] in
            ["text": run.text, "is_delete": run.operation == .delete, "is_insert": run.operation == .insert, "is_equal": run.operation == .equal]
        } ?? []
        return [
            "id": "\(comment.id)", "kind": comment.kind.rawValue, "text": comment.text, "quote": comment.currentAnchor?.quote?.exact ?? "",
            "has_quote": comment.currentAnchor?.quote != nil, "name": comment.name ?? "Anonymous", "region": comment.region ?? "",
            "supports": comment.supports, "opposes": comment.opposes, "is_rewording": comment.kind == .rewording, "redline": redline,
            "during_discussion": comment.writtenDuringDiscussion, "edited": comment.isEdited,
            "anchor_status": comment.anchorStatus?.rawValue ?? "", "mine": participant != nil && comment.participant == participant,
        ]
    }
}

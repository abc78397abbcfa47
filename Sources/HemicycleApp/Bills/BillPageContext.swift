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

    /// The runs of a redline for `diff.mustache` (struck and inserted words, each said in words to a screen reader).
    static func runs(_ redline: Redline?) -> [[String: Any]] {
        redline?.runs.map { run -> [String: Any] in
            ["text": run.text, "is_delete": run.operation == .delete, "is_insert": run.operation == .insert, "is_equal": run.operation == .equal]
        } ?? []
    }

    /// Where the changes of version `version` are shown: the changes page, at the provision (`change-{eId}`), or at the
    /// list of removed provisions.
    static func changesURL(bill: Bill.ID, version: Int, eId: EId?) -> String {
        "/bills/\(bill)/versions/\(version)/changes#" + (eId.map { "change-\($0.rawValue)" } ?? "removed")
    }

    /// What a provision's entry says about its change since the previous version (`VersionChanges`): the status, the
    /// old label when it was renumbered, and the word diffs of its heading and text.
    static func change(_ change: ClauseChange?) -> [String: Any] {
        guard let change, change.status != .unchanged || change.renumbered else { return ["has_change": false] }
        let text = change.text
        return [
            "has_change": true, "is_changed": change.status == .changed, "is_added": change.status == .added,
            "is_renumbered_only": change.status == .unchanged, "previous_label": change.previousLabel ?? "",
            "was_renumbered": change.renumbered, "has_heading_diff": change.heading != nil && change.status == .changed,
            "heading_runs": runs(change.heading), "has_text_diff": text != nil && change.status == .changed, "text_runs": runs(text),
            "words_deleted": text?.wordsDeleted ?? 0, "words_inserted": text?.wordsInserted ?? 0,
        ]
    }

    /// The reading page of `version` (`bill.mustache`): each provision with its counts, their nouns and its published
    /// comments, the marker, the version's changes and the bill-level comments.
    /// - Parameter noun: the noun after a count in the number it takes (a plural base of the strings and the count).
    static func reading(
        _ state: BillState, version: BillVersion, now: Timestamp, participant: String?, noun: (_ base: String, _ n: Int) -> String
    ) -> [String: Any] {
        let tree = version.provisions
        let marker = state.board.marker
        let changes = VersionChanges(to: version, in: state.versions)
        var byKey: [ProvisionKey: [BillComment]] = [:]
        for comment in state.board.comments.values where comment.isPublished {
            guard let key = comment.currentKey else { continue }
            byKey[key, default: []].append(comment)
        }
        let commentContext = { (comment: BillComment) in
            Self.comment(comment, tree: tree, participant: participant, versions: state.versions, billID: state.bill.id)
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
                "count_total_noun": noun("bill_count_comments", counts.total),
                "count_rewordings_noun": noun("bill_count_rewordings", counts.rewordings),
                "count_supports_noun": noun("bill_count_supports", counts.supports),
                "has_comments": !comments.isEmpty,
                "comments": comments.map(commentContext),
                "change": change(changes?[key: provision.key]),
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
        if let changes {
            context["versions"] = [
                "previous": changes.from, "changes_url": "/bills/\(state.bill.id)/versions/\(version.number)/changes",
                "changed": changes.clauses.filter { $0.status == .changed }.count, "added": changes.clauses.filter { $0.status == .added }.count,
                "removed": changes.removed.count,
            ] as [String: Any]
        }
        let billLevel = state.board.published(for: nil)
        context["bill_level"] = billLevel.map(commentContext)
        context["has_bill_level"] = !billLevel.isEmpty
        return context
    }

    /// The changes page of version `changes.to` (`bill-changes.mustache`): each provision that changed or was added,
    /// with its diffs, then those removed.
    static func changesPage(_ state: BillState, version: BillVersion, changes: VersionChanges) -> [String: Any] {
        let tree = version.provisions
        let old = state.version(changes.from)?.provisions
        let clauses: [[String: Any]] = changes.clauses.compactMap { change in
            guard change.status != .unchanged || change.renumbered, let provision = tree[change.eId] else { return nil }
            return [
                "eId": provision.eId.rawValue, "label": fullLabel(provision.eId, in: tree) ?? provision.label, "heading": provision.heading ?? "",
                "change": Self.change(change),
                "paragraphs": provision.quotableText.split(separator: "\n").map(String.init),
            ]
        }
        let removed: [[String: Any]] = changes.removed.map { provision in
            ["eId": provision.eId.rawValue, "label": old.flatMap { fullLabel(provision.eId, in: $0) } ?? provision.label,
             "heading": provision.heading ?? "", "text": provision.quotableText]
        }
        let unchanged = changes.clauses.filter { $0.status == .unchanged && !$0.renumbered }.count
        return [
            "bill": ["id": "\(state.bill.id)", "title": state.bill.title, "committee": state.bill.committee] as [String: Any],
            "from": changes.from, "to": changes.to, "is_current": state.current?.number == version.number,
            "clauses": clauses, "has_clauses": !clauses.isEmpty, "removed": removed, "has_removed": !removed.isEmpty,
            "unchanged": unchanged, "json_url": "/bills/\(state.bill.id)/versions/\(changes.to)/changes.json",
            "has_earlier": changes.from > 1, "earlier_url": "/bills/\(state.bill.id)/versions/\(changes.from)/changes",
        ]
    }

    static func comment(
        _ comment: BillComment, tree: ProvisionTree, participant: String?, versions: [BillVersion] = [], billID: Bill.ID? = nil
    ) -> [String: Any] {
        let mine = participant != nil && comment.participant == participant
        var context: [String: Any] = [
            "id": "\(comment.id)", "kind": comment.kind.rawValue, "text": comment.text, "quote": comment.currentAnchor?.quote?.exact ?? "",
            "has_quote": comment.currentAnchor?.quote != nil, "name": comment.name ?? "Anonymous", "region": comment.region ?? "",
            "supports": comment.supports, "opposes": comment.opposes, "is_rewording": comment.kind == .rewording,
            "redline": runs(comment.rewordingRedline(in: tree)),
            "during_discussion": comment.writtenDuringDiscussion, "edited": comment.isEdited,
            "anchor_status": comment.anchorStatus?.rawValue ?? "", "mine": mine,
        ]
        // Only the author is told: "the clause you commented on changed", with a link to what changed.
        if mine, let billID, let notice = VersionChanges.lastChange(of: comment, in: versions) {
            context["clause_change"] = [
                "version": notice.version, "removed": notice.removed,
                "url": changesURL(bill: billID, version: notice.version, eId: notice.eId),
            ] as [String: Any]
        }
        return context
    }
}

import Crypto
import Foundation
import HemicycleCore
import HemicycleStorage

/// The committee report's forms (Protocol/LEGISLATION.md §8.1): JSON (the one a clerk freezes, byte for byte), CSV
/// (one row per provision) and the page's Mustache context, which is made from the JSON so that a frozen report's
/// page shows exactly what its frozen JSON says. Public: published comments only, through the public comment JSON.
enum BillReport {
    /// The report's JSON. Deterministic: keys in a fixed order, provisions in document order, comments by rank.
    static func json(_ report: CommitteeReport, tree: ProvisionTree, language: String = "en") -> JSONValue {
        let comments: ([BillComment]) -> JSONValue = { .array($0.map { BillJSON.publicComment($0, tree: tree) }) }
        let reasons = report.methodology.reasons
        // Rejections in the order of the bill's reasons, then any code no longer configured, by code.
        func rejected(_ counts: [String: Int]) -> JSONValue {
            let known = reasons.map(\.code).filter { counts[$0] != nil }
            let others = counts.keys.filter { code in !reasons.contains { $0.code == code } }.sorted()
            return .array((known + others).map { code in
                .object([
                    ("reason", .string(code)), ("text", .string(reasons.first { $0.code == code }?.text(in: language) ?? code)),
                    ("count", .int(Int64(counts[code] ?? 0))),
                ])
            })
        }
        let clauses: [JSONValue] = report.clauses.map { clause in
            let provision = clause.provision
            return .object([
                ("eId", .string(provision.eId.rawValue)), ("key", .string(provision.key.rawValue)), ("kind", .string(provision.kind.rawValue)),
                ("label", .string(provision.label)), ("heading", BillJSON.string(provision.heading)), ("depth", .int(Int64(provision.depth))),
                ("text", .string(provision.quotableText)), ("counts", BillJSON.counts(clause.counts)),
                ("held", .int(Int64(clause.held))), ("rejected", rejected(clause.rejected)),
                ("hidden", .int(Int64(clause.rejected.values.reduce(0, +)))),
                ("merged", .int(Int64(clause.merged))), ("withdrawn", .int(Int64(clause.withdrawn))),
                ("top_comments", comments(clause.topComments)), ("top_rewordings", comments(clause.topRewordings)),
                ("orphaned", comments(clause.orphaned)), ("during_discussion", comments(clause.duringDiscussion)),
            ])
        }
        let method = report.methodology
        return .object([
            ("bill", .object([("id", .int(report.billID.rawValue)), ("title", .string(report.title)), ("committee", .string(report.committee))])),
            ("version", .int(Int64(report.version))), ("long_title", BillJSON.string(report.longTitle)),
            ("generated_at", BillJSON.time(report.generatedAt)),
            ("clauses", .array(clauses)), ("bill_level", comments(report.billLevel)),
            ("methodology", .object([
                ("opens_at", BillJSON.time(method.opens)), ("closes_at", BillJSON.time(method.closes)), ("published_at", BillJSON.time(method.publishedAt)),
                ("moderation", .string(method.moderation.rawValue)), ("max_comment_length", .int(Int64(method.maxCommentLength))),
                ("comments_per_minute", .int(Int64(method.commentsPerMinute))),
                ("reasons", .array(reasons.map { .object([("code", .string($0.code)), ("text", .string($0.text(in: language)))]) })),
                ("states", .object(BillCommentState.labels.map { ($0, .int(Int64(method.states[$0] ?? 0))) })),
                ("rejected", rejected(method.rejected)),
                ("participants", .int(Int64(method.participants))), ("supports", .int(Int64(method.supports))),
                ("opposes", .int(Int64(method.opposes))), ("top_per_clause", .int(Int64(CommitteeReport.top))),
            ])),
        ])
    }

    /// One row per provision: counts, hidden ones by reason, and the most supported comment and rewording.
    static func csvRows(_ report: CommitteeReport) -> [[String]] {
        var rows = [["eId", "key", "label", "heading", "comments", "rewordings", "questions", "supports", "opposes", "held", "rejected",
                     "rejected_by_reason", "orphaned", "during_discussion", "top_comment", "top_comment_supports", "top_rewording",
                     "top_rewording_supports", "text"]]
        for clause in report.clauses {
            let provision = clause.provision, counts = clause.counts
            let byReason = clause.rejected.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            rows.append([
                provision.eId.rawValue, provision.key.rawValue, provision.label, provision.heading ?? "", "\(counts.comments)", "\(counts.rewordings)",
                "\(counts.questions)", "\(counts.supports)", "\(counts.opposes)", "\(clause.held)", "\(clause.rejected.values.reduce(0, +))", byReason,
                "\(clause.orphaned.count)", "\(clause.duringDiscussion.count)", clause.topComments.first?.text ?? "",
                clause.topComments.first.map { "\($0.supports)" } ?? "", clause.topRewordings.first?.proposedText ?? "",
                clause.topRewordings.first.map { "\($0.supports)" } ?? "", provision.quotableText,
            ])
        }
        return rows
    }

    /// Lower-case hex SHA-256 of `text`'s UTF-8 bytes.
    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Base64 SHA-256 of `text`'s UTF-8 bytes (RFC 9530's `Repr-Digest`).
    static func sha256Base64(_ text: String) -> String {
        Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }

    /// The page's context from the report's JSON: objects become dictionaries, arrays lists, null `NSNull` (which
    /// Mustache treats as absent without looking further up the context, where an empty string would count as
    /// present); for logic-less Mustache, each `op`, `kind`, `moderation` and `anchor_status` value also sets
    /// `is_{value}`, each list and number `has_{name}` (not empty, not zero), and `text` is split into `paragraphs`.
    static func pageContext(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .int(let number): return number
        case .double(let number): return number
        case .string(let text): return text
        case .array(let items): return items.map(pageContext)
        case .object(let pairs):
            var result: [String: Any] = [:]
            for (key, item) in pairs {
                result[key] = pageContext(item)
                if ["op", "kind", "moderation", "anchor_status"].contains(key), let flag = item.stringValue { result["is_\(flag)"] = true }
                if let list = item.arrayValue { result["has_\(key)"] = !list.isEmpty }
                if case .int(let number) = item { result["has_\(key)"] = number != 0 }
                if key == "text", let text = item.stringValue {
                    let paragraphs = text.split(separator: "\n").map(String.init)
                    result["paragraphs"] = paragraphs
                    result["has_paragraphs"] = !paragraphs.isEmpty
                }
            }
            return result
        }
    }
}

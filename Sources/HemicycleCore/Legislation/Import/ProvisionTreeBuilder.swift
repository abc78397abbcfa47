/// The checks both importers share, and what turns their drafts into a `ProvisionTree`.
///
/// For each draft, in document order:
/// - nesting: `ProvisionKind.canNest` (a subsection only in a section…), points at most
///   `BillImportLimits.maxPointNesting` deep;
/// - numbering: the designation is 1 to 12 ASCII letters and digits; siblings of one kind under one parent follow
///   one `NumberingStyle` without gap, repeat or reversal (inserted `2A` after `2` is allowed); a run starts at the
///   style's first number (`1`, `a`, `A`, `i`, `I`), except that parts, chapters and sections may also continue the
///   numbering of the previous run of their kind (sections numbered through a bill across its chapters);
/// - eId, by the Akoma Ntoso naming convention: `prefix__abbreviation_number`, where the prefix is the eId of the
///   *context* that makes the number unique (Akoma Ntoso Naming Convention 1.0, §5.4.1: "the identifier of a
///   wrapping element that restarts the numbering"). Below a section the context is the parent
///   (`sec_2__subsec_b__para_1`). A part, chapter or section whose kind is numbered through the whole bill (no run
///   of that kind restarts at its first number) has the body as context and no prefix (`sec_5` inside
///   `part_1__chp_2`), so moving it between chapters does not change its eId; when the kind restarts somewhere, its
///   context is its parent (`chp_2__sec_1`). An eId the source gives must be this one or the one prefixed with the
///   full parent chain (`part_1__chp_2__sec_5`, which some tools write); it is then kept as given;
/// - key: the `wId` when given (well-formed, unique), else the eId; keys and eIds are unique in the version;
/// - text: normalised (`ProvisionText`), each text at most `maxTextLength`; at most `maxProvisions` provisions.
/// The first failed check is thrown with the draft's line; nothing is returned in part.
public enum ProvisionTreeBuilder {
    /// The kinds that may be numbered through the bill rather than within their parent.
    static let divisions: Set<ProvisionKind> = [.part, .chapter, .section]

    /// The checked tree of `drafts` (in document order, parents before children).
    public static func build(_ drafts: [ProvisionDraft], limits: BillImportLimits) throws(BillImportError) -> ProvisionTree {
        guard !drafts.isEmpty else { throw BillImportError(.missing, line: 0, "The bill has no provisions.") }
        guard drafts.count <= limits.maxProvisions else {
            throw BillImportError(.tooLarge, line: drafts[limits.maxProvisions].line, "More than \(limits.maxProvisions) provisions.")
        }
        let restarting = try checkStructure(drafts, limits: limits)
        return try identify(drafts, restarting: restarting, limits: limits)
    }

    static func fail(_ draft: ProvisionDraft, _ code: BillImportError.Code, _ message: String) -> BillImportError {
        BillImportError(code, line: draft.line, column: draft.column, message)
    }

    static func name(_ draft: ProvisionDraft) -> String { "\(draft.kind.rawValue) \(draft.kind.label(draft.num))" }

    /// Nesting and numbering; returns the division kinds whose numbering restarts somewhere in the bill.
    static func checkStructure(_ drafts: [ProvisionDraft], limits: BillImportLimits) throws(BillImportError) -> Set<ProvisionKind> {
        struct Run {
            var style: NumberingStyle
            var ordinal: NumberingStyle.Ordinal
            var num: String
        }
        struct RunKey: Hashable {
            var parent: Int
            var kind: ProvisionKind
        }
        var runs: [RunKey: Run] = [:]
        var lastOfKind: [ProvisionKind: Run] = [:]
        var restarting = Set<ProvisionKind>()
        var pointNesting: [Int] = []
        for (index, draft) in drafts.enumerated() {
            let title = name(draft)
            guard draft.parent.map({ $0 >= 0 && $0 < index }) ?? true else { throw fail(draft, .misplaced, "\(title) comes before its parent.") }
            let parent = draft.parent.map { drafts[$0] }
            guard ProvisionKind.canNest(draft.kind, in: parent?.kind) else {
                let place = parent.map { "inside \($0.kind.rawValue) \($0.kind.label($0.num))" } ?? "at the top of the body"
                throw fail(draft, .misplaced, "A \(draft.kind.rawValue) cannot be \(place)\(hint(for: draft.kind)).")
            }
            let nesting = draft.kind == .point ? (draft.parent.map { pointNesting[$0] } ?? 0) + 1 : 0
            pointNesting.append(nesting)
            guard nesting <= limits.maxPointNesting else {
                throw fail(draft, .misplaced, "Points are nested more than \(limits.maxPointNesting) deep.")
            }
            guard ProvisionNumber.isDesignation(draft.num) else {
                throw fail(draft, .numbering, "\"\(draft.num)\" is not a number: use 1 to 12 letters and digits, such as 2, b, iv or 3A.")
            }
            let runKey = RunKey(parent: draft.parent ?? -1, kind: draft.kind)
            let run: Run
            if let previous = runs[runKey] {
                guard let ordinal = previous.style.ordinal(of: draft.num) else {
                    throw fail(draft, .numbering, "\(title) is not numbered like \(draft.kind.label(previous.num)) before it.")
                }
                guard ordinal.follows(previous.ordinal) else {
                    throw fail(draft, .numbering, sequenceMessage(title, ordinal, after: previous.ordinal, previous.num, previous.style, draft.kind))
                }
                run = Run(style: previous.style, ordinal: ordinal, num: draft.num)
            } else if divisions.contains(draft.kind), let last = lastOfKind[draft.kind],
                let ordinal = last.style.ordinal(of: draft.num), ordinal.follows(last.ordinal)
            {
                run = Run(style: last.style, ordinal: ordinal, num: draft.num)
            } else if let style = NumberingStyle.starting(with: draft.num) {
                if lastOfKind[draft.kind] != nil { restarting.insert(draft.kind) }
                run = Run(style: style, ordinal: NumberingStyle.Ordinal(base: 1), num: draft.num)
            } else {
                let continuing = divisions.contains(draft.kind)
                    ? lastOfKind[draft.kind].map { " or continue from \(draft.kind.label($0.num))" } ?? "" : ""
                throw fail(draft, .numbering, "\(title) cannot start a numbering: start at 1, a, A, i or I\(continuing).")
            }
            runs[runKey] = run
            lastOfKind[draft.kind] = run
        }
        return restarting
    }

    /// eIds, keys and text, once the structure is known to be sound.
    static func identify(_ drafts: [ProvisionDraft], restarting: Set<ProvisionKind>, limits: BillImportLimits) throws(BillImportError) -> ProvisionTree {
        var provisions: [Provision] = []
        var keys: [ProvisionKey: Int] = [:]
        var eIds: [EId: Int] = [:]
        // The eIds every provision would have with each parent as prefix, all the way up.
        var chains: [EId] = []
        for (index, draft) in drafts.enumerated() {
            let title = name(draft)
            let parent = draft.parent.map { provisions[$0] }
            let numberedThrough = divisions.contains(draft.kind) && !restarting.contains(draft.kind)
            let eId = EId(parent: numberedThrough ? nil : parent?.eId, kind: draft.kind, component: draft.num)
            let chained = EId(parent: draft.parent.map { chains[$0] }, kind: draft.kind, component: draft.num)
            chains.append(chained)
            var actual = eId
            if let given = draft.eId {
                guard given == eId.rawValue || given == chained.rawValue else {
                    throw fail(draft, .identifier, "The eId \"\(given)\" does not follow the naming convention: \(title) is \"\(eId)\".")
                }
                actual = given == eId.rawValue ? eId : chained
            }
            if let other = eIds[actual] {
                throw fail(draft, .identifier, "The eId \"\(actual)\" is already used by \(name(drafts[other])) (line \(drafts[other].line)).")
            }
            eIds[actual] = index
            let key: ProvisionKey
            if let wId = draft.wId {
                guard let explicit = ProvisionKey(wId) else {
                    throw fail(draft, .identifier, "The wId \"\(wId)\" is not valid: use ASCII letters, digits, _ and -, starting with a letter.")
                }
                key = explicit
            } else {
                key = ProvisionKey(actual)
            }
            if let other = keys[key] {
                let what = draft.wId == nil ? "eId" : "wId"
                throw fail(draft, .identifier, "The \(what) \"\(key)\" is already the key of \(name(drafts[other])) (line \(drafts[other].line)).")
            }
            keys[key] = index
            let heading = draft.heading.map(ProvisionText.normalise).flatMap { $0.isEmpty ? nil : $0 }
            let text = ProvisionText.join(draft.paragraphs)
            let wrapUp = ProvisionText.join(draft.wrapUp)
            for part in [heading ?? "", text, wrapUp] where part.unicodeScalars.count > limits.maxTextLength {
                throw fail(draft, .tooLarge, "The text of \(title) is longer than \(limits.maxTextLength) characters.")
            }
            provisions.append(
                Provision(
                    kind: draft.kind, num: draft.num, heading: heading, text: text, wrapUp: wrapUp, eId: actual, key: key,
                    keyIsExplicit: draft.wId != nil, parent: parent?.eId, depth: parent.map { $0.depth + 1 } ?? 0))
        }
        guard let tree = ProvisionTree(provisions) else {
            // The checks above make this unreachable; refusing is still better than a wrong tree.
            throw BillImportError(.misplaced, line: 0, "The provisions do not form a tree.")
        }
        return tree
    }

    private static func hint(for kind: ProvisionKind) -> String {
        switch kind {
        case .part: " (parts sit at the top of the body)"
        case .chapter: " (chapters sit at the top of the body or in a part)"
        case .section: " (sections sit in the body, a part or a chapter)"
        case .subsection: " (subsections sit in a section)"
        case .paragraph: " (paragraphs sit in a section or a subsection)"
        case .point: " (points sit in a paragraph or a point)"
        }
    }

    private static func sequenceMessage(
        _ name: String, _ ordinal: NumberingStyle.Ordinal, after previous: NumberingStyle.Ordinal, _ previousNum: String,
        _ style: NumberingStyle, _ kind: ProvisionKind
    ) -> String {
        let before = kind.label(previousNum)
        if ordinal == previous { return "\(name) repeats the number of the \(kind.rawValue) before it." }
        if ordinal < previous { return "\(name) comes after \(before): numbers must go up." }
        let expected = style.next(after: previousNum).map { " (expected \(kind.label($0)))" } ?? ""
        return "\(name) leaves a gap after \(before)\(expected)."
    }
}

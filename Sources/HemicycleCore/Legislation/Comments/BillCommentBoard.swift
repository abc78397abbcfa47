/// The comments of one bill as a pure state machine, shaped like the hearings' `QuestionBoard`: every submission and
/// action is checked and either applied whole, returning the effects for the shell (`BillCommentEffect`), or refused
/// with a `BillCommentError`, changing nothing. It also holds the "now discussing" marker.
///
/// Counts are per provision key of each comment's current anchor (nil for comments now about the whole bill), over
/// published comments only.
public struct BillCommentBoard: Sendable, Equatable {
    public let billID: Bill.ID
    public private(set) var comments: [BillComment.ID: BillComment] = [:]
    public private(set) var marker: DiscussionMarker?

    public init(billID: Bill.ID) {
        self.billID = billID
    }

    /// Adds a comment as stored (loading the board); replaces one with the same id.
    public mutating func restore(_ comment: BillComment) {
        comments[comment.id] = comment
    }

    /// Restores the marker as stored.
    public mutating func restore(marker: DiscussionMarker?) {
        self.marker = marker
    }

    public subscript(id: BillComment.ID) -> BillComment? { comments[id] }

    /// Checks and records a participant's submission to `version` at `now`, under id `id` (given by the store).
    ///
    /// Checks, in order: the version is this bill's; the id is new; the version takes comments (`BillVersion.checkOpen`); text (required, at most
    /// `maxCommentLength` characters, no markup: `QuestionText`); a rewording has a proposed text (at most
    /// `maxProposedTextLength`) that differs from what it rewords, other kinds have none; name and region; the anchor
    /// (`AnchorResolver`). The comment is `published` under post-moderation, else `submitted`, and marked when the
    /// marker covers its provision.
    public mutating func submit(
        _ draft: BillCommentDraft, id: BillComment.ID, version: BillVersion, settings: BillSettings, at now: Timestamp
    ) throws(BillCommentError) -> [BillCommentEffect] {
        guard version.billID == billID else { throw .wrongBill(version.billID) }
        guard comments[id] == nil else { throw .duplicateID(id) }
        do { try version.checkOpen(at: now) } catch { throw .version(error) }
        let text = try Self.validated(draft.text, field: "text", maxLength: settings.maxCommentLength)
        var proposed: String?
        if draft.kind == .rewording {
            guard let raw = draft.proposedText, !QuestionText.normalise(raw).isEmpty else { throw .proposedTextRequired }
            proposed = try Self.validated(raw, field: "proposed_text", maxLength: settings.maxProposedTextLength)
        } else if let raw = draft.proposedText, !QuestionText.normalise(raw).isEmpty {
            throw .proposedTextNotAllowed
        }
        let name = try Self.optional(draft.name, field: "name", maxLength: QuestionText.maxNameLength)
        let region = try Self.optional(draft.region, field: "region", maxLength: QuestionText.maxRegionLength)
        if !settings.allowAnonymous && name == nil { throw .nameRequired }
        let anchor: CommentAnchor
        do {
            anchor = try AnchorResolver.resolve(
                eId: draft.eId, key: draft.key, quote: draft.quote, position: draft.position, version: version.number,
                in: version.provisions)
        } catch {
            throw .anchor(error)
        }
        if let proposed {
            let replaced = anchor.quote?.exact ?? version.provisions[anchor.eId]?.quotableText ?? ""
            if ProvisionText.normaliseKeepingParagraphs(replaced) == ProvisionText.normaliseKeepingParagraphs(proposed) {
                throw .rewordingUnchanged
            }
        }
        let discussion = marker.flatMap { $0.covers(anchor, in: version.provisions) ? $0 : nil }
        let state: BillCommentState = settings.moderation == .post ? .published : .submitted
        let comment = BillComment(
            id: id, billID: billID, participant: draft.participant, kind: draft.kind, text: text, proposedText: proposed,
            anchor: anchor, state: state, name: name, region: region, submittedAt: now, discussion: discussion)
        comments[id] = comment
        var effects: [BillCommentEffect] = [.stored(id)]
        if state == .published {
            effects += [
                .published(id), .countsChanged(anchor.key),
                .logged(BillModerationLogEntry(billID: billID, commentID: id, action: "published", state: state.label, at: now)),
            ]
        }
        return effects
    }

    /// Applies `action` to comment `id` at `now` (`settings` gives the rejection reasons and text limits), or throws and
    /// changes nothing.
    public mutating func apply(
        _ action: BillCommentAction, to id: BillComment.ID, settings: BillSettings, at now: Timestamp
    ) throws(BillCommentError) -> [BillCommentEffect] {
        guard var comment = comments[id] else { throw .notFound(id) }
        let wasPublished = comment.isPublished
        func refuse() -> BillCommentError { .notAllowed(action: action.name, state: comment.state.label) }
        func log(_ reason: String? = nil, mergedInto: BillComment.ID? = nil) -> BillCommentEffect {
            .logged(
                BillModerationLogEntry(
                    billID: billID, commentID: id, action: action.name, state: comment.state.label, reasonCode: reason,
                    mergedInto: mergedInto, at: now))
        }
        var effects: [BillCommentEffect] = []
        switch action {
        case .approve:
            guard comment.state == .submitted else { throw refuse() }
            comment.state = .published
            effects = [.updated(id), .published(id), .countsChanged(comment.currentKey), log()]
        case .reject(let reasonCode):
            guard comment.state.isOpen else { throw refuse() }
            guard settings.rejectionReasons.contains(where: { $0.code == reasonCode }) else { throw .unknownReason(reasonCode) }
            comment.state = .rejected(reasonCode: reasonCode)
            effects = [.updated(id)] + (wasPublished ? [.unpublished(id), .countsChanged(comment.currentKey)] : []) + [log(reasonCode)]
        case .edit(let text):
            guard comment.state.isOpen else { throw refuse() }
            let text = try Self.validated(text, field: "text", maxLength: settings.maxCommentLength)
            if comment.originalText == nil { comment.originalText = comment.text }
            comment.text = text
            effects = [.updated(id)] + (wasPublished ? [.published(id)] : []) + [log()]
        case .editProposal(let text):
            guard comment.state.isOpen, comment.kind == .rewording else { throw refuse() }
            let text = try Self.validated(text, field: "proposed_text", maxLength: settings.maxProposedTextLength)
            if comment.originalProposedText == nil { comment.originalProposedText = comment.proposedText }
            comment.proposedText = text
            effects = [.updated(id)] + (wasPublished ? [.published(id)] : []) + [log()]
        case .merge(let targetID):
            guard targetID != id else { throw .mergeIntoItself }
            guard comment.state.isOpen else { throw refuse() }
            guard var target = comments[targetID] else { throw .notFound(targetID) }
            guard target.state.isOpen else { throw .notAllowed(action: "merge into", state: target.state.label) }
            // Each participant keeps one stance: theirs on the survivor if any, else the one they took on the duplicate.
            for participant in comment.supporters where target.stance(of: participant) == nil && participant != target.participant {
                target.supporters.insert(participant)
            }
            for participant in comment.opposers where target.stance(of: participant) == nil && participant != target.participant {
                target.opposers.insert(participant)
            }
            target.mergedFrom.append(id)
            comment.supporters = []
            comment.opposers = []
            comment.state = .merged(into: targetID)
            comments[targetID] = target
            effects = [.updated(id), .updated(targetID)]
            if wasPublished { effects += [.unpublished(id), .countsChanged(comment.currentKey)] }
            if target.isPublished { effects += [.published(targetID), .countsChanged(target.currentKey)] }
            effects.append(log(mergedInto: targetID))
        case .withdraw(let participant):
            guard participant == comment.participant else { throw .notAuthor }
            guard comment.state.isOpen else { throw refuse() }
            comment.state = .withdrawn
            effects = [.updated(id)] + (wasPublished ? [.unpublished(id), .countsChanged(comment.currentKey)] : []) + [log()]
        case .take(let stance, let participant):
            guard comment.state == .published else { throw refuse() }
            guard participant != comment.participant else { throw .ownComment }
            guard comment.stance(of: participant) != stance else { throw .alreadyTaken(stance) }
            comment.supporters.remove(participant)
            comment.opposers.remove(participant)
            if stance == .support { comment.supporters.insert(participant) } else { comment.opposers.insert(participant) }
            effects = [.updated(id), .countsChanged(comment.currentKey)]
        case .clearStance(let participant):
            guard comment.supporters.remove(participant) != nil || comment.opposers.remove(participant) != nil else {
                throw .noStance
            }
            effects = [.updated(id)] + (wasPublished ? [.countsChanged(comment.currentKey)] : [])
        }
        comments[id] = comment
        return effects
    }

    /// Moves the "now discussing" marker to provision `eId` of `version` (nil clears it). The version must be
    /// published (a committee marks up after the window closes, so the window is not checked). Moving to where it
    /// already is changes nothing and returns no effect.
    public mutating func moveMarker(to eId: EId?, in version: BillVersion, at now: Timestamp) throws(BillCommentError) -> [BillCommentEffect] {
        guard version.billID == billID else { throw .wrongBill(version.billID) }
        guard version.state == .published else { throw .version(.notPublished(state: version.state)) }
        guard let eId else {
            guard marker != nil else { return [] }
            marker = nil
            return [.markerMoved(nil)]
        }
        guard let provision = version.provisions[eId] else { throw .anchor(.unknownProvision(eId)) }
        if let marker, marker.eId == eId, marker.version == version.number { return [] }
        let moved = DiscussionMarker(version: version.number, eId: eId, key: provision.key, since: now)
        marker = moved
        return [.markerMoved(moved)]
    }

    /// Carries every comment to a newly published version (`AnchorCarrier`), appending a `CarriedAnchor` to each whose
    /// current anchor is in `matching.old`'s version (`version - 1`); comments already about the whole bill stay so.
    /// The marker follows its provision's key, or is cleared when the provision is gone.
    /// `tree` is the new version's keyed tree (`ProvisionMatching.keyedTree`).
    public mutating func carryForward(matching: ProvisionMatching, into tree: ProvisionTree, version: Int) -> [BillCommentEffect] {
        var effects: [BillCommentEffect] = []
        var touched = Set<ProvisionKey?>()
        for id in comments.keys.sorted() {
            guard var comment = comments[id], let current = comment.currentAnchor, current.version == version - 1 else { continue }
            let carried = AnchorCarrier.carry(current, matching: matching, into: tree, version: version)
            comment.carried.append(carried)
            comments[id] = comment
            effects += [.carried(id, carried), .updated(id)]
            if comment.isPublished {
                touched.insert(current.key)
                touched.insert(carried.to?.key)
                effects.append(.published(id))
            }
        }
        for key in touched.sorted(by: { ($0?.rawValue ?? "") < ($1?.rawValue ?? "") }) { effects.append(.countsChanged(key)) }
        if let marker, marker.version == version - 1 {
            let target = matching.primary(forOld: marker.eId).flatMap { tree[$0.new] }
            self.marker = target.map { DiscussionMarker(version: version, eId: $0.eId, key: $0.key, since: marker.since) }
            effects.append(.markerMoved(self.marker))
        }
        return effects
    }

    /// The counts of the published comments whose current anchor is on provision `key` (nil: the bill as a whole).
    public func counts(for key: ProvisionKey?) -> ClauseCounts {
        comments.values.filter { $0.isPublished && $0.currentKey == key }.reduce(into: ClauseCounts()) { counts, comment in
            counts.count(comment)
        }
    }

    /// The counts of every provision key that has published comments.
    public var countsByKey: [ProvisionKey: ClauseCounts] {
        var result: [ProvisionKey: ClauseCounts] = [:]
        for comment in comments.values where comment.isPublished {
            guard let key = comment.currentKey else { continue }
            result[key, default: ClauseCounts()].count(comment)
        }
        return result
    }

    /// Rejected comments on provision `key` (nil: the bill) by reason code, for the committee report.
    public func rejectedByReason(for key: ProvisionKey?) -> [String: Int] {
        var result: [String: Int] = [:]
        for comment in comments.values where comment.currentKey == key {
            if case .rejected(let code) = comment.state { result[code, default: 0] += 1 }
        }
        return result
    }

    /// The published comments on provision `key` (nil: the bill), most supported first (then oldest first).
    public func published(for key: ProvisionKey?) -> [BillComment] {
        comments.values.filter { $0.isPublished && $0.currentKey == key }.sorted { a, b in
            a.supports != b.supports ? a.supports > b.supports : a.id < b.id
        }
    }

    /// How many comments are in each state, keyed by state label (every label present).
    public var stateCounts: [(label: String, count: Int)] {
        var byLabel: [String: Int] = [:]
        for comment in comments.values { byLabel[comment.state.label, default: 0] += 1 }
        return BillCommentState.labels.map { ($0, byLabel[$0] ?? 0) }
    }

    private static func validated(_ raw: String, field: String, maxLength: Int) throws(BillCommentError) -> String {
        switch QuestionText.validate(raw, maxLength: maxLength) {
        case .success(let text): return text
        case .failure(let message): throw .invalidText(field: field, message: message.text)
        }
    }

    private static func optional(_ raw: String?, field: String, maxLength: Int) throws(BillCommentError) -> String? {
        guard let raw else { return nil }
        switch QuestionText.validate(raw, maxLength: maxLength, required: false) {
        case .success(let text): return text.isEmpty ? nil : text
        case .failure(let message): throw .invalidText(field: field, message: message.text)
        }
    }
}

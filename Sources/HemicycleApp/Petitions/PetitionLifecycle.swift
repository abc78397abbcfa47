import Foundation
import HTTPTypes
import HemicycleCore
import HemicycleHub
import HemicycleStorage
import Logging

/// Starting, confirming, supporting and moderating petitions (Protocol/PETITIONS.md §1, §2, §4). Each change is
/// checked by `Petition.apply` (the pure lifecycle), stored with its email and audit entry in one transaction, then
/// reflected on the live topic. Errors are `APIError`s: this is the HTTP API's service.
struct PetitionLifecycle: Sendable {
    let store: any HemicycleStore
    let hub: any LiveBroker
    let settings: PetitionSettings
    let responseThreshold: Int
    let debateThreshold: Int
    let logger: Logger
    let clock: any WallClock
    /// Publishes a count change (a confirmed signature) on the live topic.
    let countChanged: @Sendable (SignatureBatchResult.CountChange) async -> Void
    /// The per-area live topics (declared with the petition's when it becomes public).
    var areas: LiveAreas?
    /// The limits on outbound mail: every email queued here is reserved there first.
    let mailLimits: MailLimits
    /// How many petitions one address and one email may start.
    let creationLimits: PetitionCreationLimits
    /// The outbox's retention (`pruneOutbox`).
    var mailSettings = MailSettings()
    /// The countries creators and supporters may name (a name in any page language, or a code); nil: any two-letter
    /// code.
    var countries: CountryDirectory?

    /// 429 with `Retry-After`: nothing was stored or mailed.
    static func tooMany(_ code: String, _ message: String, _ wait: RetryAfter) -> APIError {
        var error = APIError(.tooManyRequests, code, message)
        error.retryAfter = wait.seconds
        return error
    }

    /// The answer when no more mail may go to an address or be caused from one: it says when to try again, not
    /// whether the address is known.
    static func mailLimited(_ refusal: MailAllowance.Refusal) -> APIError {
        var error = tooMany("mail_limit", "Too many emails have been sent to this address or from your network recently. Try again later.", refusal.retryAfter)
        error.key = "error_mail_limit"
        return error
    }

    /// Creates a `pending` petition and mails its creator a confirmation link under `baseURL`. Over the creation limits
    /// of `address` or of the creator's email, or over a mail limit: 429 (`petition_limit`, `mail_limit`) with
    /// `Retry-After`, and nothing is stored or mailed.
    func create(_ draft: PetitionDraft, baseURL: String, address: String) async throws -> Petition {
        let valid: (action: String, background: String, additionalDetails: String, creator: ValidSignature)
        switch draft.validated(limits: settings.limits, countries: try await countries?.names()) {
        case .success(let v): valid = v
        case .failure(let errors): throw APIError(.unprocessableContent, "invalid_input", "The petition cannot be created as it is.", fields: errors, key: "petition_new_error_invalid")
        }
        let now = clock()
        if let wait = await creationLimits.admit(address: address, email: valid.creator.email, now: now) {
            throw Self.tooMany("petition_limit", "Too many petitions have been started from your network or with this email address recently. Try again later.", wait)
        }
        let recipientKey: String
        switch try await mailLimits.reserve(to: valid.creator.email, causedBy: address, now: now) {
        case .admitted(let key): recipientKey = key
        case .refused(let refusal): throw Self.mailLimited(refusal)
        }
        let token = SecureToken.random()
        let petition = Petition(
            id: Petition.ID(1), action: valid.action, background: valid.background, additionalDetails: valid.additionalDetails,
            state: .pending, signatureCount: 0, creatorName: valid.creator.name, createdAt: now, updatedAt: now, openedAt: nil,
            closedAt: nil, closingAt: nil,
            thresholds: [Threshold(name: "response", signatures: responseThreshold), Threshold(name: "debate", signatures: debateThreshold)]
        )
        let mail = OutgoingMail(
            to: valid.creator.email, subject: "Confirm your petition: \(valid.action)",
            body: """
                Thank you for starting the petition “\(valid.action)”.

                Confirm your email address to continue. Open this link and press the button on the page:
                \(baseURL)/confirm/\(token)

                The link works once and expires in \(settings.tokenDays) days. If you did not start this petition, ignore this email.
                """,
            kind: .creator, recipientKey: recipientKey
        )
        do {
            let created = try await store.createPetition(
                petition, creator: valid.creator, sponsorToken: SecureToken.random(bytes: 16),
                token: EmailToken(hash: SecureToken.sha256(token), purpose: .creator, subject: 0, expiresAt: now.adding(days: Int64(settings.tokenDays))),
                mail: mail
            )
            await mailLimits.finish(recipientKey)
            return created
        } catch {
            await mailLimits.finish(recipientKey)
            throw error
        }
    }

    /// A supporter signs through the supporter link; they get a confirmation email. Over a mail limit: 429
    /// (`mail_limit`) with `Retry-After`, nothing stored or mailed.
    func support(_ id: Petition.ID, sponsorToken: String, signature request: SignatureRequest, baseURL: String, address: String) async throws {
        guard let petition = try await store.petition(id), let expected = try await store.sponsorToken(of: id),
            SecureToken.constantTimeEqual(expected, sponsorToken)
        else { throw APIError.notFound("This supporter link") }
        guard petition.state == .validated || petition.state == .sponsored else {
            throw APIError(.conflict, "petition_state_conflict", "This petition is not collecting supporters (it is \(petition.state.label.lowercased())).")
        }
        let signature: ValidSignature
        switch request.validated(countries: try await countries?.names()) {
        case .success(let valid): signature = valid
        case .failure(let errors): throw APIError(.unprocessableContent, "invalid_input", "Some fields are not valid.", fields: errors, key: "error_fields_invalid")
        }
        let now = clock()
        let recipientKey: String
        switch try await mailLimits.reserve(to: signature.email, causedBy: address, now: now) {
        case .admitted(let key): recipientKey = key
        case .refused(let refusal): throw Self.mailLimited(refusal)
        }
        let token = SecureToken.random()
        let mail = OutgoingMail(
            to: signature.email, subject: "Confirm your support: \(petition.action)",
            body: """
                Thank you for supporting the petition “\(petition.action)”.

                Confirm your email address so that your support counts. Open this link and press the button on the page:
                \(baseURL)/confirm/\(token)

                The link works once and expires in \(settings.tokenDays) days.
                """,
            kind: .supporter, recipientKey: recipientKey
        )
        do {
            try await store.addSupporter(
                id, signature: signature,
                token: EmailToken(hash: SecureToken.sha256(token), purpose: .supporter, subject: 0, expiresAt: now.adding(days: Int64(settings.tokenDays))),
                mail: mail, now: now
            )
            await mailLimits.finish(recipientKey)
        } catch let error as StoreError where error.code == .conflict {
            await mailLimits.finish(recipientKey)
            throw APIError(.conflict, "duplicate_signature", "This email address already supports this petition.", key: "support_error_duplicate")
        } catch {
            await mailLimits.finish(recipientKey)
            throw error
        }
    }

    /// What a confirmation link did.
    enum Confirmation: Sendable {
        case creator(Petition)
        case supporter(Petition)
        /// A signer's signature now counts (`counted`: false if it had been confirmed before).
        case signature(Petition, counted: Bool)
    }

    /// The answer to a confirmation the petition's state refuses (409 `petition_not_open`; nothing was counted).
    static func notOpen(_ state: PetitionState?) -> APIError {
        let why: String = switch state {
        case .closed?: "the petition has closed"
        case .rejected?: "the petition was rejected"
        case .hidden?: "the petition was withdrawn by the moderators"
        case .abandoned?: "the petition did not gather its supporters in time"
        default: "the petition is not open for signatures"
        }
        return APIError(.conflict, "petition_not_open", "This confirmation was not counted: \(why).")
    }

    /// Uses an emailed token (by the POST of the confirmation page). Unknown, used and expired tokens are one error;
    /// a token whose petition no longer takes it (a signature after the petition closed, was rejected or hidden) is
    /// 409 `petition_not_open`, counts nothing, and stays refused.
    func confirm(token: String) async throws -> Confirmation {
        let now = clock()
        do {
            guard token.utf8.count < 100, let used = try await store.useToken(hash: SecureToken.sha256(token), now: now) else {
                throw APIError(.notFound, "invalid_token", "This link has already been used, has expired, or is not a confirmation link.")
            }
            // The store checks the state again with the count (the petition may have changed since the token was used).
            return try await confirm(used, now: now)
        } catch let error as StoreError where error.code == .notOpen {
            throw Self.notOpen(error.petitionState)
        }
    }

    private func confirm(_ used: EmailToken, now: Timestamp) async throws -> Confirmation {
        switch used.purpose {
        case .creator, .supporter:
            let (id, supporters) = try await store.confirmSponsorSignature(used.subject, now: now)
            guard var petition = try await store.petition(id) else { throw APIError.notFound("This petition") }
            if used.purpose == .creator, petition.state == .pending {
                try? petition.apply(.creatorConfirmed, at: now)
                try await store.updatePetition(petition, audit: AuditEntry(at: now, staffID: nil, action: "petition_creator_confirmed", subject: "petition:\(id)"))
            }
            if supporters >= settings.supportersRequired, petition.state == .validated {
                try? petition.apply(.sponsorsReached, at: now)
                try await store.updatePetition(petition, audit: AuditEntry(at: now, staffID: nil, action: "petition_sponsored", subject: "petition:\(id)"))
            }
            let current = try await store.petition(id) ?? petition
            return used.purpose == .creator ? .creator(current) : .supporter(current)
        case .signature:
            let change = try await store.confirmSignature(used.subject, now: now)
            if let change { await countChanged(change) }
            guard let petitionID = change?.petitionID, let petition = try await store.petition(petitionID) else {
                throw APIError(.notFound, "invalid_token", "This signature has already been confirmed.")
            }
            return .signature(petition, counted: true)
        }
    }

    // MARK: - Moderation

    func requireModerator(_ staff: StaffMember) throws {
        guard staff.role == .admin || staff.role == .petitionsModerator else {
            throw APIError.forbidden("Only petitions moderators can do this.")
        }
    }

    func moderate(_ id: Petition.ID, action: PetitionAction, by staff: StaffMember) async throws -> Petition {
        try requireModerator(staff)
        guard var petition = try await store.petition(id) else { throw APIError.notFound("This petition") }
        if case .reject(let rejection) = action, !settings.rejectionReasons.contains(where: { $0.code == rejection.code }) {
            throw APIError.invalid("code", "Unknown rejection code \(rejection.code).")
        }
        let now = clock()
        let applied = Result { () throws(PetitionTransitionError) in try petition.apply(action, at: now) }
        if case .failure(let error) = applied {
            throw APIError(.conflict, "petition_state_conflict", "Cannot \(error.action) a petition that is \(error.state.label.lowercased()).")
        }
        try await store.updatePetition(petition, audit: AuditEntry(
            at: now, staffID: staff.id, action: "petition_\(action.name)", subject: "petition:\(id)",
            details: JSONWriter.string(.object([("state", .string(petition.state.rawValue))]))
        ))
        await reflect(petition)
        return petition
    }

    func setGovernmentResponse(_ id: Petition.ID, respondedOn: String, summary: String, details: String, by staff: StaffMember) async throws -> Petition {
        try requireModerator(staff)
        guard var petition = try await store.petition(id), petition.state == .open || petition.state == .closed else {
            throw APIError.notFound("This open or closed petition")
        }
        let now = clock()
        petition.governmentResponse = GovernmentResponse(
            respondedOn: respondedOn, summary: summary, details: details, createdAt: petition.governmentResponse?.createdAt ?? now, updatedAt: now)
        petition.updatedAt = now
        try await store.updatePetition(petition, audit: AuditEntry(at: now, staffID: staff.id, action: "petition_government_response", subject: "petition:\(id)"))
        await reflect(petition)
        return petition
    }

    func setDebate(_ id: Petition.ID, outcome: DebateOutcome, by staff: StaffMember) async throws -> Petition {
        try requireModerator(staff)
        guard var petition = try await store.petition(id), petition.state == .open || petition.state == .closed else {
            throw APIError.notFound("This open or closed petition")
        }
        let now = clock()
        petition.debate = outcome
        petition.updatedAt = now
        try await store.updatePetition(petition, audit: AuditEntry(at: now, staffID: staff.id, action: "petition_debate", subject: "petition:\(id)"))
        await reflect(petition)
        return petition
    }

    /// Keeps the live topics in step: an open or closed petition has them (declared when it opens). A change of
    /// state goes out as a reliable `state` event with the new snapshot (Protocol/PROTOCOL.md §6.1); other changes (a
    /// government response, a debate) update the snapshot only. A petition that is hidden or rejected leaves `/live`:
    /// the `state` event is the last of its two topics, which then end (`Hub.retire`): a new subscription is
    /// `unknown_topic` and no snapshot carries its text any more.
    func reflect(_ petition: Petition) async {
        let snapshot = PetitionJSON.liveSnapshot(petition)
        guard PetitionJSON.isLive(petition.state) else {
            let event = PetitionJSON.stateEvent(petition)
            await hub.retire(petition.topic, event: "state", data: event)
            if let areas { await areas.retire(petition.id, event: "state", data: event) } else { await hub.retire(.petitionAreas(petition.id), event: "state", data: event) }
            return
        }
        guard let current = await hub.state(of: petition.topic) else {
            await hub.declare(petition.topic, snapshot: snapshot)
            try? await areas?.declare(petition.id)
            return
        }
        if current.data["state"]?.stringValue != petition.state.rawValue {
            await hub.publish(petition.topic, event: "state", data: PetitionJSON.stateEvent(petition), delivery: .reliable, snapshot: snapshot)
        } else {
            await hub.declare(petition.topic, snapshot: snapshot)
        }
    }

    // MARK: - Scheduler

    /// The outbox's retention sweep: unsent mail older than `mailSettings.retentionDays` is given up and erased, and
    /// recipient keys older than the per-recipient limit's window are forgotten.
    func pruneOutbox() async throws -> OutboxPruning {
        let now = clock()
        let window = Int64(mailSettings.recipientLimit?.milliseconds ?? 0)
        // One node at a time (several nodes share a PostgreSQL database); nothing to report when another ran it.
        return try await store.exclusively("outbox-prune") {
            try await store.pruneOutbox(
                unsentBefore: now.adding(days: -Int64(mailSettings.retentionDays)),
                keysBefore: Timestamp(millisecondsSince1970: now.millisecondsSince1970 - window), now: now
            )
        } ?? OutboxPruning(abandoned: 0, keysForgotten: 0)
    }

    /// Closes every open petition past its deadline, abandons drafts whose creator or supporters did not come in
    /// time (`abandonAfterDays` after creation), then anonymises the people of petitions that ended (closed,
    /// rejected, hidden or abandoned) `anonymiseAfterDays` ago. Returns what it did (for the log and tests).
    func runScheduledWork() async throws -> (closed: Int, abandoned: Int, anonymised: Int) {
        let now = clock()
        // Each job runs on one node at a time (several nodes share a PostgreSQL database): a node that finds one
        // running elsewhere skips it this round.
        let closed = try await store.exclusively("close-petitions") {
            var closed = 0
            for var petition in try await store.petitionsToClose(now: now) {
                guard case .success = Result(catching: { () throws(PetitionTransitionError) in try petition.apply(.close, at: now) }) else { continue }
                try await store.updatePetition(petition, audit: AuditEntry(at: now, staffID: nil, action: "petition_closed", subject: "petition:\(petition.id)"))
                await reflect(petition)
                closed += 1
            }
            return closed
        } ?? 0
        let abandoned = try await store.exclusively("abandon-drafts") {
            var abandoned = 0
            // A page at a time, oldest first: a flood of drafts is worked through without reading it all at once.
            var stale = PetitionQuery(states: [.pending, .validated], order: .oldest, createdBefore: now.adding(days: -Int64(settings.abandonAfterDays)))
            while true {
                let page = try await store.petitions(stale, limit: PetitionQuery.maxLimit, offset: 0)
                for var petition in page {
                    guard case .success = Result(catching: { () throws(PetitionTransitionError) in try petition.apply(.abandon, at: now) }) else { continue }
                    try await store.updatePetition(petition, audit: AuditEntry(at: now, staffID: nil, action: "petition_abandoned", subject: "petition:\(petition.id)"))
                    abandoned += 1
                }
                guard page.count == PetitionQuery.maxLimit, let last = page.last else { break }
                stale.idAbove = last.id
            }
            return abandoned
        } ?? 0
        let anonymised = try await store.exclusively("anonymise") {
            try await store.anonymise(endedBefore: now.adding(days: -Int64(settings.anonymiseAfterDays)))
        } ?? 0
        return (closed, abandoned, anonymised)
    }
}

public import HemicycleCore

extension BillState {
    /// A clerk's change to the bill's settings and, with `closes`, to the comment window of its published version (or
    /// of its draft when none is published yet): `hemicycle bills settings` (Protocol/LEGISLATION.md §6). Applied
    /// whole, with an audit entry `bill_settings_changed`, or refused with `BillSettingsError` and nothing changed.
    public mutating func changeSettings(_ change: BillSettingsChange, closes: Timestamp?, at now: Timestamp) throws(BillSettingsError) {
        let settings = try change.applied(to: bill.settings)
        var moved: BillVersion?
        if let closes {
            let target = current ?? latest.flatMap { $0.state == .draft ? $0 : nil }
            guard var version = target else { throw .noVersion }
            guard let window = CommentWindow(opens: version.window.opens, closes: closes) else {
                throw .windowInvalid(opens: version.window.opens, closes: closes)
            }
            do throws(BillVersionError) { try version.setWindow(window) } catch { throw .noVersion }
            moved = version
        }
        guard settings != bill.settings || moved != nil else { return }
        var details: [(String, JSONValue)] = [("via", .string("command line"))]
        for (name, value) in change.integers { if let value { details.append((name, .int(Int64(value)))) } }
        if let moderation = change.moderation { details.append(("moderation", .string(moderation.rawValue))) }
        if let allow = change.allowAnonymous { details.append(("allow_anonymous", .bool(allow))) }
        if let moved { details.append(("version", .int(Int64(moved.number)))); details.append(("closes_at", .string(moved.window.closes.iso8601))) }
        bill.settings = settings
        if let moved { put(moved) }
        newAudit.append(AuditEntry(at: now, staffID: nil, action: "bill_settings_changed", subject: "bill:\(bill.id)", details: JSONWriter.string(.object(details))))
    }
}

import HTTPTypes
import HemicycleCore

/// Reads a `SignatureFilter` from a staff request's JSON (Protocol/PETITIONS.md, "Bulk invalidation"): `petition_id`,
/// `email_domain`, `ip_range`, `from`, `until` (ISO 8601), `states`. Every bad part is an `invalid_input` error.
enum SignatureFilterInput {
    static func parse(_ body: JSONValue, defaultStates: Set<SignatureState> = [.counted, .pending, .held]) throws -> SignatureFilter {
        var filter = SignatureFilter(states: defaultStates)
        var errors = FieldErrors()
        switch body["petition_id"] {
        case nil, .null?: break
        case .int(let id)? where id > 0: filter.petition = Petition.ID(id)
        default: errors["petition_id"] = "Must be a petition's id (a positive whole number)."
        }
        switch body["email_domain"] {
        case nil, .null?: break
        case .string(let raw)?:
            let domain = raw.lowercased().hasPrefix("@") ? String(raw.lowercased().dropFirst()) : raw.lowercased()
            if domain.isEmpty { break }
            if domain.count > 253 || !domain.contains(".") || !domain.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }) {
                errors["email_domain"] = "Must be a domain like example.com."
            } else {
                filter.emailDomain = domain
            }
        default: errors["email_domain"] = "Must be a string."
        }
        switch body["ip_range"] {
        case nil, .null?: break
        case .string(let raw)? where raw.isEmpty: break
        case .string(let raw)?:
            if let range = IPAddressRange(raw) { filter.addressRange = range } else { errors["ip_range"] = "Must be an address or a range like 203.0.113.0/24 or 2001:db8::/32." }
        default: errors["ip_range"] = "Must be a string."
        }
        for key in ["from", "until"] {
            switch body[key] {
            case nil, .null?: break
            case .string(let raw)? where raw.isEmpty: break
            case .string(let raw)?:
                guard let time = ISOTime.parse(raw) else {
                    errors[key] = "Must be a time like 2026-11-29T14:00:00Z."
                    continue
                }
                if key == "from" { filter.from = time } else { filter.until = time }
            default: errors[key] = "Must be a string."
            }
        }
        if let from = filter.from, let until = filter.until, until <= from { errors["until"] = "Must be after from." }
        switch body["states"] {
        case nil, .null?: break
        case .array(let values)?:
            var states = Set<SignatureState>()
            for value in values {
                guard let raw = value.stringValue, let state = SignatureState(rawValue: raw), state != .invalidated else {
                    errors["states"] = "Each must be counted, pending or held."
                    break
                }
                states.insert(state)
            }
            if states.isEmpty, errors["states"] == nil { errors["states"] = "Name at least one of counted, pending or held." }
            if errors["states"] == nil { filter.states = states }
        default: errors["states"] = "Must be an array of counted, pending or held."
        }
        if !errors.isEmpty { throw APIError(.unprocessableContent, "invalid_input", "The condition is not valid.", fields: errors) }
        return filter
    }

    /// The condition in words, as the record keeps it.
    static func describe(_ filter: SignatureFilter) -> String {
        var parts: [String] = []
        if let petition = filter.petition { parts.append("petition \(petition)") }
        if let domain = filter.emailDomain { parts.append("email domain \(domain)") }
        if let range = filter.addressRange { parts.append("addresses \(range)") }
        if let from = filter.from { parts.append("from \(from.iso8601)") }
        if let until = filter.until { parts.append("until \(until.iso8601)") }
        parts.append("states " + SignatureState.allCases.filter { filter.states.contains($0) }.map(\.rawValue).joined(separator: "/"))
        return parts.joined(separator: ", ")
    }
}

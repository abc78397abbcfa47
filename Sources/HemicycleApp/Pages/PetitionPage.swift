import HemicycleCore

/// The template context of `petition.mustache` (see Protocol/DESIGN-CONTRACT.md, "Templates").
enum PetitionPage {
    struct FormState {
        var values: [String: String] = [:]
        var errors = FieldErrors()
        var flash: String?
    }

    static func context(_ p: Petition, form: FormState = .init()) -> [String: Any] {
        let thresholds: [[String: Any]] = p.thresholds.map { t in
            [
                "name": t.name, "label": t.label, "signatures_text": CountFormat.text(t.signatures),
                "reached": t.reachedAt != nil, "reached_at": t.reachedAt?.iso8601 ?? "",
                "percent": t.signatures > 0 ? min(100, p.signatureCount * 100 / t.signatures) : 100,
            ]
        }
        var context: [String: Any] = [
            "title": p.action,
            "petition": [
                "id": "\(p.id)", "topic": p.topic.description, "action": p.action, "background": p.background,
                "state": p.state.rawValue, "state_label": p.state.label,
                "is_open": p.state.acceptsSignatures, "signature_count": p.signatureCount,
                "signature_count_text": CountFormat.text(p.signatureCount), "thresholds": thresholds,
                "signature_unit": p.signatureCount == 1 ? "signature" : "signatures",
                "closing_date": p.closingAt?.date ?? "",
            ].merging(p.additionalDetails.isEmpty ? [:] : ["additional_details": p.additionalDetails]) { $1 },
            "form": [
                "errors": form.errors.entries.map { ["field": $0.field, "message": $0.message] },
                "has_errors": !form.errors.isEmpty,
                // Logic-less Mustache cannot look an error up in a list, so fields read theirs from this map.
                "field_errors": Dictionary(form.errors.entries.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first }),
                "values": ["name": "", "email": "", "postcode": "", "country": ""].merging(form.values) { $1 },
            ] as [String: Any],
        ]
        if let flash = form.flash { context["flash"] = flash }
        return context
    }
}

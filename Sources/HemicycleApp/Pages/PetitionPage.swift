import Foundation
import HemicycleCore

/// The template context of `petition.mustache` (see Protocol/DESIGN-CONTRACT.md, "Templates").
enum PetitionPage {
    struct FormState {
        var values: [String: String] = [:]
        var errors = FieldErrors()
        var flash: String?
        /// The error code of a refused post (`csrf_failed`), rendered as `data-error-code` on the error summary.
        var code: String?
    }

    /// - Parameter rejectionText: the public text of a rejection code (the parliament's configured reasons).
    /// - Parameter url: the page's public address, for the Open Graph and Twitter card metadata.
    static func context(_ p: Petition, form: FormState = .init(), url: String? = nil, rejectionText: ((String) -> String?)? = nil) -> [String: Any] {
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
        if let code = form.code, var formContext = context["form"] as? [String: Any] {
            formContext["code"] = code
            context["form"] = formContext
        }
        // A shared link previews with the count as of rendering.
        var og: [String: String] = [
            "title": p.action,
            "description": "\(CountFormat.text(p.signatureCount)) \(p.signatureCount == 1 ? "signature" : "signatures"). \(p.background)",
        ]
        if let url {
            og["url"] = url
            let base = url.hasSuffix("/petitions/\(p.id)") ? String(url.dropLast("/petitions/\(p.id)".count)) : url
            let title = p.action.replacingOccurrences(of: "\"", with: "&quot;")
            let snippet = { (query: String) in
                #"<iframe src="\#(base)/embed/petitions/\#(p.id)\#(query)" title="Live count: \#(title)" width="320" height="170"></iframe>"#
            }
            context["embed_snippet"] = snippet("")
            // The documented variants (WebClient/README.md): the count alone, and dark.
            context["embed_variants"] = [
                ["id": "count", "label": "The count only", "snippet": snippet("?show=count")],
                ["id": "dark", "label": "Dark, for a dark page", "snippet": snippet("?theme=dark")],
            ]
        }
        context["og"] = og
        context["feeds"] = OutreachController.feedLinks(["/feeds/petitions.atom", "/feeds/thresholds.atom", "/feeds/responses.atom"])
        if let rejection = p.rejection {
            var value: [String: Any] = ["code": rejection.code, "text": rejectionText?(rejection.code) ?? rejection.code]
            if let details = rejection.details, !details.isEmpty { value["details"] = details }
            context["rejection"] = value
        }
        if let response = p.governmentResponse {
            context["government_response"] = ["responded_on": response.respondedOn, "summary": response.summary, "details": response.details]
        }
        if let debate = p.debate {
            var value: [String: Any] = ["debated_on": debate.debatedOn]
            if let url = debate.transcriptURL { value["transcript_url"] = url }
            if let url = debate.videoURL { value["video_url"] = url }
            if let overview = debate.overview { value["overview"] = overview }
            context["debate"] = value
        }
        return context
    }
}

import HemicycleCore
import HemicycleStorage
import Hummingbird

/// `GET /dashboard` (the page), `GET /api/v1/dashboard` (the current tally) and `GET /api/v1/dashboard/series` (the
/// sittings' audience and questions minute by minute, for the page's charts).
struct DashboardController: Sendable {
    typealias Context = HemicycleRequestContext
    let dashboard: DashboardService
    let http: HearingHTTP
    /// The consultations on draft legislation the dashboard lists; nil: none.
    var bills: BillService?

    func addRoutes(to router: Router<Context>) {
        router.get("/api/v1/dashboard") { _, _ in Response.json(try await dashboard.tally(), headers: [.accessControlAllowOrigin: "*", .cacheControl: "no-cache"]) }
        router.get("/api/v1/dashboard/series") { _, _ in
            Response.json(await dashboard.series(), headers: [.accessControlAllowOrigin: "*", .cacheControl: "no-cache"])
        }
        router.get("/dashboard", use: page)
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let localization = http.localization
        let language = localization.language(for: request)
        let tally = try await dashboard.tally()
        var page = localization.context(for: request, title: localization.text("dashboard_title", language), page: "dashboard")
        page["sittings"] = (tally["sittings"]?.arrayValue ?? []).map { s -> [String: Any] in
            ["id": "\(s["id"]?.intValue ?? 0)", "title": s["title"]?.stringValue ?? "", "state": s["state"]?.stringValue ?? "",
             "state_text": localization.text("sitting_state_\(s["state"]?.stringValue ?? "")", language), "viewers": s["viewers"]?.intValue ?? 0]
        }
        page["petitions"] = (tally["petitions"]?.arrayValue ?? []).map { p -> [String: Any] in
            ["id": "\(p["id"]?.intValue ?? 0)", "action": p["action"]?.stringValue ?? "",
             "signature_count_text": CountFormat.text(Int(p["signature_count"]?.intValue ?? 0))]
        }
        if let bills {
            let now = await bills.now()
            page["consultations"] = await bills.all().compactMap { state -> [String: Any]? in
                guard let version = state.current, (try? version.checkOpen(at: now)) != nil else { return nil }
                var item = BillPageContext.summary(state, version: version, now: now)
                let busiest = BillPageContext.busiest(state.board, tree: version.provisions, billID: state.bill.id).map { entry -> [String: Any] in
                    // "1 comment, 2 supports": each count with its noun in the right number, in the page's language.
                    var entry = entry
                    let total = entry["total"] as? Int ?? 0, supports = entry["supports"] as? Int ?? 0
                    entry["counts_text"] = [("dashboard_bill_comments", total), ("dashboard_bill_supports", supports)].map { base, n in
                        localization.plural(base, n, language, ["n": CountFormat.text(n)])
                    }.joined(separator: ", ")
                    return entry
                }
                item["busiest"] = busiest
                item["has_busiest"] = !busiest.isEmpty
                return item
            }
        }
        return .html(http.pages.render("dashboard", page))
    }
}

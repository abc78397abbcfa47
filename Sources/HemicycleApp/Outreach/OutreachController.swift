import HTTPTypes
import HemicycleCore
import HemicycleStorage
import Hummingbird
import NIOCore

/// The parliament's presence where people are: Atom feeds (new petitions, thresholds reached, government responses,
/// upcoming sittings) and the embeddable live count (`/embed/petitions/{id}`, meant for an iframe).
struct OutreachController: Sendable {
    typealias Context = HemicycleRequestContext
    let store: any HemicycleStore
    let hearings: HearingService
    let pages: PageRenderer
    /// Links start with `site.base`, never with the request's `Host`.
    let site: SiteAddress

    /// The feeds, for `<link rel="alternate">` on the pages they belong to.
    static let feeds: [(path: String, title: String)] = [
        ("/feeds/petitions.atom", "New petitions"), ("/feeds/thresholds.atom", "Petitions reaching a threshold"),
        ("/feeds/responses.atom", "Government responses"), ("/feeds/sittings.atom", "Upcoming sittings"),
    ]

    /// `feeds` context entries for a page (`[{href, title}]`).
    static func feedLinks(_ paths: [String]) -> [[String: String]] {
        feeds.filter { paths.contains($0.path) }.map { ["href": $0.path, "title": $0.title] }
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/feeds/petitions.atom") { request, _ in try await feed(request, "/feeds/petitions.atom", entries: newPetitions(base)) }
        router.get("/feeds/thresholds.atom") { request, _ in try await feed(request, "/feeds/thresholds.atom", entries: thresholds(base)) }
        router.get("/feeds/responses.atom") { request, _ in try await feed(request, "/feeds/responses.atom", entries: responses(base)) }
        router.get("/feeds/sittings.atom") { request, _ in try await feed(request, "/feeds/sittings.atom", entries: sittings(base)) }
        router.get("/embed/petitions/:id", use: embed)
    }

    private var base: String { site.base }

    private func feed(_ request: Request, _ path: String, entries: [AtomFeed.Entry]) async throws -> Response {
        let base = self.base
        let title = Self.feeds.first { $0.path == path }?.title ?? "Hemicycle"
        let document = AtomFeed(
            id: base + path, title: title, link: base + "/", updated: entries.map(\.updated).max() ?? Timestamp(millisecondsSince1970: 0),
            entries: Array(entries.prefix(Self.feedEntries))
        )
        return Response(
            status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8", .cacheControl: "public, max-age=60", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(string: document.xml))
        )
    }

    /// Entries a feed carries.
    static let feedEntries = 50

    /// The public petitions of a feed: at most `feedEntries`, in the feed's order, read by state from the store.
    private func publicPetitions(_ query: PetitionQuery) async throws -> [Petition] {
        var query = query
        query.states = PetitionQuery.publicStates
        return try await store.petitions(query, limit: Self.feedEntries, offset: 0)
    }

    func newPetitions(_ base: String) async throws -> [AtomFeed.Entry] {
        try await publicPetitions(PetitionQuery(states: [], order: .lastOpened, openedSince: Timestamp(millisecondsSince1970: 0))).map { p in
            AtomFeed.Entry(id: "\(base)/petitions/\(p.id)", title: p.action, link: "\(base)/petitions/\(p.id)", updated: p.openedAt ?? p.createdAt, summary: p.background)
        }
    }

    /// Each threshold reached is an entry; the `feedEntries` petitions with the latest ones hold the latest entries.
    func thresholds(_ base: String) async throws -> [AtomFeed.Entry] {
        try await publicPetitions(PetitionQuery(states: [], order: .lastThresholdReached, reached: .any)).flatMap { p in
            p.thresholds.compactMap { t -> AtomFeed.Entry? in
                guard let at = t.reachedAt else { return nil }
                let what = t.name == "response" ? "a government response" : t.name == "debate" ? "a debate in Parliament" : t.name
                return AtomFeed.Entry(
                    id: "\(base)/petitions/\(p.id)#\(t.name)", title: "\(p.action): \(t.signatures) signatures", link: "\(base)/petitions/\(p.id)",
                    updated: at, summary: "The petition reached \(t.signatures) signatures and will be considered for \(what)."
                )
            }
        }.sorted { $0.updated > $1.updated }
    }

    func responses(_ base: String) async throws -> [AtomFeed.Entry] {
        try await publicPetitions(PetitionQuery(states: [], order: .lastGovernmentResponse, hasGovernmentResponse: true)).compactMap { p -> AtomFeed.Entry? in
            guard let r = p.governmentResponse else { return nil }
            return AtomFeed.Entry(
                id: "\(base)/petitions/\(p.id)#government-response", title: "Government response: \(p.action)", link: "\(base)/petitions/\(p.id)",
                updated: r.updatedAt, summary: r.summary
            )
        }
    }

    func sittings(_ base: String) async throws -> [AtomFeed.Entry] {
        await hearings.allRooms().filter { $0.sitting.state != .ended }.map { room in
            let s = room.sitting
            return AtomFeed.Entry(
                id: "\(base)/sittings/\(s.id)", title: s.title, link: "\(base)/sittings/\(s.id)", updated: s.scheduledStart,
                summary: "\(s.committee), \(SittingPageContext.humanTime(s.scheduledStart)). Watch live and put your questions to the witnesses."
            )
        }
    }

    /// A small page for an iframe: the petition's live count, its progress towards the next threshold and a link to
    /// sign. Variants (WebClient/README.md): `show=count|progress` (default progress) and `theme=light|dark` (default
    /// light); any other value is refused with 422, so a wrong snippet shows its mistake instead of a default.
    @Sendable func embed(_ request: Request, context: Context) async throws -> Response {
        guard let id = Petition.ID(parsing: Substring(context.parameters.get("id") ?? "")), let petition = try await store.petition(id),
            PetitionJSON.publicState(petition.state) != nil
        else { throw APIError.notFound("This petition") }
        let show = request.uri.queryParameters.get("show").map { String($0) } ?? "progress"
        guard ["count", "progress"].contains(show) else { throw APIError.invalid("show", "Use show=count or show=progress.") }
        let theme = request.uri.queryParameters.get("theme").map { String($0) } ?? "light"
        guard ["light", "dark"].contains(theme) else { throw APIError.invalid("theme", "Use theme=light or theme=dark.") }
        var page = PetitionPage.context(petition, url: "\(base)/petitions/\(petition.id)")
        page["petition_url"] = "\(base)/petitions/\(petition.id)"
        page["show"] = show
        page["theme"] = theme
        if let goal = Self.goal(petition) { page["goal"] = goal }
        return .html(pages.render("embed-petition", page))
    }

    /// The threshold the embed shows progress towards: the first not reached, else the last one (reached). The text
    /// is the one `goalState` in js/embed-count.js writes as the count moves.
    static func goal(_ petition: Petition) -> [String: Any]? {
        guard let threshold = petition.thresholds.first(where: { $0.reachedAt == nil }) ?? petition.thresholds.last, threshold.signatures > 0 else {
            return nil
        }
        let count = petition.signatureCount
        let reached = threshold.reachedAt != nil || count >= threshold.signatures
        let percent = reached ? 100 : count > 0 ? min(99, count * 100 / threshold.signatures) : 0
        let phrase = ["response": "a government response", "debate": "a debate"][threshold.name] ?? threshold.name
        let text = reached
            ? "Reached \(CountFormat.text(threshold.signatures)) for \(phrase)"
            : "\(percent)% of \(CountFormat.text(threshold.signatures)) for \(phrase)"
        return ["signatures": threshold.signatures, "name": threshold.name, "reached": reached, "percent": percent, "text": text]
    }
}

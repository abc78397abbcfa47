import Mustache

/// Renders the server-side pages from `WebClient/templates/*.mustache`, so a page works and can be shared without
/// JavaScript; the JS modules only enhance it.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads every template in `directory`.
    init(directory: String) async throws {
        library = try await MustacheLibrary(directory: directory)
    }

    /// The page, or a plain fallback if the template is missing (a broken install still answers).
    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template)
            ?? "<!doctype html><title>Hemicycle</title><p>This page cannot be shown: template \(template) is missing.</p>"
    }
}

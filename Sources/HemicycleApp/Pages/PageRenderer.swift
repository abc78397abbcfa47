import Foundation
import Mustache

/// Renders the server-side pages from `WebClient/templates/*.mustache`, so a page works and can be shared without
/// JavaScript; the JS modules only enhance them.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads every template in `directory` (and its subfolders, named `sub/name`).
    /// - Parameter staticBase: the versioned base of static files (`StaticFiles.base`, e.g. `/static/3f2a9c01be47`):
    ///   every `"/static/` address a template writes in an attribute (`src="/static/js/x.js"`) is loaded as
    ///   `"/static/3f2a9c01be47/js/x.js"`, which browsers may keep for a year. Nil keeps the addresses as written.
    init(directory: String, staticBase: String? = nil) async throws {
        var library = MustacheLibrary()
        let root = directory.hasSuffix("/") ? directory : directory + "/"
        for case let path as String in FileManager.default.enumerator(atPath: root)?.allObjects ?? [] where path.hasSuffix(".mustache") {
            guard let data = FileManager.default.contents(atPath: root + path), var text = String(data: data, encoding: .utf8) else {
                throw PageRendererError(message: "The template \(root + path) cannot be read as UTF-8.")
            }
            if let staticBase { text = Self.versioned(text, base: staticBase) }
            do {
                try library.register(text, named: String(path.dropLast(".mustache".count)))
            } catch {
                throw PageRendererError(message: "The template \(root + path) is not valid Mustache: \(error)")
            }
        }
        self.library = library
    }

    /// `text` with each quoted `/static/` address (an attribute's value starts with it) moved under `base`.
    static func versioned(_ text: String, base: String) -> String {
        text.replacingOccurrences(of: "\"/static/", with: "\"\(base)/")
    }

    /// The page, or a plain fallback if the template is missing (a broken install still answers).
    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template)
            ?? "<!doctype html><title>Hemicycle</title><p>This page cannot be shown: template \(template) is missing.</p>"
    }
}

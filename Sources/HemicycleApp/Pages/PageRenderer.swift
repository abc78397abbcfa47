import Foundation
import Mustache

/// Renders the server-side pages from `WebClient/templates/*.mustache`, so a page works and can be shared without
/// JavaScript; the JS modules only enhance them.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    /// By template: the versioned addresses of every module its scripts load (`module_preloads`, see `init`).
    private let preloads: [String: [String]]

    /// Loads every template in `directory` (and its subfolders, named `sub/name`).
    /// - Parameter staticBase: the versioned base of static files (`StaticFiles.base`, e.g. `/static/3f2a9c01be47`):
    ///   every `"/static/` address a template writes in an attribute (`src="/static/js/x.js"`) is loaded as
    ///   `"/static/3f2a9c01be47/js/x.js"`, which browsers may keep for a year. Nil keeps the addresses as written.
    /// - Parameter modules: the module graph of the static files (`StaticFiles.modulesLoaded(by:)`). With it, each
    ///   template that loads `<script type="module" src="/static/…">` (itself or in a partial it includes) renders
    ///   with `module_preloads`: the entry modules and everything they import, which `head.mustache` names as
    ///   `<link rel="modulepreload">`, so the browser fetches the whole graph in one round trip.
    init(directory: String, staticBase: String? = nil, modules: (@Sendable ([String]) -> [String])? = nil) async throws {
        var library = MustacheLibrary()
        var texts: [String: String] = [:]
        let root = directory.hasSuffix("/") ? directory : directory + "/"
        for case let path as String in FileManager.default.enumerator(atPath: root)?.allObjects ?? [] where path.hasSuffix(".mustache") {
            guard let data = FileManager.default.contents(atPath: root + path), let text = String(data: data, encoding: .utf8) else {
                throw PageRendererError(message: "The template \(root + path) cannot be read as UTF-8.")
            }
            let name = String(path.dropLast(".mustache".count))
            texts[name] = text
            do {
                try library.register(staticBase.map { Self.versioned(text, base: $0) } ?? text, named: name)
            } catch {
                throw PageRendererError(message: "The template \(root + path) is not valid Mustache: \(error)")
            }
        }
        self.library = library
        var preloads: [String: [String]] = [:]
        if let modules {
            for name in texts.keys {
                let entries = Self.moduleScripts(of: name, in: texts)
                guard !entries.isEmpty else { continue }
                preloads[name] = modules(entries).map { "\(staticBase ?? "/static")/\($0)" }
            }
        }
        self.preloads = preloads
    }

    /// `text` with each quoted `/static/` address (an attribute's value starts with it) moved under `base`.
    static func versioned(_ text: String, base: String) -> String {
        text.replacingOccurrences(of: "\"/static/", with: "\"\(base)/")
    }

    /// The paths under `/static/` of the module scripts (`<script type="module" src="/static/js/x.js">`) of the
    /// template `name` and of the partials it includes (`{{> head}}`), in order, each once.
    static func moduleScripts(of name: String, in texts: [String: String], visiting: Set<String> = []) -> [String] {
        guard let text = texts[name], !visiting.contains(name) else { return [] }
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{>") {
            rest = rest[open.upperBound...]
            let partial = rest.prefix { $0 != "}" }.trimmingCharacters(in: .whitespaces)
            for path in moduleScripts(of: partial, in: texts, visiting: visiting.union([name])) where !found.contains(path) { found.append(path) }
        }
        rest = text[...]
        let marker = "<script type=\"module\" src=\"/static/"
        while let tag = rest.range(of: marker) {
            rest = rest[tag.upperBound...]
            let path = String(rest.prefix { $0 != "\"" })
            if !found.contains(path) { found.append(path) }
        }
        return found
    }

    /// The page, or a plain fallback if the template is missing (a broken install still answers).
    func render(_ template: String, _ context: [String: Any]) -> String {
        var context = context
        if let preloads = preloads[template] { context["module_preloads"] = preloads }
        return library.render(context, withTemplate: template)
            ?? "<!doctype html><title>Hemicycle</title><p>This page cannot be shown: template \(template) is missing.</p>"
    }
}

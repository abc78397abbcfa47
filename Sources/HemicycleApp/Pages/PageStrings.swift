import Foundation
import Synchronization

/// Which strings each page ships to its scripts (`strings_json`, the `#hc-strings` block): only those its scripts can
/// ask for, found once at start by reading the web root. A template's scripts are its
/// `<script type="module" src="/static/js/NAME.js">` tags and every module they import (`from './x.js'`); a key is
/// shipped when one of those modules names it in a string literal (`t('vote')`, a table of keys), names its plural
/// base (`t.plural('votes', n)` ships `votes_one`, `votes_other`, …), or builds it from a literal prefix
/// (`` t(`action_${a}`) ``, `'action_' + a`). A page without scripts ships no block at all.
///
/// So a string a script needs is never missing (the rules cover how the scripts name keys), and a viewer's page does
/// not carry the moderators' strings.
struct PageStrings: Sendable {
    /// Template name (without `.mustache`) -> the keys its scripts may use.
    let keys: [String: Set<String>]

    /// Plural categories of `Intl.PluralRules`.
    static let pluralCategories = ["zero", "one", "two", "few", "many", "other"]

    /// What `init(webRoot:allKeys:)` found, by web root and keys: the web root does not change while a process runs,
    /// and scanning every module is slow in a debug build (the test suite builds hundreds of applications).
    private static let found = Mutex<[String: [String: Set<String>]]>([:])

    /// Reads every template of `webRoot/templates` and the modules of `webRoot/js` they load (once per process for a
    /// web root and set of keys).
    init(webRoot: String, allKeys: Set<String>) {
        let cacheKey = webRoot + "\u{0}" + allKeys.sorted().joined(separator: ",")
        if let known = Self.found.withLock({ $0[cacheKey] }) {
            self.init(keys: known)
            return
        }
        self.init(scanning: webRoot, allKeys: allKeys)
        let keys = self.keys
        Self.found.withLock { $0[cacheKey] = keys }
    }

    private init(scanning webRoot: String, allKeys: Set<String>) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "\(webRoot)/templates")) ?? []
        var modules: [String: String] = [:]
        func source(_ name: String) -> String {
            if let known = modules[name] { return known }
            let text = (try? String(contentsOfFile: "\(webRoot)/js/\(name)", encoding: .utf8)) ?? ""
            modules[name] = text
            return text
        }
        var scannedModules: [String: (literals: Set<String>, prefixes: Set<String>)] = [:]
        func scanned(_ name: String) -> (literals: Set<String>, prefixes: Set<String>) {
            if let known = scannedModules[name] { return known }
            let found = Self.literals(in: source(name))
            scannedModules[name] = found
            return found
        }
        var keys: [String: Set<String>] = [:]
        for file in files where file.hasSuffix(".mustache") {
            guard let template = try? String(contentsOfFile: "\(webRoot)/templates/\(file)", encoding: .utf8) else { continue }
            let scripts = Self.scripts(inTemplate: template)
            guard !scripts.isEmpty else { continue }
            var seen = Set<String>(), queue = scripts
            while let next = queue.popLast() {
                guard seen.insert(next).inserted else { continue }
                queue += Self.imports(in: source(next))
            }
            var literals = Set<String>(), prefixes = Set<String>()
            for module in seen {
                let found = scanned(module)
                literals.formUnion(found.literals)
                prefixes.formUnion(found.prefixes)
            }
            keys[String(file.dropLast(".mustache".count))] = Self.select(allKeys, literals: literals, prefixes: prefixes)
        }
        self.keys = keys
    }

    init(keys: [String: Set<String>]) { self.keys = keys }

    /// The module file names a template loads from `/static/js/`.
    static func scripts(inTemplate text: String) -> [String] {
        text.matches(of: /<script[^>]*\bsrc="\/static\/js\/([a-z0-9-]+\.js)"/).map { String($0.output.1) }
    }

    /// The sibling modules a module imports (static and dynamic).
    static func imports(in source: String) -> [String] {
        source.matches(of: /(?:from|import)\s*\(?\s*['"]\.\/([a-z0-9-]+\.js)['"]/).map { String($0.output.1) }
    }

    /// Identifier-like string literals, and the literal starts of keys built at run time.
    static func literals(in source: String) -> (literals: Set<String>, prefixes: Set<String>) {
        var literals = Set<String>(), prefixes = Set<String>()
        for match in source.matches(of: /['"]([a-z][a-z0-9_]*)['"]/) {
            let value = String(match.output.1)
            if value.hasSuffix("_") { prefixes.insert(value) } else { literals.insert(value) }
        }
        for match in source.matches(of: /`([a-z][a-z0-9_]*)\$\{/) { prefixes.insert(String(match.output.1)) }
        return (literals, prefixes)
    }

    static func select(_ allKeys: Set<String>, literals: Set<String>, prefixes: Set<String>) -> Set<String> {
        allKeys.filter { key in
            if literals.contains(key) { return true }
            if let underscore = key.lastIndex(of: "_"), pluralCategories.contains(String(key[key.index(after: underscore)...])),
                literals.contains(String(key[..<underscore])) { return true }
            return prefixes.contains { key.hasPrefix($0) }
        }
    }
}

/// A template that cannot be loaded: the server does not start with a broken page.
struct PageRendererError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

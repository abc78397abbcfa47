import NIOHTTP1

extension HTTPConnection {
    /// Logs a staff account in through `POST /api/v1/session` and returns the session cookies. A refusal (any status
    /// but 200, or no cookie) throws `refused("login of EMAIL answered STATUS: BODY")`, so each scenario reports it as
    /// its own set-up failure. The scenarios' own accounts only: the email and password are not escaped.
    func staffLogin(email: String, password: String, refused: (String) -> some Error) async throws -> String {
        let response = try await request(.POST, "/api/v1/session", json: #"{"email":"\#(email)","password":"\#(password)"}"#)
        guard response.status == 200, !response.cookies.isEmpty else {
            throw refused("login of \(email) answered \(response.status): \(response.body)")
        }
        return response.cookies
    }
}

import HemicycleCore
import HemicycleStorage

/// The email that asks a signer to confirm: a single-use token (only its hash is stored) behind `/confirm/{token}`.
enum SignatureConfirmationMail {
    /// - Parameter recipientKey: what the per-recipient mail limit counts it under (`MailLimits.recipientKey`).
    static func make(to email: String, baseURL: String, tokenDays: Int, now: Timestamp, recipientKey: String?) -> PendingSignature.Confirmation {
        let token = SecureToken.random()
        return PendingSignature.Confirmation(
            tokenHash: SecureToken.sha256(token), expiresAt: now.adding(days: Int64(tokenDays)),
            mail: OutgoingMail(
                to: email, subject: "Confirm your signature",
                body: """
                    Thank you for signing. Your signature counts once you confirm your email address: open this link and press
                    the button on the page.
                    \(baseURL)/confirm/\(token)

                    The link works once and expires in \(tokenDays) days. If you did not sign, ignore this email.
                    """,
                kind: .signature, recipientKey: recipientKey
            )
        )
    }
}

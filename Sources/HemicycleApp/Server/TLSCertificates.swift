import Foundation
import NIOSSL
import Synchronization

/// The certificate and key Hemicycle serves HTTPS and WSS with (`--tls-cert`, `--tls-key`, PEM), as an SSL context
/// that a renewed certificate replaces without a restart (`reload()`, on SIGHUP): connections opened after a reload
/// use the new one, open ones keep theirs.
///
/// ALPN offers `http/1.1` only: Hemicycle's connections are HTTP/1.1 pipelines (the `/live` upgrade, request
/// deadlines and guards live in them), see README "In production".
public final class TLSCertificates: Sendable {
    public let certificatePath: String
    public let keyPath: String
    private let current: Mutex<NIOSSLContext>

    /// Reads both files; throws (with the file's name) when one cannot be read or they do not make a context.
    public init(certificatePath: String, keyPath: String) throws(TLSFileError) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        current = Mutex(try Self.context(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// The context new connections get.
    var context: NIOSSLContext { current.withLock { $0 } }

    /// Reads the files again and, when they make a context, serves it to new connections. On an error the old
    /// context stays (a half-written renewal never takes the site down) and the error is thrown for the log.
    public func reload() throws(TLSFileError) {
        let fresh = try Self.context(certificatePath: certificatePath, keyPath: keyPath)
        current.withLock { $0 = fresh }
    }

    static func context(certificatePath: String, keyPath: String) throws(TLSFileError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw TLSFileError(description: "--tls-cert \(certificatePath): not a readable PEM certificate chain (\(error)).")
        }
        guard !chain.isEmpty else { throw TLSFileError(description: "--tls-cert \(certificatePath): no certificate in the file.") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw TLSFileError(description: "--tls-key \(keyPath): not a readable PEM private key (\(error)).")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFileError(description: "--tls-cert and --tls-key do not make a TLS context (does the key match the certificate?): \(error)")
        }
    }
}

/// A certificate or key file that cannot be served.
public struct TLSFileError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

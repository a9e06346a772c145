import Foundation

/// A TCP proxy that adds a round-trip time between Strata and a test server
/// (scripts/test-support/latency-proxy.py), started when `STRATA_BENCH_LATENCY_MS` is set, so
/// that remote benchmarks print the figure users far from the service see.
final class LatencyProxy {
    /// The added round trip in milliseconds, from `STRATA_BENCH_LATENCY_MS`, or nil to read direct.
    static var configuredRoundTrip: Double? {
        ProcessInfo.processInfo.environment["STRATA_BENCH_LATENCY_MS"].flatMap(Double.init)
    }

    private let process: Process
    /// The proxy's address with the upstream URL's scheme and path.
    let url: String

    /// Starts a proxy in front of `upstream`'s host and port (nil when the URL has none).
    init?(upstream: String, roundTripMilliseconds: Double) throws {
        guard let components = URLComponents(string: upstream), let host = components.host else { return nil }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        let listen = Int.random(in: 20_000..<40_000)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/test-support/latency-proxy.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--listen", String(listen), "--upstream", "\(host):\(port)",
                             "--round-trip-ms", String(roundTripMilliseconds)]
        try process.run()
        var proxied = components
        proxied.host = "127.0.0.1"
        proxied.port = listen
        url = proxied.string ?? upstream
        // The proxy is ready once it accepts a connection.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && !Self.accepts(port: listen) { usleep(50_000) }
    }

    /// `upstream` itself, or a proxy in front of it when a latency is configured.
    static func address(for upstream: String, label: String, keepAlive proxies: inout [LatencyProxy]) throws -> String {
        guard let roundTrip = configuredRoundTrip,
              let proxy = try LatencyProxy(upstream: upstream, roundTripMilliseconds: roundTrip) else { return upstream }
        proxies.append(proxy)
        print("  \(label): reading through a proxy that adds \(Int(roundTrip)) ms per round trip")
        return proxy.url
    }

    deinit {
        // SIGKILL: a child may inherit a signal mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

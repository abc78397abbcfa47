import Foundation

/// The CPUs this process may run on (its affinity mask, as set by `taskset`).
enum CPUAffinity {
    /// The number of CPUs in this process's affinity mask (`Cpus_allowed` in `/proc/self/status`), or nil where it
    /// cannot be read. (Glibc's `sched_getaffinity` is not visible to Swift without `_GNU_SOURCE`.)
    static func allowedCPUCount() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return nil }
        let mask = line.dropFirst("Cpus_allowed:".count)
        let count = mask.reduce(0) { total, character in total + (character.hexDigitValue?.nonzeroBitCount ?? 0) }
        return count > 0 ? count : nil
    }
}

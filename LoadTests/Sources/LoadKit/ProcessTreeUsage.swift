import Foundation

/// Resident memory and CPU time of a process and all its descendants, from `/proc`.
public enum ProcessTreeUsage {
    /// RSS in KiB of `pid` plus every descendant (node's cluster workers, c-epoll's forks); nil if `pid` is gone.
    public static func residentKiB(of pid: Int32) -> Int? {
        guard let own = vmRSS(pid) else { return nil }
        return own + descendants(of: pid).compactMap(vmRSS).reduce(0, +)
    }

    /// CPU seconds (user + system) used so far by `pid` and every live descendant; nil if `pid` is gone.
    public static func cpuSeconds(of pid: Int32) -> Double? {
        guard let own = cpuTicks(pid) else { return nil }
        let ticks = own + descendants(of: pid).compactMap(cpuTicks).reduce(0, +)
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func cpuTicks(_ pid: Int32) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    static func vmRSS(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    static func descendants(of pid: Int32) -> [Int32] {
        var result: [Int32] = []
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            for child in children.split(separator: " ").compactMap({ Int32($0) }) {
                result.append(child)
                result += descendants(of: child)
            }
        }
        return result
    }
}

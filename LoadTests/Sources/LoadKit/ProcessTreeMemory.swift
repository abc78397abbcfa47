import Foundation

/// Resident memory of a process and all its descendants, from `/proc`.
public enum ProcessTreeMemory {
    /// RSS in KiB of `pid` plus every descendant (node's cluster workers, c-epoll's forks); nil if `pid` is gone.
    public static func residentKiB(of pid: Int32) -> Int? {
        guard let own = vmRSS(pid) else { return nil }
        return own + descendants(of: pid).compactMap(vmRSS).reduce(0, +)
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

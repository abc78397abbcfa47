#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on the system-wide monotonic clock.
///
/// `CLOCK_MONOTONIC` is the same clock in every process of a machine, so a time taken by the coordinator (a trigger
/// sent) and a time taken by a worker process (a frame received) can be subtracted.
public enum MonotonicClock {
    @inline(__always)
    public static func nanos() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

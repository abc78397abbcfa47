/// What every fuzz target shares: the entry point libFuzzer calls, and `check`, which turns a broken property into a
/// crash libFuzzer keeps (a trap with the message on standard error: the input is saved as a crash file).
///
/// Compiled into each target by Fuzz/build (this file and the target's, with the package's HemicycleCore library).
import Foundation

/// Stops the run with `message` when `condition` is false. Not `precondition`: that is removed by `-Ounchecked`,
/// and this must fire in every build the fuzzer uses.
@inline(never)
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data("fuzz property broken: \(message())\n".utf8))
        abort()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntry(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    fuzzOne(bytes)
    return 0
}

import Dispatch

/// The entry point: runs ``FlyGateCommand`` in a task while the main thread waits.
///
/// Not an `async` main on purpose. An async main parks the main thread in `dispatch_main()`,
/// and valgrind (3.19 and 3.24 alike) crashes in that state as soon as another thread starts,
/// which kept callgrind's instruction counts (flygate-bench `--callgrind`) out of reach. A
/// blocked main thread is all the daemon needs: nothing here uses the main actor or queue.
@main
enum FlyGateMain {
    static func main() {
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            // The command's own `main(_:)` exits the process on an error; it returns on success.
            await FlyGateCommand.main(nil)
            finished.signal()
        }
        finished.wait()
    }
}

import FlyGateWire
import Foundation
import NIOCore

extension RPCDispatcher {
    /// Refuses a server-streaming call whose Request flags do not say "server streaming":
    /// flags 0 is a ttrpc 1.1 client (or a unary stub), which would wait for one Response
    /// forever; remote-open is a client-streaming call, whose input this method never reads.
    static func checkStreamFlags(_ flags: UInt8, method: String) throws {
        if flags & TTRPCFlags.remoteOpen != 0 {
            throw RPCError(
                code: .unimplemented,
                message: "method \(method) is server-streaming; a client-streaming request (flag 0x02) is not served: "
                    + "send the request flagged remote-closed (0x01)")
        }
        guard flags & TTRPCFlags.remoteClosed != 0 else {
            throw RPCError(
                code: .unimplemented,
                message: "method \(method) streams its answer and needs ttrpc 1.2: "
                    + "send the request flagged remote-closed (0x01) and read Data frames")
        }
    }

    /// Runs a server-streaming call until its handler returns or throws, its deadline passes,
    /// or `stop` ends it (the server draining, the client breaking the stream's protocol);
    /// returns the outcome once the handler's work has ended, so that the caller's end frame
    /// is the last frame of the stream. `sink` takes no message after the outcome is known.
    func runStream(_ prepared: PreparedCall, sink: RPCStreamSink, stop: RPCStreamStop) async -> Result<Void, any Error> {
        guard let stream = prepared.method.serverStream else {
            return .failure(RPCError(code: .unimplemented, message: "method \(prepared.context.method) does not stream"))
        }
        let context = prepared.context
        let outcome = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask {
                do {
                    try await stream(prepared.payload, context, sink)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            if let deadline = context.deadline {
                group.addTask {
                    do {
                        try await sleep(until: deadline)
                        return .failure(RPCError(code: .deadlineExceeded, message: "deadline exceeded"))
                    } catch {
                        return nil
                    }
                }
            }
            group.addTask { await stop.wait().map { .failure($0) } }
            var outcome: Result<Void, any Error> = .failure(CancellationError())
            // A nil is a racer that gave up (cancelled): only when this task is cancelled too.
            while let next = await group.next() {
                if let next {
                    outcome = next
                    break
                }
            }
            sink.close()
            group.cancelAll()
            return outcome
        }
        stop.finish()
        if self.logger.logLevel <= .debug {
            self.logger(for: prepared).debug(
                "stream finished",
                metadata: ["flygate.rpc.duration_ms": "\((ContinuousClock.now - prepared.received).milliseconds)"]
            )
        }
        return outcome
    }

    /// The frame that ends a ttrpc server stream: a Data frame flagged remote-closed and
    /// no-data when it ended OK, else a Response carrying the status.
    func endFrame(of prepared: PreparedCall, _ outcome: Result<Void, any Error>) -> TTRPCFrame {
        let streamID = prepared.context.streamID
        switch outcome {
        case .success:
            return TTRPCFrame(
                streamID: streamID, type: .data, flags: TTRPCFlags.remoteClosed | TTRPCFlags.noData, data: ByteBuffer())
        case .failure(let error):
            let envelope = self.encode(.failure(error), logger: self.logger(for: prepared))
            return TTRPCFrame(streamID: streamID, type: .response, data: envelope)
        }
    }
}

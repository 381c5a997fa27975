import NIOCore

extension NIOAsyncChannel {
    /// Wraps a connection's or stream's channel so that, should the wrapper go away without
    /// having been served (NIO drops what a listener or an HTTP/2 connection accepts while it
    /// closes, and a connection's negotiation can end after its listener stopped), its writer
    /// is finished and the channel closed instead of NIO trapping on an unfinished writer,
    /// which takes the whole daemon down. Served wrappers are still ended by
    /// `executeThenClose`, as everywhere.
    ///
    /// NIO marks this initializer deprecated for code that relies on deinit to tear channels
    /// down; here deinit is only the safety net for the wrapper nobody got to serve.
    static func closingIfUnserved(_ channel: any Channel, configuration: Configuration) throws -> NIOAsyncChannel {
        try NIOAsyncChannel(synchronouslyWrapping: channel, configuration: configuration)
    }
}

import FlyGateCore
import FlyMachinesAPI
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's configuration and token, read from the file, the environment and the flags.
struct LoadedConfiguration: Sendable, CustomStringConvertible {
    var description: String { "LoadedConfiguration(file: \(configFile ?? "none"), token: \(token.summary))" }

    /// Where the token came from, if anywhere.
    struct Token: Sendable {
        var credentials: FlyCredentials?
        var source: String?

        /// What `--print-config` and the logs may say about it.
        var summary: String {
            guard let source, let credentials else { return "(none: the built-in simulator is served)" }
            return "(set from \(source), \(credentials.scheme.rawValue) scheme; redacted)"
        }
    }

    var configuration: DaemonConfiguration
    var token: Token
    var configFile: String?

    static func load(
        flags: [(field: String, value: String, flag: String)],
        configPath: String?,
        environment: [String: String]
    ) throws -> LoadedConfiguration {
        var loader = ConfigurationLoader(environment: environment, userID: UInt32(getuid()))
        let file = configFile(explicit: configPath, environment: environment)
        if let file {
            try loader.applyFile(try readConfigFile(file), path: file)
        }
        loader.applyFlags(flags)
        let configuration = try loader.load()
        return LoadedConfiguration(configuration: configuration, token: try token(configuration, environment), configFile: file)
    }

    /// The config file's bytes, when the file is the daemon's user's or root's and no one else may
    /// change it: its rules say who may call what, so it is trusted as the token file is.
    private static func readConfigFile(_ path: String) throws -> [UInt8] {
        func refused(_ message: String) -> ConfigurationError {
            ConfigurationError(field: "(file)", source: "config file \(path)", message: message)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw refused("cannot be read (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw refused("is not a regular file") }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            throw refused("is owned by uid \(info.st_uid), not by the daemon's uid \(geteuid()) or root; chown it")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw refused("is writable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod go-w it")
        }
        guard let data = try? FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readToEnd() else {
            throw refused("cannot be read")
        }
        return Array(data)
    }

    /// The explicit file (which must exist), else `$FLYGATE_CONFIG`, else the default path if present.
    private static func configFile(explicit: String?, environment: [String: String]) -> String? {
        if let explicit { return explicit }
        if let fromEnvironment = environment["FLYGATE_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        let fallback: String
        if getuid() == 0 {
            fallback = "/etc/flygate/config.json"
        } else if let home = environment["XDG_CONFIG_HOME"], !home.isEmpty {
            fallback = home + "/flygate/config.json"
        } else {
            fallback = (environment["HOME"] ?? "/") + "/.config/flygate/config.json"
        }
        return FileManager.default.fileExists(atPath: fallback) ? fallback : nil
    }

    private static func token(_ configuration: DaemonConfiguration, _ environment: [String: String]) throws -> Token {
        let source: FlyCredentials.Source
        let name: String
        if let file = configuration.tokenFile {
            (source, name) = (.file(file), "token file \(file)")
        } else if let value = environment["FLY_API_TOKEN"], !value.isEmpty {
            (source, name) = (.environment, "FLY_API_TOKEN")
        } else {
            return Token(credentials: nil, source: nil)
        }
        let result = Result { () throws(FlyAPIError) in try FlyCredentials.load(from: source, environment: environment) }
        switch result {
        case .success(let credentials):
            return Token(credentials: credentials, source: name)
        case .failure(let error):
            throw ConfigurationError(field: "upstream.token_file", source: name, message: error.message)
        }
    }
}

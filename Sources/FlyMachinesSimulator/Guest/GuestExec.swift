import FlyGateJSON

/// The tiny command set `exec` runs "inside" a simulated machine.
///
/// Supported: `echo`, `cat` (echoes stdin), `true`, `false`, `hostname`, `env`, `pwd`, `whoami`,
/// `uname`, `sh -c 'exit N'` / `sh -c 'echo …'` (one simple command); anything else exits 127.
package enum GuestExec {
    /// The result of one command (`flydv1.ExecResponse`).
    package struct Result: Sendable, Equatable {
        /// What the command wrote to stdout.
        package var stdout = ""
        /// What the command wrote to stderr.
        package var stderr = ""
        /// The exit status.
        package var exitCode = 0

        /// The `flydv1.ExecResponse` JSON object.
        package var json: JSONValue {
            ["stdout": .string(stdout), "stderr": .string(stderr), "exit_code": .int(exitCode), "exit_signal": 0]
        }
    }

    /// Runs `argv` on `machine` with `stdin`.
    package static func run(_ argv: [String], stdin: String, machine: SimulatedMachine) -> Result {
        guard let command = argv.first else { return Result(stderr: "exec: no command\n", exitCode: 127) }
        let arguments = Array(argv.dropFirst())
        switch command.split(separator: "/").last.map(String.init) ?? command {
        case "echo":
            var words = arguments
            var newline = true
            if words.first == "-n" {
                newline = false
                words.removeFirst()
            }
            return Result(stdout: words.joined(separator: " ") + (newline ? "\n" : ""))
        case "cat":
            return Result(stdout: stdin)
        case "true":
            return Result()
        case "false":
            return Result(exitCode: 1)
        case "hostname":
            return Result(stdout: machine.id + "\n")
        case "pwd":
            return Result(stdout: "/\n")
        case "whoami":
            return Result(stdout: "root\n")
        case "uname":
            return Result(stdout: arguments.contains("-a") ? "Linux \(machine.id) 6.1.0 x86_64 GNU/Linux\n" : "Linux\n")
        case "env", "printenv":
            return Result(stdout: environment(of: machine).map { "\($0.key)=\($0.value)\n" }.joined())
        case "sh", "bash":
            guard arguments.count >= 2, arguments[0] == "-c" else {
                return Result(stderr: "\(command): only -c 'command' is supported\n", exitCode: 2)
            }
            return runShell(arguments[1], stdin: stdin, machine: machine)
        default:
            return Result(stderr: "\(command): command not found\n", exitCode: 127)
        }
    }

    /// Splits a deprecated `cmd` string into words, honouring single and double quotes.
    package static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" || character == "\n" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    private static func runShell(_ script: String, stdin: String, machine: SimulatedMachine) -> Result {
        let argv = words(script)
        if argv.first == "exit" {
            let code = argv.count > 1 ? Int(argv[1]) ?? 2 : 0
            return Result(exitCode: code & 0xFF)
        }
        if argv.isEmpty { return Result() }
        return run(argv, stdin: stdin, machine: machine)
    }

    private static func environment(of machine: SimulatedMachine) -> [(key: String, value: String)] {
        var entries: [(key: String, value: String)] = [
            ("FLY_APP_NAME", machine.appName), ("FLY_MACHINE_ID", machine.id), ("FLY_ALLOC_ID", machine.id),
            ("FLY_REGION", machine.region), ("FLY_PRIVATE_IP", machine.privateIP),
            ("FLY_IMAGE_REF", machine.config["image"]?.stringValue ?? ""), ("FLY_MACHINE_VERSION", machine.instanceID),
            ("HOSTNAME", machine.id), ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        ]
        for member in machine.config["env"]?.objectValue?.members ?? [] {
            if let text = member.value.stringValue { entries.append((member.key, text)) }
        }
        return entries
    }
}

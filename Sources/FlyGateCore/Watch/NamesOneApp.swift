import FlyMachinesProto

/// A request of flygate's own services that names one app (a watch): the access policy's app
/// allow-lists and the audit record read it as they read a Machines call's `app_name`.
package protocol NamesOneApp {
    var namedApp: String { get }
}

extension Flygate_Watch_V1_WatchMachineRequest: NamesOneApp {
    package var namedApp: String { appName }
}

extension Flygate_Watch_V1_WatchAppRequest: NamesOneApp {
    package var namedApp: String { appName }
}

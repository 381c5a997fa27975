import FlyMachinesProto

/// Short builders for the requests the end-to-end tests send.
enum Machines {
    static func create(_ app: String, image: String = "nginx:1.27", name: String? = nil, skipLaunch: Bool = false) -> Flygate_Machines_V1_CreateRequest {
        var request = Flygate_Machines_V1_CreateRequest()
        request.appName = app
        request.body.config.image = image
        request.body.config.guest.cpus = 1
        request.body.config.guest.memoryMb = 256
        if let name { request.body.name = name }
        if skipLaunch { request.body.skipLaunch = true }
        return request
    }

    static func target<R: MachinesRPCRequest & AppMachineAddressable>(_ type: R.Type, _ app: String, _ machine: String) -> R {
        var request = R()
        request.appName = app
        request.machineID = machine
        return request
    }

    static func wait(_ app: String, _ machine: String, state: String, timeout: Int64 = 10) -> Flygate_Machines_V1_WaitRequest {
        var request = target(Flygate_Machines_V1_WaitRequest.self, app, machine)
        request.state = [state]
        request.timeout = timeout
        return request
    }
}

/// Requests addressed by app and machine.
protocol AppMachineAddressable {
    var appName: String { get set }
    var machineID: String { get set }
}

extension Flygate_Machines_V1_ShowRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_UpdateRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_DeleteRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_StartRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_StopRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_RestartRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_SuspendRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_SignalRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_CordonRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_UncordonRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_WaitRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_ExecRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_ListEventsRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_ListProcessesRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_ListVersionsRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_CreateLeaseRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_ShowLeaseRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_ReleaseLeaseRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_ShowMetadataRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_GetMetadataKeyRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_UpdateMetadataRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_DeleteMetadataRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_PatchMetadataRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_GetMemoryRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_SetMemoryLimitRequest: AppMachineAddressable {}
extension Flygate_Machines_V1_ReclaimMemoryRequest: AppMachineAddressable {}

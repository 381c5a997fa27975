/*
 * flygate-c - an example program on the flygate C client.
 *
 *   flygate-c [--socket PATH] [--timeout SECONDS] list APP
 *   flygate-c [--socket PATH] [--timeout SECONDS] show APP ID
 *   flygate-c [--socket PATH] [--timeout SECONDS] start|stop APP ID
 *   flygate-c [--socket PATH] [--timeout SECONDS] wait APP ID STATE
 *   flygate-c [--socket PATH] [--timeout SECONDS] health
 *
 * Exit code: 0 on success, the google.rpc status code on failure (5 NOT_FOUND, ...), 64 for usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flygate.h"
#include "flygate/gateway/v1/gateway.pb-c.h"
#include "flygate/machines/v1/machines.pb-c.h"

#define EXIT_USAGE 64

static const char usage[] =
    "usage: flygate-c [--socket PATH] [--timeout SECONDS] COMMAND\n"
    "  list APP              the app's machines\n"
    "  show APP ID           one machine\n"
    "  start APP ID          start a machine\n"
    "  stop APP ID           stop a machine\n"
    "  wait APP ID STATE     wait until the machine is in STATE (started, stopped, ...)\n"
    "  health                the daemon's health\n";

static const char *text(const char *value) { return value ? value : "-"; }

static void print_machine(const Flygate__Machines__V1__Machine *machine) {
    printf("id:         %s\n", text(machine->id));
    printf("name:       %s\n", text(machine->name));
    printf("state:      %s\n", text(machine->state));
    printf("region:     %s\n", text(machine->region));
    printf("image:      %s\n", machine->config ? text(machine->config->image) : "-");
    printf("instance:   %s\n", text(machine->instance_id));
    printf("private ip: %s\n", text(machine->private_ip));
    printf("created:    %s\n", text(machine->created_at));
    printf("updated:    %s\n", text(machine->updated_at));
}

static void print_list(const Flygate__Machines__V1__ListResponse *list) {
    printf("%-16s %-24s %-10s %-8s %s\n", "ID", "NAME", "STATE", "REGION", "IMAGE");
    for (size_t i = 0; i < list->n_body; i++) {
        const Flygate__Machines__V1__Machine *m = list->body[i];
        printf("%-16s %-24s %-10s %-8s %s\n", text(m->id), text(m->name), text(m->state), text(m->region),
               m->config ? text(m->config->image) : "-");
    }
}

int main(int argc, char **argv) {
    const char *socket_path = NULL;
    double timeout_seconds = 60;
    int arg = 1;
    for (; arg < argc && strncmp(argv[arg], "--", 2) == 0; arg++) {
        if (strcmp(argv[arg], "--socket") == 0 && arg + 1 < argc) {
            socket_path = argv[++arg];
        } else if (strcmp(argv[arg], "--timeout") == 0 && arg + 1 < argc) {
            char *end = NULL;
            timeout_seconds = strtod(argv[++arg], &end);
            if (end == argv[arg] || *end != '\0' || !(timeout_seconds > 0 && timeout_seconds < 1e6)) {
                fputs(usage, stderr);
                return EXIT_USAGE;
            }
        } else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    const char *command = arg < argc ? argv[arg++] : "";
    int rest = argc - arg;
    char **args = argv + arg;
    const ProtobufCServiceDescriptor *machines = &flygate__machines__v1__machines__descriptor;

    /* The request of each command; every one of them lives on this stack frame. */
    Flygate__Machines__V1__ListRequest list = FLYGATE__MACHINES__V1__LIST_REQUEST__INIT;
    Flygate__Machines__V1__ShowRequest show = FLYGATE__MACHINES__V1__SHOW_REQUEST__INIT;
    Flygate__Machines__V1__StartRequest start = FLYGATE__MACHINES__V1__START_REQUEST__INIT;
    Flygate__Machines__V1__StopRequest stop = FLYGATE__MACHINES__V1__STOP_REQUEST__INIT;
    Flygate__Machines__V1__WaitRequest wait = FLYGATE__MACHINES__V1__WAIT_REQUEST__INIT;
    Flygate__Gateway__V1__HealthRequest health = FLYGATE__GATEWAY__V1__HEALTH_REQUEST__INIT;
    const ProtobufCServiceDescriptor *service = machines;
    const char *method;
    ProtobufCMessage *request;
    char *states[1];

    if (strcmp(command, "list") == 0 && rest == 1) {
        method = "List", request = &list.base;
        list.app_name = args[0];
    } else if (strcmp(command, "show") == 0 && rest == 2) {
        method = "Show", request = &show.base;
        show.app_name = args[0], show.machine_id = args[1];
    } else if (strcmp(command, "start") == 0 && rest == 2) {
        method = "Start", request = &start.base;
        start.app_name = args[0], start.machine_id = args[1];
    } else if (strcmp(command, "stop") == 0 && rest == 2) {
        method = "Stop", request = &stop.base;
        stop.app_name = args[0], stop.machine_id = args[1];
    } else if (strcmp(command, "wait") == 0 && rest == 3) {
        method = "Wait", request = &wait.base;
        wait.app_name = args[0], wait.machine_id = args[1];
        states[0] = args[2];
        wait.n_state = 1, wait.state = states;
        /* Fly's wait gives up after at most 60 s; the daemon loops within the call's deadline. */
        wait.has_timeout = 1, wait.timeout = timeout_seconds < 60 ? (int64_t)timeout_seconds : 60;
        if (wait.timeout < 1) wait.timeout = 1;
    } else if (strcmp(command, "health") == 0 && rest == 0) {
        service = &flygate__gateway__v1__gateway__descriptor;
        method = "Health", request = &health.base;
    } else {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }

    flygate_client *client = NULL;
    flygate_status status = FLYGATE_STATUS_INIT;
    ProtobufCMessage *response = NULL;
    if (flygate_connect(socket_path, &client, &status) == FLYGATE_OK) {
        flygate_metadata metadata[] = {{"flygate-request-id", "flygate-c"}};
        flygate_call_options options = {(int64_t)(timeout_seconds * 1000), metadata, 1};
        flygate_call(client, service, method, request, &response, &options, &status);
    }
    if (status.code == FLYGATE_OK) {
        if (request == &list.base) {
            print_list((Flygate__Machines__V1__ListResponse *)response);
        } else if (request == &show.base) {
            const Flygate__Machines__V1__ShowResponse *shown = (Flygate__Machines__V1__ShowResponse *)response;
            if (shown->body) print_machine(shown->body);
        } else if (request == &start.base) {
            const Flygate__Machines__V1__StartResponse *started = (Flygate__Machines__V1__StartResponse *)response;
            printf("starting %s (was %s)\n", args[1], started->body ? text(started->body->previous_state) : "-");
        } else if (request == &stop.base) {
            printf("stopping %s\n", args[1]);
        } else if (request == &wait.base) {
            const Flygate__Machines__V1__WaitResponse *waited = (Flygate__Machines__V1__WaitResponse *)response;
            printf("%s is %s\n", args[1], waited->body && waited->body->state ? waited->body->state : args[2]);
        } else {
            const Flygate__Gateway__V1__HealthResponse *h = (Flygate__Gateway__V1__HealthResponse *)response;
            printf("%s, version %s, upstream %s%s, pid %lld, up %lld s\n", h->status, h->version, h->upstream,
                   h->simulator ? " (simulator)" : "", (long long)h->pid, (long long)h->uptime_seconds);
        }
    } else {
        fprintf(stderr, "flygate-c: %s: %s", flygate_code_name(status.code), status.message ? status.message : "");
        if (status.http_status) fprintf(stderr, " (HTTP %d", status.http_status);
        if (status.http_status && status.fly_request_id) fprintf(stderr, ", fly-request-id %s", status.fly_request_id);
        fputs(status.http_status ? ")\n" : "\n", stderr);
    }
    int code = status.code;
    if (response) protobuf_c_message_free_unpacked(response, NULL);
    flygate_status_clear(&status);
    flygate_close(client);
    return code;
}

/*
 * flygate.h - a small C client for the flygate daemon, on libprotobuf-c.
 *
 * One connection, one call at a time: a call sends a ttrpc Request frame on the next odd stream
 * id and reads the Response frame for it (docs/wire.md has the byte-level facts). Messages are
 * the protoc-c types generated from proto/ (the Makefile generates them into build/gen).
 *
 *     flygate_client *client = NULL;
 *     flygate_status status = FLYGATE_STATUS_INIT;
 *     if (flygate_connect(NULL, &client, &status) == FLYGATE_OK) {
 *         Flygate__Machines__V1__ShowRequest request = FLYGATE__MACHINES__V1__SHOW_REQUEST__INIT;
 *         request.app_name = "my-app";
 *         request.machine_id = "3d8d9e1b2c4e87";
 *         ProtobufCMessage *response = NULL;
 *         flygate_call_options options = {.timeout_ms = 10000};
 *         if (flygate_call(client, &flygate__machines__v1__machines__descriptor, "Show",
 *                          &request.base, &response, &options, &status) == FLYGATE_OK) {
 *             Flygate__Machines__V1__ShowResponse *show = (Flygate__Machines__V1__ShowResponse *)response;
 *             ...
 *             protobuf_c_message_free_unpacked(response, NULL);
 *         }
 *     }
 *     if (status.code != FLYGATE_OK) fprintf(stderr, "%s: %s\n", flygate_code_name(status.code), status.message);
 *     flygate_status_clear(&status);
 *     flygate_close(client);
 *
 * A flygate_client is not thread-safe: use one per thread, or a lock around calls.
 */
#ifndef FLYGATE_H
#define FLYGATE_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest frame data the client sends or accepts: the daemon's default maximum, 4 MiB. */
#define FLYGATE_MAX_FRAME (4u * 1024u * 1024u)

/* google.rpc.Code: the status codes the daemon answers with. */
enum flygate_code {
    FLYGATE_OK = 0,
    FLYGATE_CANCELLED = 1,
    FLYGATE_UNKNOWN = 2,
    FLYGATE_INVALID_ARGUMENT = 3,
    FLYGATE_DEADLINE_EXCEEDED = 4,
    FLYGATE_NOT_FOUND = 5,
    FLYGATE_ALREADY_EXISTS = 6,
    FLYGATE_PERMISSION_DENIED = 7,
    FLYGATE_RESOURCE_EXHAUSTED = 8,
    FLYGATE_FAILED_PRECONDITION = 9,
    FLYGATE_ABORTED = 10,
    FLYGATE_OUT_OF_RANGE = 11,
    FLYGATE_UNIMPLEMENTED = 12,
    FLYGATE_INTERNAL = 13,
    FLYGATE_UNAVAILABLE = 14,
    FLYGATE_DATA_LOSS = 15,
    FLYGATE_UNAUTHENTICATED = 16,
};

/*
 * The outcome of a call. On failure: the daemon's status, or one the client made up
 * (UNAVAILABLE: no connection or it broke; DEADLINE_EXCEEDED: no answer in time; INTERNAL: the
 * answer was not ttrpc; INVALID_ARGUMENT: a bad argument to the call). Strings are owned by the
 * status: free them with flygate_status_clear.
 */
typedef struct flygate_status {
    int code;             /* FLYGATE_OK on success */
    char *message;        /* NULL on success */
    int http_status;      /* Fly's HTTP status when the status came from Fly's API, else 0 */
    char *fly_request_id; /* Fly's request id when known, else NULL */
} flygate_status;

#define FLYGATE_STATUS_INIT {FLYGATE_OK, NULL, 0, NULL}

/* One metadata entry; keys are lower-case (e.g. "flygate-request-id"). */
typedef struct flygate_metadata {
    const char *key;
    const char *value;
} flygate_metadata;

typedef struct flygate_call_options {
    /* The call's deadline in milliseconds, sent as timeout_nano: 0 = none, negative = expired.
     * The client waits this long plus 2 s for the daemon's answer before giving up itself. */
    int64_t timeout_ms;
    const flygate_metadata *metadata;
    size_t metadata_count;
} flygate_call_options;

typedef struct flygate_client flygate_client;

/*
 * The socket path by the daemon's rule: $FLYGATE_SOCKET, else $XDG_RUNTIME_DIR/flygate/flygate.sock,
 * else /run/flygate/flygate.sock for root, else /tmp/flygate-$UID/flygate.sock.
 * Writes it into buffer; returns buffer, or NULL when it does not fit.
 */
char *flygate_default_socket_path(char *buffer, size_t size);

/* Connects to socket_path (NULL: the default path). Returns the status code. */
int flygate_connect(const char *socket_path, flygate_client **client, flygate_status *status);

/*
 * Calls service/method (e.g. &flygate__machines__v1__machines__descriptor, "Show") with request,
 * whose type must be the method's input type. On FLYGATE_OK *response is the decoded answer
 * (the method's output type); free it with protobuf_c_message_free_unpacked(*response, NULL).
 * options may be NULL (no deadline, no metadata). Returns the status code, also in *status
 * (status may be NULL when only the code matters).
 * After a transport or protocol failure the next call connects again.
 */
int flygate_call(flygate_client *client, const ProtobufCServiceDescriptor *service, const char *method,
                 const ProtobufCMessage *request, ProtobufCMessage **response, const flygate_call_options *options,
                 flygate_status *status);

/* Closes the connection and frees the client; NULL is fine. */
void flygate_close(flygate_client *client);

/* Frees the status's strings and resets it to FLYGATE_STATUS_INIT. */
void flygate_status_clear(flygate_status *status);

/* "NOT_FOUND" for 5, ...; "UNKNOWN" for codes outside 0-16. */
const char *flygate_code_name(int code);

#ifdef __cplusplus
}
#endif

#endif /* FLYGATE_H */

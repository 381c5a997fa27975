/* flygate.c - the C client of the flygate daemon: ttrpc frames over a Unix socket. */
#include "flygate.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ttrpc/ttrpc.pb-c.h"

#define HEADER_SIZE 10
#define TYPE_REQUEST 0x01
#define TYPE_RESPONSE 0x02
#define DEADLINE_GRACE_MS 2000
#define HTTP_STATUS_DETAIL "flygate/upstream.http_status"
#define FLY_REQUEST_ID_DETAIL "flygate/upstream.fly_request_id"

struct flygate_client {
    int fd;                /* -1 when not connected */
    uint32_t next_stream;  /* odd, growing */
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* ------------------------------------------------------------------ statuses */

static const char *const code_names[] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
};

const char *flygate_code_name(int code) {
    if (code < 0 || (size_t)code >= sizeof code_names / sizeof code_names[0]) return "UNKNOWN";
    return code_names[code];
}

void flygate_status_clear(flygate_status *status) {
    if (status == NULL) return;
    free(status->message);
    free(status->fly_request_id);
    *status = (flygate_status)FLYGATE_STATUS_INIT;
}

/* A copy of len bytes as a NUL-terminated string, or NULL when out of memory. */
static char *copy_bytes(const void *data, size_t len) {
    if (len == SIZE_MAX) return NULL;
    char *copy = malloc(len + 1);
    if (copy == NULL) return NULL;
    if (len > 0) memcpy(copy, data, len);
    copy[len] = '\0';
    return copy;
}

/* Sets status to code with a printf-style message (a fixed text if even that cannot be allocated). */
static int fail(flygate_status *status, int code, const char *format, ...) {
    flygate_status_clear(status);
    status->code = code;
    char text[512];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    status->message = copy_bytes(text, strlen(text));
    return code;
}

/* The daemon's status, with Fly's HTTP status and request id from its details. */
static int fail_with_status(flygate_status *status, const Ttrpc__Status *answer) {
    int code = answer->code > FLYGATE_OK && answer->code <= FLYGATE_UNAUTHENTICATED ? answer->code : FLYGATE_UNKNOWN;
    const char *message = answer->message ? answer->message : "";
    fail(status, code, "%s", "");
    free(status->message);
    status->message = copy_bytes(message, strlen(message));
    for (size_t i = 0; i < answer->n_details; i++) {
        const Ttrpc__Any *detail = answer->details[i];
        if (detail == NULL || detail->type_url == NULL) continue;
        if (strcmp(detail->type_url, HTTP_STATUS_DETAIL) == 0) {
            int value = 0;
            size_t j;
            for (j = 0; j < detail->value.len && j < 4; j++) {
                uint8_t c = detail->value.data[j];
                if (c < '0' || c > '9') break;
                value = value * 10 + (c - '0');
            }
            if (j == detail->value.len && j > 0) status->http_status = value;
        } else if (strcmp(detail->type_url, FLY_REQUEST_ID_DETAIL) == 0 && status->fly_request_id == NULL) {
            if (memchr(detail->value.data, '\0', detail->value.len) == NULL)
                status->fly_request_id = copy_bytes(detail->value.data, detail->value.len);
        }
    }
    return status->code;
}

/* ------------------------------------------------------------------ the socket */

char *flygate_default_socket_path(char *buffer, size_t size) {
    const char *env = getenv("FLYGATE_SOCKET");
    int written;
    if (env != NULL && env[0] != '\0') {
        written = snprintf(buffer, size, "%s", env);
    } else if ((env = getenv("XDG_RUNTIME_DIR")) != NULL && env[0] != '\0') {
        written = snprintf(buffer, size, "%s/flygate/flygate.sock", env);
    } else if (geteuid() == 0) {
        written = snprintf(buffer, size, "/run/flygate/flygate.sock");
    } else {
        written = snprintf(buffer, size, "/tmp/flygate-%lu/flygate.sock", (unsigned long)geteuid());
    }
    return written < 0 || (size_t)written >= size ? NULL : buffer;
}

static void disconnect(flygate_client *client) {
    if (client->fd >= 0) close(client->fd);
    client->fd = -1;
}

static int reconnect(flygate_client *client, flygate_status *status) {
    disconnect(client);
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    memcpy(address.sun_path, client->path, sizeof address.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(status, FLYGATE_UNAVAILABLE, "socket: %s", strerror(errno));
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int error = errno;
        close(fd);
        return fail(status, FLYGATE_UNAVAILABLE, "cannot connect to flygate at %s: %s", client->path, strerror(error));
    }
    client->fd = fd;
    client->next_stream = 1;
    return FLYGATE_OK;
}

static int connect_to(const char *socket_path, flygate_client **client, flygate_status *status) {
    *client = NULL;
    char fallback[sizeof(((struct sockaddr_un *)0)->sun_path)];
    if (socket_path == NULL && (socket_path = flygate_default_socket_path(fallback, sizeof fallback)) == NULL)
        return fail(status, FLYGATE_INVALID_ARGUMENT, "the default socket path is longer than %zu bytes", sizeof fallback - 1);
    flygate_client *made = calloc(1, sizeof *made);
    if (made == NULL) return fail(status, FLYGATE_RESOURCE_EXHAUSTED, "out of memory");
    made->fd = -1;
    size_t length = strlen(socket_path);
    if (length == 0 || length >= sizeof made->path) {
        free(made);
        return fail(status, FLYGATE_INVALID_ARGUMENT, "socket path must be 1 to %zu bytes", sizeof made->path - 1);
    }
    memcpy(made->path, socket_path, length + 1);
    if (reconnect(made, status) != FLYGATE_OK) {
        free(made);
        return status->code;
    }
    *client = made;
    flygate_status_clear(status);
    return FLYGATE_OK;
}

void flygate_close(flygate_client *client) {
    if (client == NULL) return;
    disconnect(client);
    free(client);
}

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int write_all(flygate_client *client, const uint8_t *data, size_t len, flygate_status *status) {
    while (len > 0) {
        ssize_t sent = send(client->fd, data, len, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return fail(status, FLYGATE_UNAVAILABLE, "connection to flygate lost: %s", strerror(errno));
        data += sent;
        len -= (size_t)sent;
    }
    return FLYGATE_OK;
}

/* Reads exactly len bytes before deadline (ms on the monotonic clock; -1: none). */
static int read_all(flygate_client *client, uint8_t *data, size_t len, int64_t deadline, flygate_status *status) {
    while (len > 0) {
        int wait = -1;
        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            if (left <= 0) return fail(status, FLYGATE_DEADLINE_EXCEEDED, "no answer from flygate within the deadline");
            wait = left > INT_MAX ? INT_MAX : (int)left;
        }
        struct pollfd ready = {.fd = client->fd, .events = POLLIN};
        int polled = poll(&ready, 1, wait);
        if (polled < 0 && errno == EINTR) continue;
        if (polled < 0) return fail(status, FLYGATE_UNAVAILABLE, "poll: %s", strerror(errno));
        if (polled == 0) continue; /* the deadline check above ends the wait */
        ssize_t got = recv(client->fd, data, len, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got < 0) return fail(status, FLYGATE_UNAVAILABLE, "connection to flygate lost: %s", strerror(errno));
        if (got == 0) return fail(status, FLYGATE_UNAVAILABLE, "connection to flygate closed");
        data += got;
        len -= (size_t)got;
    }
    return FLYGATE_OK;
}

static void put_u32(uint8_t *out, uint32_t value) {
    out[0] = (uint8_t)(value >> 24);
    out[1] = (uint8_t)(value >> 16);
    out[2] = (uint8_t)(value >> 8);
    out[3] = (uint8_t)value;
}

static uint32_t get_u32(const uint8_t *in) {
    return (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | in[3];
}

/* ------------------------------------------------------------------ one call */

/* The Request frame (header + envelope) of one call, malloc'd into *frame. */
static int build_frame(const ProtobufCServiceDescriptor *service, const char *method, const ProtobufCMessage *request,
                       const flygate_call_options *options, uint32_t stream, uint8_t **frame, size_t *frame_len,
                       flygate_status *status) {
    *frame = NULL;
    size_t payload_len = protobuf_c_message_get_packed_size(request);
    if (payload_len > FLYGATE_MAX_FRAME)
        return fail(status, FLYGATE_RESOURCE_EXHAUSTED, "request of %zu bytes is over the frame limit", payload_len);
    uint8_t *payload = malloc(payload_len ? payload_len : 1);
    size_t count = options ? options->metadata_count : 0;
    Ttrpc__KeyValue *entries = calloc(count ? count : 1, sizeof *entries);
    Ttrpc__KeyValue **pointers = calloc(count ? count : 1, sizeof *pointers);
    int code = FLYGATE_OK;
    if (payload == NULL || entries == NULL || pointers == NULL) {
        code = fail(status, FLYGATE_RESOURCE_EXHAUSTED, "out of memory");
        goto done;
    }
    protobuf_c_message_pack(request, payload);

    Ttrpc__Request envelope = TTRPC__REQUEST__INIT;
    envelope.service = (char *)service->name;
    envelope.method = (char *)method;
    envelope.payload.data = payload;
    envelope.payload.len = payload_len;
    if (options != NULL && options->timeout_ms != 0) {
        int64_t ms = options->timeout_ms;
        envelope.timeout_nano = ms < 0 ? -1 : ms > INT64_MAX / 1000000 ? INT64_MAX : ms * 1000000;
    }
    for (size_t i = 0; i < count; i++) {
        const flygate_metadata *entry = &options->metadata[i];
        if (entry->key == NULL || entry->value == NULL) {
            code = fail(status, FLYGATE_INVALID_ARGUMENT, "metadata entry %zu has no key or value", i);
            goto done;
        }
        ttrpc__key_value__init(&entries[i]);
        entries[i].key = (char *)entry->key;
        entries[i].value = (char *)entry->value;
        pointers[i] = &entries[i];
    }
    envelope.n_metadata = count;
    envelope.metadata = pointers;

    size_t envelope_len = ttrpc__request__get_packed_size(&envelope);
    if (envelope_len > FLYGATE_MAX_FRAME) {
        code = fail(status, FLYGATE_RESOURCE_EXHAUSTED, "request of %zu bytes is over the frame limit", envelope_len);
        goto done;
    }
    *frame = malloc(HEADER_SIZE + envelope_len);
    if (*frame == NULL) {
        code = fail(status, FLYGATE_RESOURCE_EXHAUSTED, "out of memory");
        goto done;
    }
    put_u32(*frame, (uint32_t)envelope_len);
    put_u32(*frame + 4, stream);
    (*frame)[8] = TYPE_REQUEST;
    (*frame)[9] = 0;
    ttrpc__request__pack(&envelope, *frame + HEADER_SIZE);
    *frame_len = HEADER_SIZE + envelope_len;
done:
    free(payload);
    free(entries);
    free(pointers);
    return code;
}

/* Reads the Response frame for stream into a malloc'd *data (NULL when empty). */
static int read_response(flygate_client *client, uint32_t stream, int64_t deadline, uint8_t **data, size_t *len,
                         flygate_status *status) {
    *data = NULL;
    *len = 0;
    uint8_t header[HEADER_SIZE];
    for (;;) {
        if (read_all(client, header, sizeof header, deadline, status) != FLYGATE_OK) return status->code;
        if (header[0] != 0) return fail(status, FLYGATE_INTERNAL, "protocol error: non-zero reserved byte in a frame header");
        uint32_t length = get_u32(header);
        if (length > FLYGATE_MAX_FRAME)
            return fail(status, FLYGATE_INTERNAL, "protocol error: frame of %u bytes is over the limit", (unsigned)length);
        uint32_t got_stream = get_u32(header + 4);
        uint8_t *buffer = length ? malloc(length) : NULL;
        if (length && buffer == NULL) return fail(status, FLYGATE_RESOURCE_EXHAUSTED, "out of memory");
        if (read_all(client, buffer, length, deadline, status) != FLYGATE_OK) {
            free(buffer);
            return status->code;
        }
        if (header[8] != TYPE_RESPONSE) { /* a streaming Data frame: not for unary calls */
            free(buffer);
            continue;
        }
        if (got_stream != stream) {
            free(buffer);
            return fail(status, FLYGATE_INTERNAL, "protocol error: answer on stream %u, expected %u", (unsigned)got_stream,
                        (unsigned)stream);
        }
        *data = buffer;
        *len = length;
        return FLYGATE_OK;
    }
}

static int call(flygate_client *client, const ProtobufCServiceDescriptor *service, const char *method,
                const ProtobufCMessage *request, ProtobufCMessage **response, const flygate_call_options *options,
                flygate_status *status) {
    flygate_status_clear(status);
    if (client == NULL || service == NULL || method == NULL || request == NULL)
        return fail(status, FLYGATE_INVALID_ARGUMENT, "flygate_call: a required argument is NULL");
    const ProtobufCMethodDescriptor *rpc = protobuf_c_service_descriptor_get_method_by_name(service, method);
    if (rpc == NULL) return fail(status, FLYGATE_INVALID_ARGUMENT, "%s has no method %s", service->name, method);
    if (request->descriptor != rpc->input)
        return fail(status, FLYGATE_INVALID_ARGUMENT, "%s takes a %s, not a %s", method, rpc->input->name,
                    request->descriptor->name);

    if (client->fd < 0 || client->next_stream > UINT32_MAX - 2) {
        if (reconnect(client, status) != FLYGATE_OK) return status->code;
    }
    uint32_t stream = client->next_stream;
    client->next_stream += 2;

    uint8_t *frame = NULL;
    size_t frame_len = 0;
    if (build_frame(service, method, request, options, stream, &frame, &frame_len, status) != FLYGATE_OK)
        return status->code;
    int64_t timeout = options ? options->timeout_ms : 0;
    int64_t deadline = timeout == 0 ? -1 : now_ms() + (timeout < 0 ? 0 : timeout) + DEADLINE_GRACE_MS;
    int code = write_all(client, frame, frame_len, status);
    free(frame);
    uint8_t *data = NULL;
    size_t len = 0;
    if (code == FLYGATE_OK) code = read_response(client, stream, deadline, &data, &len, status);
    if (code != FLYGATE_OK) {
        disconnect(client); /* the connection's state is unknown: the next call starts afresh */
        return code;
    }

    static const uint8_t empty[1] = {0};
    Ttrpc__Response *answer = ttrpc__response__unpack(NULL, len, data ? data : empty);
    free(data);
    if (answer == NULL) {
        disconnect(client);
        return fail(status, FLYGATE_INTERNAL, "protocol error: the answer is not a ttrpc Response");
    }
    if (answer->status != NULL && answer->status->code != FLYGATE_OK) {
        code = fail_with_status(status, answer->status);
    } else {
        const uint8_t *payload = answer->payload.len ? answer->payload.data : empty;
        *response = protobuf_c_message_unpack(rpc->output, NULL, answer->payload.len, payload);
        if (*response == NULL)
            code = fail(status, FLYGATE_INTERNAL, "protocol error: the answer's payload is not a %s", rpc->output->name);
    }
    ttrpc__response__free_unpacked(answer, NULL);
    return code;
}

/* ------------------------------------------------------------------ the entry points (status may be NULL) */

int flygate_connect(const char *socket_path, flygate_client **client, flygate_status *status) {
    flygate_status ignored = FLYGATE_STATUS_INIT;
    int code = client ? connect_to(socket_path, client, status ? status : &ignored)
                      : fail(status ? status : &ignored, FLYGATE_INVALID_ARGUMENT, "flygate_connect: client is NULL");
    flygate_status_clear(&ignored);
    return code;
}

int flygate_call(flygate_client *client, const ProtobufCServiceDescriptor *service, const char *method,
                 const ProtobufCMessage *request, ProtobufCMessage **response, const flygate_call_options *options,
                 flygate_status *status) {
    flygate_status ignored = FLYGATE_STATUS_INIT;
    if (status == NULL) status = &ignored;
    int code;
    if (response == NULL) {
        code = fail(status, FLYGATE_INVALID_ARGUMENT, "flygate_call: response is NULL");
    } else {
        *response = NULL;
        code = call(client, service, method, request, response, options, status);
    }
    flygate_status_clear(&ignored);
    return code;
}

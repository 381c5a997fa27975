/*
 * api_test SOCKET APP - drives the C client against a running daemon (built-in simulator).
 * Prints one line per check; exits 0 when all pass. Run under valgrind by the test suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flygate.h"
#include "flygate/apps/v1/apps.pb-c.h"
#include "flygate/gateway/v1/gateway.pb-c.h"
#include "flygate/machines/v1/machines.pb-c.h"
#include "flygate/platform/v1/platform.pb-c.h"
#include "flygate/secrets/v1/secrets.pb-c.h"
#include "flygate/volumes/v1/volumes.pb-c.h"

static int failures;

static void check(int condition, const char *what, const flygate_status *status) {
    printf("%s %s", condition ? "ok  " : "FAIL", what);
    if (!condition && status) printf(" (%s: %s)", flygate_code_name(status->code), status->message ? status->message : "");
    printf("\n");
    if (!condition) failures++;
}

static const ProtobufCServiceDescriptor *const machines = &flygate__machines__v1__machines__descriptor;

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: api_test SOCKET APP\n");
        return 64;
    }
    const char *app = argv[2];
    flygate_client *client = NULL;
    flygate_status status = FLYGATE_STATUS_INIT;
    ProtobufCMessage *response = NULL;
    flygate_call_options options = {.timeout_ms = 20000};

    check(flygate_connect("/nonexistent/flygate.sock", &client, &status) == FLYGATE_UNAVAILABLE && client == NULL,
          "no daemon is UNAVAILABLE", &status);
    check(flygate_connect(argv[1], &client, &status) == FLYGATE_OK, "connect", &status);
    if (client == NULL) return 1;

    /* Health, with metadata. */
    flygate_metadata metadata[] = {{"flygate-request-id", "c-api-test"}, {"flygate-no-coalesce", "true"}};
    flygate_call_options with_metadata = {.timeout_ms = 5000, .metadata = metadata, .metadata_count = 2};
    Flygate__Gateway__V1__HealthRequest health = FLYGATE__GATEWAY__V1__HEALTH_REQUEST__INIT;
    int code = flygate_call(client, &flygate__gateway__v1__gateway__descriptor, "Health", &health.base, &response,
                            &with_metadata, &status);
    check(code == FLYGATE_OK && strcmp(((Flygate__Gateway__V1__HealthResponse *)response)->status, "serving") == 0,
          "health with metadata", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    /* Create a machine whose config carries a member the proto does not name. */
    Flygate__Machines__V1__MachineConfig config = FLYGATE__MACHINES__V1__MACHINE_CONFIG__INIT;
    config.image = "nginx:1.27";
    config.unknown_json = "{\"future_member\":{\"x\":1}}";
    Flygate__Machines__V1__CreateMachineRequest body = FLYGATE__MACHINES__V1__CREATE_MACHINE_REQUEST__INIT;
    body.name = "c-api-1";
    body.config = &config;
    Flygate__Machines__V1__CreateRequest create = FLYGATE__MACHINES__V1__CREATE_REQUEST__INIT;
    create.app_name = (char *)app;
    create.body = &body;
    code = flygate_call(client, machines, "Create", &create.base, &response, &options, &status);
    check(code == FLYGATE_OK, "create", &status);
    if (code != FLYGATE_OK) return 1;
    Flygate__Machines__V1__CreateResponse *created = (Flygate__Machines__V1__CreateResponse *)response;
    char id[64];
    snprintf(id, sizeof id, "%s", created->body && created->body->id ? created->body->id : "");
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;
    check(strlen(id) == 14, "create answers a 14-character id", NULL);

    char *started[] = {"started"};
    Flygate__Machines__V1__WaitRequest wait = FLYGATE__MACHINES__V1__WAIT_REQUEST__INIT;
    wait.app_name = (char *)app, wait.machine_id = id, wait.n_state = 1, wait.state = started;
    wait.has_timeout = 1, wait.timeout = 10;
    code = flygate_call(client, machines, "Wait", &wait.base, &response, &options, &status);
    check(code == FLYGATE_OK && strcmp(((Flygate__Machines__V1__WaitResponse *)response)->body->state, "started") == 0,
          "wait for started", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    Flygate__Machines__V1__ShowRequest show = FLYGATE__MACHINES__V1__SHOW_REQUEST__INIT;
    show.app_name = (char *)app, show.machine_id = id;
    code = flygate_call(client, machines, "Show", &show.base, &response, &options, &status);
    Flygate__Machines__V1__Machine *machine = code == FLYGATE_OK ? ((Flygate__Machines__V1__ShowResponse *)response)->body : NULL;
    check(machine && strcmp(machine->state, "started") == 0 && strcmp(machine->config->image, "nginx:1.27") == 0,
          "show", &status);
    check(machine && machine->config->unknown_json && strstr(machine->config->unknown_json, "future_member"),
          "show keeps the member the proto does not name", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    Flygate__Machines__V1__ListRequest list = FLYGATE__MACHINES__V1__LIST_REQUEST__INIT;
    list.app_name = (char *)app;
    code = flygate_call(client, machines, "List", &list.base, &response, &options, &status);
    check(code == FLYGATE_OK && ((Flygate__Machines__V1__ListResponse *)response)->n_body == 1, "list", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    /* Errors. */
    show.machine_id = "0123456789abcd";
    code = flygate_call(client, machines, "Show", &show.base, &response, &options, &status);
    check(code == FLYGATE_NOT_FOUND && status.http_status == 404 && status.fly_request_id && status.message && !response,
          "a missing machine is NOT_FOUND with HTTP 404 and a fly-request-id", &status);
    check(flygate_call(client, machines, "Show", &show.base, &response, &options, NULL) == FLYGATE_NOT_FOUND && !response,
          "a call without a status still returns the code", NULL);
    show.machine_id = "../x";
    code = flygate_call(client, machines, "Show", &show.base, &response, &options, &status);
    check(code == FLYGATE_INVALID_ARGUMENT && status.http_status == 0 && strstr(status.message, "machine_id"),
          "a hostile id is INVALID_ARGUMENT", &status);
    code = flygate_call(client, machines, "Nope", &show.base, &response, &options, &status);
    check(code == FLYGATE_INVALID_ARGUMENT, "an unknown method is refused locally", &status);
    code = flygate_call(client, machines, "List", &show.base, &response, &options, &status);
    check(code == FLYGATE_INVALID_ARGUMENT, "a request of the wrong type is refused locally", &status);
    show.machine_id = id;

    Flygate__Machines__V1__CreateLeaseRequestBody lease_body = FLYGATE__MACHINES__V1__CREATE_LEASE_REQUEST_BODY__INIT;
    lease_body.has_ttl = 1, lease_body.ttl = 30;
    Flygate__Machines__V1__CreateLeaseRequest lease = FLYGATE__MACHINES__V1__CREATE_LEASE_REQUEST__INIT;
    lease.app_name = (char *)app, lease.machine_id = id, lease.body = &lease_body;
    code = flygate_call(client, machines, "CreateLease", &lease.base, &response, &options, &status);
    check(code == FLYGATE_OK, "create a lease", &status);
    char nonce[128];
    Flygate__Machines__V1__CreateLeaseResponse *taken = (Flygate__Machines__V1__CreateLeaseResponse *)response;
    snprintf(nonce, sizeof nonce, "%s", taken && taken->body && taken->body->nonce ? taken->body->nonce : "");
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;
    Flygate__Machines__V1__StopRequest stop = FLYGATE__MACHINES__V1__STOP_REQUEST__INIT;
    stop.app_name = (char *)app, stop.machine_id = id, stop.lease_nonce = "not-the-nonce";
    code = flygate_call(client, machines, "Stop", &stop.base, &response, &options, &status);
    check(code == FLYGATE_FAILED_PRECONDITION, "a stop without the lease's nonce is FAILED_PRECONDITION", &status);
    Flygate__Machines__V1__ReleaseLeaseRequest release = FLYGATE__MACHINES__V1__RELEASE_LEASE_REQUEST__INIT;
    release.app_name = (char *)app, release.machine_id = id, release.lease_nonce = nonce;
    code = flygate_call(client, machines, "ReleaseLease", &release.base, &response, &options, &status);
    check(code == FLYGATE_OK, "release the lease", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    /* A deadline: waiting for "stopped" on a started machine with a 1 s deadline. */
    char *stopped[] = {"stopped"};
    wait.state = stopped, wait.timeout = 60;
    flygate_call_options short_deadline = {.timeout_ms = 1000};
    code = flygate_call(client, machines, "Wait", &wait.base, &response, &short_deadline, &status);
    check(code == FLYGATE_DEADLINE_EXCEEDED, "a 1 s deadline is DEADLINE_EXCEEDED", &status);

    /* The connection goes on after errors; stop, then delete. */
    stop.lease_nonce = NULL;
    code = flygate_call(client, machines, "Stop", &stop.base, &response, &options, &status);
    check(code == FLYGATE_OK, "stop", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;
    code = flygate_call(client, machines, "Wait", &wait.base, &response, &options, &status);
    check(code == FLYGATE_OK, "wait for stopped", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;
    Flygate__Machines__V1__DeleteRequest delete = FLYGATE__MACHINES__V1__DELETE_REQUEST__INIT;
    delete.app_name = (char *)app, delete.machine_id = id;
    code = flygate_call(client, machines, "Delete", &delete.base, &response, &options, &status);
    check(code == FLYGATE_OK, "delete", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    /* Another service through the same call: a volume, made and read back. */
    const ProtobufCServiceDescriptor *const volumes = &flygate__volumes__v1__volumes__descriptor;
    Flygate__Volumes__V1__CreateVolumeRequestBody volume_body = FLYGATE__VOLUMES__V1__CREATE_VOLUME_REQUEST_BODY__INIT;
    volume_body.name = "c_data", volume_body.region = "ord", volume_body.has_size_gb = 1, volume_body.size_gb = 2;
    Flygate__Volumes__V1__CreateVolumeRequest create_volume = FLYGATE__VOLUMES__V1__CREATE_VOLUME_REQUEST__INIT;
    create_volume.app_name = (char *)app, create_volume.body = &volume_body;
    code = flygate_call(client, volumes, "CreateVolume", &create_volume.base, &response, &options, &status);
    check(code == FLYGATE_OK, "create a volume (Volumes service)", &status);
    char volume_id[64] = "";
    if (code == FLYGATE_OK) {
        const Flygate__Volumes__V1__Volume *made = ((Flygate__Volumes__V1__CreateVolumeResponse *)response)->body;
        check(made && made->id && made->has_size_gb && made->size_gb == 2, "the new volume's id and size", NULL);
        if (made && made->id) snprintf(volume_id, sizeof volume_id, "%s", made->id);
    }
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;
    Flygate__Volumes__V1__GetVolumeRequest get_volume = FLYGATE__VOLUMES__V1__GET_VOLUME_REQUEST__INIT;
    get_volume.app_name = (char *)app, get_volume.volume_id = volume_id;
    code = flygate_call(client, volumes, "GetVolume", &get_volume.base, &response, &options, &status);
    const Flygate__Volumes__V1__Volume *read_back =
        code == FLYGATE_OK ? ((Flygate__Volumes__V1__GetVolumeResponse *)response)->body : NULL;
    check(read_back && read_back->name && strcmp(read_back->name, "c_data") == 0, "read the volume back", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    /* An app of its own (Apps service), made and read back. */
    const ProtobufCServiceDescriptor *const apps = &flygate__apps__v1__apps__descriptor;
    char new_app[96];
    snprintf(new_app, sizeof new_app, "%s-made", app);
    Flygate__Apps__V1__CreateAppRequestBody app_body = FLYGATE__APPS__V1__CREATE_APP_REQUEST_BODY__INIT;
    app_body.name = new_app, app_body.org_slug = "c-api-org";
    Flygate__Apps__V1__CreateAppRequest create_app = FLYGATE__APPS__V1__CREATE_APP_REQUEST__INIT;
    create_app.body = &app_body;
    code = flygate_call(client, apps, "CreateApp", &create_app.base, &response, &options, &status);
    check(code == FLYGATE_OK, "create an app (Apps service)", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;
    Flygate__Apps__V1__ShowAppRequest show_app = FLYGATE__APPS__V1__SHOW_APP_REQUEST__INIT;
    show_app.app_name = new_app;
    code = flygate_call(client, apps, "ShowApp", &show_app.base, &response, &options, &status);
    const Flygate__Apps__V1__App *shown_app = code == FLYGATE_OK ? ((Flygate__Apps__V1__ShowAppResponse *)response)->body : NULL;
    check(shown_app && shown_app->name && strcmp(shown_app->name, new_app) == 0 && shown_app->organization &&
              shown_app->organization->slug && strcmp(shown_app->organization->slug, "c-api-org") == 0,
          "the new app's name and organization", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    /* A secret of that app (Secrets service): set, then listed by name and digest, never by value. */
    const ProtobufCServiceDescriptor *const secrets = &flygate__secrets__v1__secrets__descriptor;
    const char *secret_value = "c-api-secret-value-3141";
    Flygate__Secrets__V1__SetAppSecretRequest secret_body = FLYGATE__SECRETS__V1__SET_APP_SECRET_REQUEST__INIT;
    secret_body.value = (char *)secret_value;
    Flygate__Secrets__V1__CreateSecretRequest create_secret = FLYGATE__SECRETS__V1__CREATE_SECRET_REQUEST__INIT;
    create_secret.app_name = new_app, create_secret.secret_name = "C_API_SECRET", create_secret.body = &secret_body;
    code = flygate_call(client, secrets, "CreateSecret", &create_secret.base, &response, &options, &status);
    const Flygate__Secrets__V1__SetAppSecretResponse *set_secret =
        code == FLYGATE_OK ? ((Flygate__Secrets__V1__CreateSecretResponse *)response)->body : NULL;
    check(set_secret && set_secret->digest && set_secret->digest[0] && !set_secret->value,
          "set a secret (Secrets service): a digest, no value", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;
    Flygate__Secrets__V1__ListSecretsRequest list_secrets = FLYGATE__SECRETS__V1__LIST_SECRETS_REQUEST__INIT;
    list_secrets.app_name = new_app;
    code = flygate_call(client, secrets, "ListSecrets", &list_secrets.base, &response, &options, &status);
    const Flygate__Secrets__V1__AppSecrets *listed =
        code == FLYGATE_OK ? ((Flygate__Secrets__V1__ListSecretsResponse *)response)->body : NULL;
    check(listed && listed->n_secrets == 1 && listed->secrets[0]->name && strcmp(listed->secrets[0]->name, "C_API_SECRET") == 0 &&
              listed->secrets[0]->digest && listed->secrets[0]->digest[0],
          "list the secrets: the one set, with its digest", &status);
    int value_shown = 0;
    for (size_t i = 0; listed && i < listed->n_secrets; i++) {
        const Flygate__Secrets__V1__AppSecret *secret = listed->secrets[i];
        if (secret->value || (secret->unknown_json && strstr(secret->unknown_json, secret_value))) value_shown = 1;
    }
    check(listed && !value_shown, "the list returns no secret value", NULL);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    /* Fly's regions (Platform service). */
    Flygate__Platform__V1__ListRegionsRequest list_regions = FLYGATE__PLATFORM__V1__LIST_REGIONS_REQUEST__INIT;
    code = flygate_call(client, &flygate__platform__v1__platform__descriptor, "ListRegions", &list_regions.base, &response,
                        &options, &status);
    const Flygate__Platform__V1__RegionResponse *regions =
        code == FLYGATE_OK ? ((Flygate__Platform__V1__ListRegionsResponse *)response)->body : NULL;
    int has_ord = 0, has_nearest = 0;
    for (size_t i = 0; regions && i < regions->n_regions; i++) {
        const char *region_code = regions->regions[i]->code ? regions->regions[i]->code : "";
        if (strcmp(region_code, "ord") == 0 && regions->regions[i]->name) has_ord = 1;
        if (regions->nearest && strcmp(region_code, regions->nearest) == 0) has_nearest = 1;
    }
    check(has_ord && has_nearest, "list the regions (Platform service): ord among them, and the nearest", &status);
    protobuf_c_message_free_unpacked(response, NULL), response = NULL;

    char path[108];
    check(flygate_default_socket_path(path, sizeof path) != NULL && flygate_default_socket_path(path, 4) == NULL,
          "the default socket path is written only when it fits", NULL);
    check(strcmp(flygate_code_name(9), "FAILED_PRECONDITION") == 0 && strcmp(flygate_code_name(99), "UNKNOWN") == 0,
          "code names", NULL);

    flygate_status_clear(&status);
    flygate_close(client);
    printf("%d failed\n", failures);
    return failures ? 1 : 0;
}

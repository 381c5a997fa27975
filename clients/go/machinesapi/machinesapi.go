// Package machinesapi is the little of the Machines REST API the Go reference programs call
// straight over HTTP (flygate-ttrpc-load's direct path, flygate-ttrpc-proxy's upstream): a
// pooled client as a program would keep one, the Authorization header flygate makes of a
// token, and Get Machine with the headers flygate sends upstream.
package machinesapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MaxAnswerBytes bounds an answer read whole, as flygate's own client bounds it.
const MaxAnswerBytes = 16 << 20

// ErrAnswerCutShort is the error, wrapped, of an answer that broke off while it was read.
var ErrAnswerCutShort = errors.New("answer cut short")

// NewClient is a client as a program would keep one: keep-alive, up to idle idle connections
// per host, no gzip (flygate asks for none either), connections dialled within dialTimeout.
func NewClient(dialTimeout time.Duration, idle int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        idle,
		MaxIdleConnsPerHost: idle,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}}
}

// MachineURL is Get Machine's URL under base (the API's base URL, without /v1).
func MachineURL(base, app, machine string) string {
	return strings.TrimSuffix(base, "/") + "/v1/apps/" + url.PathEscape(app) + "/machines/" + url.PathEscape(machine)
}

// GetMachine makes GET target with authorization and the user agent, and returns the answer's
// status code and its body, read whole up to MaxAnswerBytes. A body that breaks off is
// ErrAnswerCutShort, wrapped.
func GetMachine(ctx context.Context, client *http.Client, target, authorization, userAgent string) (int, []byte, error) {
	request, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, nil, err
	}
	request.Header.Set("Authorization", authorization)
	request.Header.Set("User-Agent", userAgent)
	request.Header.Set("Accept", "application/json")
	response, err := client.Do(request)
	if err != nil {
		return 0, nil, err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, MaxAnswerBytes))
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %v", ErrAnswerCutShort, err)
	}
	return response.StatusCode, body, nil
}

// AuthorizationHeader is the header flygate makes of one token: its scheme kept when it has
// one, FlyV1 for a macaroon (fm1r_, fm1a_, fm2_), else Bearer.
func AuthorizationHeader(token string) string {
	token = strings.TrimSpace(token)
	lowered := strings.ToLower(token)
	switch {
	case strings.HasPrefix(lowered, "bearer ") || strings.HasPrefix(lowered, "flyv1 "):
		return token
	case strings.HasPrefix(token, "fm1r_") || strings.HasPrefix(token, "fm1a_") || strings.HasPrefix(token, "fm2_"):
		return "FlyV1 " + token
	default:
		return "Bearer " + token
	}
}

<?php
/**
 * The digest endpoint: POST /wp-json/vodia-call/v1/authorize.
 *
 * The popup holds a signed link but never the password. When the PBX challenges its INVITE (401/407), the
 * popup posts the link and the challenge here; this site checks the link (signed-link.php), that published
 * content still offers its number, that the INVITE goes to the link's own number on the configured domain and
 * that the challenge is one it may answer, and answers with the digest response for that one request. What
 * this does and does not guarantee, and what the PBX must enforce itself: docs/design.md §5.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Registers the route.
 */
function vodia_call_register_rest_routes(): void {
	register_rest_route(
		'vodia-call/v1',
		'/authorize',
		array(
			'methods'             => 'POST',
			'callback'            => 'vodia_call_rest_authorize',
			// Visitors are anonymous by design: the link's signature, checked in the callback, is the authorization.
			// The endpoint only ever answers for a link this site signed, for an INVITE to that link's number.
			'permission_callback' => '__return_true',
		)
	);
}
add_action( 'rest_api_init', 'vodia_call_register_rest_routes' );

/**
 * WordPress rejects a JSON body it cannot parse before any route callback runs, with its own error shape.
 * The contract promises {"code":"malformed"} (and a rate-limit count) for every bad request, so the error is
 * cleared and the request goes to the endpoint, which decodes the body itself.
 *
 * @param mixed           $response Response so far (a WP_Error when WordPress refused the request).
 * @param array           $handler  Route handler.
 * @param WP_REST_Request $request  Request.
 * @return mixed
 */
function vodia_call_rest_take_invalid_json( $response, $handler, $request ) {
	if ( is_wp_error( $response ) && 'rest_invalid_json' === $response->get_error_code()
		&& $request instanceof WP_REST_Request && '/vodia-call/v1/authorize' === $request->get_route() ) {
		return null;
	}
	return $response;
}
add_filter( 'rest_request_before_callbacks', 'vodia_call_rest_take_invalid_json', 10, 3 );

/**
 * A JSON answer that no cache keeps.
 *
 * @param array<string, string> $body   Body.
 * @param int                   $status HTTP status.
 */
function vodia_call_rest_answer( array $body, int $status ): WP_REST_Response {
	$response = new WP_REST_Response( $body, $status );
	$response->header( 'Cache-Control', 'no-store' );
	return $response;
}

/**
 * The endpoint.
 *
 * Order: the rate limit first (it counts every request, so probing costs as much as calling); then the
 * request's shape, the link's fields included (400 malformed); then the link (403 bad-signature, future,
 * too-long, expired); then its number
 * (403 number-not-allowed, number-not-offered); then what the answer may be used for (403 wrong-method,
 * wrong-destination); then the challenge (403 bad-algorithm, wrong-realm, bad-nonce, bad-opaque, qop-required;
 * see vodia_call_challenge_problem()); last the number's own limit (429 number-rate-limited), which so counts
 * answers only.
 *
 * @param WP_REST_Request $request Request.
 */
function vodia_call_rest_authorize( WP_REST_Request $request ): WP_REST_Response {
	if ( ! vodia_call_rate_limit_allows( vodia_call_client_ip() ) ) {
		return vodia_call_rest_answer( array( 'code' => 'rate-limited' ), 429 );
	}
	$settings = vodia_call_get_settings();
	if ( 'popup' !== $settings['mode'] ) {
		// In vodia mode the PBX checks its links itself; this site vouches for nothing.
		return vodia_call_rest_answer( array( 'code' => 'disabled' ), 403 );
	}
	if ( ! vodia_call_is_configured( $settings ) ) {
		return vodia_call_rest_answer( array( 'code' => 'not-configured' ), 503 );
	}

	$body = json_decode( $request->get_body(), true );
	$req  = is_array( $body ) ? vodia_call_parse_authorize_body( $body ) : null;
	if ( null === $req ) {
		return vodia_call_rest_answer( array( 'code' => 'malformed' ), 400 );
	}

	$problem = vodia_call_check_link( $req, $settings );
	if ( 'malformed' === $problem ) {
		// A link field in no valid shape is a malformed request like any other field (400), not a refusal.
		return vodia_call_rest_answer( array( 'code' => 'malformed' ), 400 );
	}
	if ( '' === $problem ) {
		// Checked at request time: a link signed before its number left published content answers no more.
		$problem = vodia_call_number_problem( $req['destnumber'], $settings );
	}
	if ( '' !== $problem ) {
		return vodia_call_rest_answer( array( 'code' => $problem ), 403 );
	}
	if ( 'INVITE' !== $req['method'] ) {
		return vodia_call_rest_answer( array( 'code' => 'wrong-method' ), 403 );
	}
	if ( ! vodia_call_uri_is_destination( $req['uri'], $req['destnumber'], $settings['domain'] ) ) {
		return vodia_call_rest_answer( array( 'code' => 'wrong-destination' ), 403 );
	}
	$problem = vodia_call_challenge_problem( $req['challenge'], $settings );
	if ( '' !== $problem ) {
		return vodia_call_rest_answer( array( 'code' => $problem ), 403 );
	}
	// Last, so that only answers count: refused requests cannot use up a number's budget.
	if ( ! vodia_call_number_limit_allows( $req['destnumber'], $settings ) ) {
		return vodia_call_rest_answer( array( 'code' => 'number-rate-limited' ), 429 );
	}

	$username = (string) strstr( $req['user'], '@', true );
	return vodia_call_rest_answer(
		array(
			'header' => 401 === $req['status'] ? 'Authorization' : 'Proxy-Authorization',
			'value'  => vodia_call_digest_value( $username, vodia_call_get_password( $settings ), $req['method'], $req['uri'], vodia_call_answered_challenge( $req['challenge'] ) ),
		),
		200
	);
}

/**
 * Checks the body's shape and parses its challenge.
 *
 * @param array<string, mixed> $body Decoded JSON.
 * @return array<string, mixed>|null The request with 'challenge' parsed, or null when malformed or unsupported.
 */
function vodia_call_parse_authorize_body( array $body ): ?array {
	$req = array();
	foreach ( array( 'destnumber', 'user', 'pass', 'time', 'duration', 'method', 'uri', 'challenge' ) as $field ) {
		if ( ! isset( $body[ $field ] ) || ! is_string( $body[ $field ] ) || strlen( $body[ $field ] ) > 2048 ) {
			return null;
		}
		$req[ $field ] = $body[ $field ];
	}
	$status = $body['status'] ?? null;
	if ( 401 !== $status && 407 !== $status ) {
		return null;
	}
	$req['status']    = $status;
	$req['challenge'] = vodia_call_parse_challenge( $req['challenge'] );
	return null === $req['challenge'] ? null : $req;
}

/**
 * Whether a SIP request URI is exactly sip:DESTNUMBER@DOMAIN.
 *
 * Decided: no port, no URI parameters (";transport=ws", ";maddr=..."), no headers. Parameters can change where
 * a request goes (maddr), and SIP.js sends the bare form, so the strict rule costs nothing. The user part may
 * percent-escape characters ("#" must travel as %23); it is compared decoded. The host (a name, an IPv4 address or
 * a bracketed IPv6 address) is compared without case.
 *
 * @param string $uri    URI from the request.
 * @param string $dest   The link's number.
 * @param string $domain The configured SIP domain.
 */
function vodia_call_uri_is_destination( string $uri, string $dest, string $domain ): bool {
	if ( ! preg_match( '/^sip:([0-9+*#%A-Fa-f]+)@([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])\z/', $uri, $m ) ) {
		return false;
	}
	return rawurldecode( $m[1] ) === $dest && strtolower( $m[2] ) === strtolower( $domain );
}

<?php
/**
 * The digest endpoint: POST /wp-json/vodia-call/v1/authorize.
 *
 * The popup holds a signed link but never the password. When the PBX challenges its INVITE (401/407), the
 * popup posts the link and the challenge here; this site checks the link (SPEC 2), that published content still
 * offers its number, that the INVITE goes to the link's own number on the configured domain and that the
 * challenge is one it may answer, and answers with the digest response for that one request. See SPEC 4 for
 * what this does and does not guarantee.
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
 * request's shape (400 malformed); then the link (403 bad-signature, future, too-long, expired); then its number
 * (403 number-not-allowed, number-not-offered); then what the answer may be used for (403 wrong-method,
 * wrong-destination); then the challenge (403 bad-algorithm, wrong-realm, bad-nonce, bad-opaque, qop-required;
 * see vodia_call_challenge_problem()).
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
 * percent-escape characters ("#" must travel as %23); it is compared decoded. The host is compared without case.
 *
 * @param string $uri    URI from the request.
 * @param string $dest   The link's number.
 * @param string $domain The configured SIP domain.
 */
function vodia_call_uri_is_destination( string $uri, string $dest, string $domain ): bool {
	if ( ! preg_match( '/^sip:([0-9+*#%A-Fa-f]+)@([A-Za-z0-9.-]+)\z/', $uri, $m ) ) {
		return false;
	}
	return rawurldecode( $m[1] ) === $dest && strtolower( $m[2] ) === strtolower( $domain );
}

/**
 * The client's address. REMOTE_ADDR only: forwarded headers are client-controlled. Behind a reverse proxy,
 * filter it with the proxy's own trusted header.
 */
function vodia_call_client_ip(): string {
	$ip = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
	/**
	 * Filters the address the rate limit counts against.
	 *
	 * @param string $ip REMOTE_ADDR.
	 */
	return (string) apply_filters( 'vodia_call_client_ip', $ip );
}

/**
 * What the rate limit counts against for an address. An IPv4 address is one client; an IPv6 client usually
 * holds a whole /64 (SLAAC, privacy addresses), so every address in it would otherwise bring a fresh budget:
 * IPv6 counts per /64 prefix ("2001:db8:1:2::/64"). An IPv4-mapped IPv6 address (::ffff:192.0.2.1, as dual-stack
 * servers report IPv4 clients) counts as its IPv4 address. Anything unparsable counts as itself.
 *
 * @param string $ip Client address.
 */
function vodia_call_rate_limit_group( string $ip ): string {
	$ip = trim( $ip );
	if ( false === filter_var( $ip, FILTER_VALIDATE_IP ) ) {
		return $ip;
	}
	$packed = (string) inet_pton( $ip );
	if ( 4 === strlen( $packed ) ) {
		return (string) inet_ntop( $packed );
	}
	if ( str_repeat( "\0", 10 ) . "\xff\xff" === substr( $packed, 0, 12 ) ) {
		return (string) inet_ntop( substr( $packed, 12 ) );
	}
	return inet_ntop( substr( $packed, 0, 8 ) . str_repeat( "\0", 8 ) ) . '/64';
}

/**
 * Fixed-window rate limit per address (per /64 for IPv6, see vodia_call_rate_limit_group()), kept in a
 * transient. Counts this request.
 *
 * @param string $ip Client address.
 * @return bool Whether the request may proceed.
 */
function vodia_call_rate_limit_allows( string $ip ): bool {
	/**
	 * Filters the endpoint's rate limit. A call needs one or two answers (one per challenge).
	 *
	 * @param array{requests:int, window:int} $limit Requests allowed per window of seconds, per IPv4 address or
	 *                                              IPv6 /64.
	 */
	$limit  = (array) apply_filters(
		'vodia_call_rate_limit',
		array(
			'requests' => 30,
			'window'   => 300,
		)
	);
	$max    = max( 1, (int) ( $limit['requests'] ?? 30 ) );
	$window = max( 1, (int) ( $limit['window'] ?? 300 ) );
	$key    = 'vodia_call_rl_' . md5( vodia_call_rate_limit_group( $ip ) );
	$now    = time();
	$state  = get_transient( $key );
	if ( ! is_array( $state ) || ! isset( $state['start'], $state['count'] ) || $now >= $state['start'] + $window ) {
		$state = array(
			'start' => $now,
			'count' => 0,
		);
	}
	++$state['count'];
	set_transient( $key, $state, max( 1, $state['start'] + $window - $now ) );
	return $state['count'] <= $max;
}

<?php
/**
 * The digest endpoint's rate limits: who the client is, and how many requests it has made.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
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

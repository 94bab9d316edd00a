<?php
/**
 * URLs: whether a configured URL is acceptable (wss:// and https://, plain ws:// and http:// only on loopback),
 * and appending percent-encoded parameters to one.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Whether a URL has one of the allowed schemes, a host, and no credentials in it. Schemes in $loopback_only
 * pass only for a loopback host (plain ws:// or http:// is fine for a test PBX on the same machine).
 *
 * @param string   $url           URL.
 * @param string[] $schemes       Always allowed schemes.
 * @param string[] $loopback_only Schemes allowed only for loopback hosts.
 */
function vodia_call_is_good_url( string $url, array $schemes, array $loopback_only ): bool {
	if ( strlen( $url ) > 2048 || preg_match( '/[\s"\'<>\\\\]/', $url ) ) {
		return false;
	}
	$parts = wp_parse_url( $url );
	if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
		return false;
	}
	$scheme = strtolower( $parts['scheme'] );
	if ( in_array( $scheme, $schemes, true ) ) {
		return true;
	}
	return in_array( $scheme, $loopback_only, true ) && vodia_call_is_loopback_host( $parts['host'] );
}

/**
 * Whether a host names this machine's loopback interface.
 *
 * @param string $host Host from a URL (IPv6 in brackets or not).
 */
function vodia_call_is_loopback_host( string $host ): bool {
	$host = strtolower( trim( $host, '[]' ) );
	if ( 'localhost' === $host || '::1' === $host ) {
		return true;
	}
	return (bool) preg_match( '/^127\.(?:[0-9]{1,3}\.){2}[0-9]{1,3}\z/', $host );
}

/**
 * Appends parameters to a URL, each value percent-encoded (RFC 3986: + travels as %2B, @ as %40).
 * add_query_arg() does not encode values, so it is not used here.
 *
 * @param string                $url    Base URL.
 * @param array<string, string> $params Parameters.
 */
function vodia_call_add_params( string $url, array $params ): string {
	return $url . ( false === strpos( $url, '?' ) ? '?' : '&' ) . http_build_query( $params, '', '&', PHP_QUERY_RFC3986 );
}

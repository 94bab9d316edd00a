<?php
/**
 * SIP digest authentication (RFC 2617 as SIP uses it): parsing a WWW-Authenticate / Proxy-Authenticate
 * challenge and computing the answer. No hooks; the REST endpoint (rest.php) decides whether to answer.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Parses a Digest challenge (WWW-Authenticate / Proxy-Authenticate value). Supports what SIP PBXs send:
 * algorithm MD5 (or none) and qop "auth" (or none).
 *
 * @param string $header Header value.
 * @return array<string, string>|null realm, nonce, opaque?, qop? ('auth'), or null when malformed or unsupported.
 */
function vodia_call_parse_challenge( string $header ): ?array {
	// A header value holds no line break (folding is gone since RFC 7230) and no other control character.
	if ( preg_match( '/[\x00-\x08\x0a-\x1f\x7f]/', $header ) || ! preg_match( '/^\s*Digest\s+(.*)\z/is', $header, $m ) ) {
		return null;
	}
	$rest   = $m[1];
	$params = array();
	while ( '' !== trim( $rest ) ) {
		if ( ! preg_match( '/^\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\s,"]*))\s*(?:,|\z)/s', $rest, $p ) ) {
			return null;
		}
		$name = strtolower( $p[1] );
		if ( isset( $params[ $name ] ) ) {
			return null;
		}
		$params[ $name ] = isset( $p[3] ) && '' !== $p[3] ? $p[3] : preg_replace( '/\\\\(.)/s', '$1', $p[2] );
		$rest            = substr( $rest, strlen( $p[0] ) );
	}
	foreach ( $params as $value ) {
		// Values go back into a quoted header: refuse anything that could break out of the quotes.
		if ( preg_match( '/["\\\\\x00-\x1f\x7f]/', $value ) ) {
			return null;
		}
	}
	if ( empty( $params['realm'] ) || empty( $params['nonce'] ) ) {
		return null;
	}
	if ( isset( $params['algorithm'] ) && 'md5' !== strtolower( $params['algorithm'] ) ) {
		return null;
	}
	$challenge = array(
		'realm'  => $params['realm'],
		'nonce'  => $params['nonce'],
		'opaque' => $params['opaque'] ?? null,
		'qop'    => null,
	);
	if ( isset( $params['qop'] ) ) {
		$offered = array_map( 'trim', explode( ',', strtolower( $params['qop'] ) ) );
		if ( ! in_array( 'auth', $offered, true ) ) {
			return null;
		}
		$challenge['qop'] = 'auth';
	}
	return $challenge;
}

/**
 * The Authorization / Proxy-Authorization value answering a challenge (RFC 2617, MD5).
 *
 * @param string                $username  Digest user name (the extension).
 * @param string                $password  Password.
 * @param string                $method    SIP method.
 * @param string                $uri       Request URI.
 * @param array<string, string> $challenge Parsed challenge.
 * @param string|null           $cnonce    Client nonce, for tests; random when null.
 */
function vodia_call_digest_value( string $username, string $password, string $method, string $uri, array $challenge, ?string $cnonce = null ): string {
	$ha1 = md5( $username . ':' . $challenge['realm'] . ':' . $password );
	$ha2 = md5( $method . ':' . $uri );
	$out = sprintf( 'Digest username="%s", realm="%s", nonce="%s", uri="%s"', $username, $challenge['realm'], $challenge['nonce'], $uri );
	if ( 'auth' === $challenge['qop'] ) {
		$cnonce   = $cnonce ?? bin2hex( random_bytes( 8 ) );
		$nc       = '00000001';
		$response = md5( $ha1 . ':' . $challenge['nonce'] . ':' . $nc . ':' . $cnonce . ':auth:' . $ha2 );
		$out     .= sprintf( ', response="%s", algorithm=MD5, cnonce="%s", qop=auth, nc=%s', $response, $cnonce, $nc );
	} else {
		$out .= sprintf( ', response="%s", algorithm=MD5', md5( $ha1 . ':' . $challenge['nonce'] . ':' . $ha2 ) );
	}
	if ( null !== $challenge['opaque'] ) {
		$out .= sprintf( ', opaque="%s"', $challenge['opaque'] );
	}
	return $out;
}

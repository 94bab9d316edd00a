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
 * Parses a Digest challenge (WWW-Authenticate / Proxy-Authenticate value) into its parameters. Syntax only:
 * whether this site answers it is vodia_call_challenge_problem()'s decision.
 *
 * @param string $header Header value.
 * @return array<string, string>|null Parameter name (lower case) => value (quotes and escapes removed), with
 *                                    at least realm and a non-empty nonce; null when malformed.
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
	if ( ! isset( $params['realm'] ) || ! isset( $params['nonce'] ) || '' === $params['nonce'] ) {
		return null;
	}
	return $params;
}

/**
 * The realm this site answers for: the setting, else the SIP domain (as Vodia, FreeSWITCH and Kamailio are
 * usually set up; Asterisk's default realm is "asterisk").
 *
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_digest_realm( array $settings ): string {
	return '' !== $settings['realm'] ? $settings['realm'] : $settings['domain'];
}

/**
 * Whether a nonce or opaque value may go into this site's answer: printable ASCII without ":", double quote or
 * backslash. A quote or backslash could break out of the quoted header value; a ":" could shift the fields of
 * md5(HA1:nonce:...), whose parts are joined with ":", so that the answer fits another computation.
 *
 * @param string $value Value.
 */
function vodia_call_is_safe_digest_value( string $value ): bool {
	return (bool) preg_match( '/^[\x20-\x7e]+\z/', $value ) && ! preg_match( '/[:"\\\\]/', $value );
}

/**
 * Whether this site answers a parsed challenge, and if not, why.
 *
 * Without qop the answer md5(HA1:nonce:HA2) is exactly the MD5-sess session key for that nonce with cnonce =
 * HA2: a PBX that let the client choose MD5-sess would accept requests keyed with it, for any number and any
 * method. So the endpoint answers only challenges that offer qop=auth, unless the administrator allows
 * challenges without qop for a PBX that never offers it; and never MD5-sess or any other algorithm but MD5.
 *
 * @param array<string, string> $params   Parsed challenge (vodia_call_parse_challenge()).
 * @param array<string, mixed>  $settings Settings.
 * @return string '' when it may be answered, else bad-algorithm, wrong-realm, bad-nonce, bad-opaque or
 *                qop-required.
 */
function vodia_call_challenge_problem( array $params, array $settings ): string {
	if ( isset( $params['algorithm'] ) && 'md5' !== strtolower( $params['algorithm'] ) ) {
		return 'bad-algorithm';
	}
	if ( ! hash_equals( vodia_call_digest_realm( $settings ), $params['realm'] ) ) {
		return 'wrong-realm';
	}
	if ( ! vodia_call_is_safe_digest_value( $params['nonce'] ) ) {
		return 'bad-nonce';
	}
	if ( isset( $params['opaque'] ) && ! vodia_call_is_safe_digest_value( $params['opaque'] ) ) {
		return 'bad-opaque';
	}
	if ( isset( $params['qop'] ) ) {
		$offered = array_map( 'trim', explode( ',', strtolower( $params['qop'] ) ) );
		return in_array( 'auth', $offered, true ) ? '' : 'qop-required';
	}
	return empty( $settings['accept_no_qop'] ) ? 'qop-required' : '';
}

/**
 * The parts of an answerable challenge that the answer uses.
 *
 * @param array<string, string> $params Parsed challenge that vodia_call_challenge_problem() accepted.
 * @return array{realm:string, nonce:string, opaque:string|null, qop:string|null}
 */
function vodia_call_answered_challenge( array $params ): array {
	return array(
		'realm'  => $params['realm'],
		'nonce'  => $params['nonce'],
		'opaque' => $params['opaque'] ?? null,
		'qop'    => isset( $params['qop'] ) ? 'auth' : null,
	);
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

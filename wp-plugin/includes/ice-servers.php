<?php
/**
 * ICE servers: cleaning the configured list, and what a visitor's popup receives of it, with short-lived TURN
 * credentials minted from the stored shared secret. No hooks: the lab suite loads this file on its own.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Seconds a minted TURN credential stays valid. The TURN server checks it again whenever the browser refreshes
 * its allocation, so it must outlast a long call; a leaked one is worthless after this.
 */
const VODIA_CALL_TURN_TTL = 6 * HOUR_IN_SECONDS;

/**
 * Cleans the ICE server list. Accepts the form's text (one server a line: "URL [username credential]"),
 * a JSON array of RTCIceServer objects, or the stored array.
 *
 * @param mixed $value Input.
 * @return array<int, array<string, string>>|WP_Error
 */
function vodia_call_clean_ice_servers( $value ) {
	$error = new WP_Error( 'ice_servers', __( 'Each ICE server must be a stun:, turn: or turns: URL, optionally followed by a user name and a credential.', 'vodia-click-to-call' ) );
	if ( is_string( $value ) ) {
		$text = trim( $value );
		if ( '' === $text ) {
			return array();
		}
		if ( '[' === $text[0] ) {
			$value = json_decode( $text, true );
			if ( ! is_array( $value ) ) {
				return $error;
			}
		} else {
			$value = array();
			foreach ( preg_split( '/\R/', $text ) as $line ) {
				$fields = preg_split( '/\s+/', trim( $line ) );
				if ( array( '' ) === $fields ) {
					continue;
				}
				if ( 1 !== count( $fields ) && 3 !== count( $fields ) ) {
					return $error;
				}
				$server = array( 'urls' => $fields[0] );
				if ( 3 === count( $fields ) ) {
					$server['username']   = $fields[1];
					$server['credential'] = $fields[2];
				}
				$value[] = $server;
			}
		}
	}
	if ( ! is_array( $value ) || count( $value ) > 10 ) {
		return $error;
	}
	$clean = array();
	foreach ( array_values( $value ) as $server ) {
		if ( ! is_array( $server ) || ! isset( $server['urls'] ) || ! is_string( $server['urls'] )
			|| ! preg_match( vodia_call_shared_rules()['ice_server_url_pattern'], $server['urls'] ) ) {
			return $error;
		}
		$item = array( 'urls' => $server['urls'] );
		foreach ( array( 'username', 'credential' ) as $field ) {
			if ( isset( $server[ $field ] ) ) {
				if ( ! is_string( $server[ $field ] ) || ! preg_match( '/^[^\s"\'<>\\\\]{1,250}\z/', $server[ $field ] ) ) {
					return $error;
				}
				$item[ $field ] = $server[ $field ];
			}
		}
		$clean[] = $item;
	}
	return $clean;
}

/**
 * The stored ICE servers as the settings form shows them: one a line, "URL [username credential]".
 *
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_ice_servers_text( array $settings ): string {
	$lines = array();
	foreach ( $settings['ice_servers'] as $server ) {
		$lines[] = trim( $server['urls'] . ' ' . ( $server['username'] ?? '' ) . ' ' . ( $server['credential'] ?? '' ) );
	}
	return implode( "\n", $lines );
}

/**
 * The ICE servers a visitor's popup receives. TURN servers listed without a user name get a credential
 * minted from the stored shared secret (the TURN REST scheme that coturn implements as use-auth-secret):
 * user name "EXPIRY:vodia-call", credential base64(HMAC-SHA1(secret, user name)). So no long-lived TURN
 * password is published to every visitor; one taken from a page stops working after VODIA_CALL_TURN_TTL.
 *
 * @param array<string, mixed> $settings Settings.
 * @param int                  $now      Unix time.
 * @return array<int, array<string, string>>
 */
function vodia_call_visitor_ice_servers( array $settings, int $now ): array {
	$secret  = (string) vodia_call_decrypt( $settings['turn_secret'] );
	$servers = array();
	foreach ( $settings['ice_servers'] as $server ) {
		$is_turn = (bool) preg_match( '/^turns?:/i', $server['urls'] );
		if ( $is_turn && ! isset( $server['username'] ) ) {
			if ( '' === $secret ) {
				continue; // No credential to give: the browser would only fail on it.
			}
			// A credential without user name is of no use with the minted one: the minted pair replaces it.
			unset( $server['credential'] );
			$server += vodia_call_turn_credential( $secret, $now + VODIA_CALL_TURN_TTL );
		}
		$servers[] = $server;
	}
	return $servers;
}

/**
 * A TURN REST credential valid until $expiry.
 *
 * @param string $secret The TURN server's static-auth-secret.
 * @param int    $expiry Unix time.
 * @return array{username: string, credential: string}
 */
function vodia_call_turn_credential( string $secret, int $expiry ): array {
	$username = $expiry . ':vodia-call';
	return array(
		'username'   => $username,
		'credential' => base64_encode( hash_hmac( 'sha1', $username, $secret, true ) ), // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- the TURN REST scheme is base64.
	);
}

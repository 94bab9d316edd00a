<?php
/**
 * Helpers without side effects: settings defaults and cleaning, password encryption at rest, link signing and
 * the SPEC 2 validation rules. Hooks live in the files that use these.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The one option holding all settings. */
const VODIA_CALL_OPTION = 'vodia_call_settings';

/** Numbers a link may call: digits and + * #, as SPEC 2 says. */
const VODIA_CALL_NUMBER_PATTERN = '/^[0-9+*#]{1,32}\z/';

/** Longest validity a link may have, in seconds (SPEC 2's default cap). */
const VODIA_CALL_MAX_DURATION = 86400;

/** Shortest validity the settings accept: below a minute a slow visitor could not click in time. */
const VODIA_CALL_MIN_DURATION = 60;

/** Prefix of an encrypted password, with the format version. */
const VODIA_CALL_CIPHER_PREFIX = 'vodia1:';

/**
 * Seconds a minted TURN credential stays valid. The TURN server checks it again whenever the browser refreshes
 * its allocation, so it must outlast a long call; a leaked one is worthless after this.
 */
const VODIA_CALL_TURN_TTL = 6 * HOUR_IN_SECONDS;

/**
 * Settings defaults.
 *
 * @return array<string, mixed>
 */
function vodia_call_default_settings(): array {
	return array(
		'server'          => '',
		'domain'          => '',
		'extension'       => '',
		'password'        => '',
		'duration'        => 3600,
		'lang'            => '',
		'mode'            => 'popup',
		'pbx_url'         => '',
		'ice_servers'     => array(),
		'turn_secret'     => '',
		'dtmf'            => 'rfc4733',
		'realm'           => '',
		'accept_no_qop'   => false,
		'allow_authors'   => false,
		'allowed_numbers' => array(),
		'trusted_proxies' => array(),
		'number_limit'    => 20,
	);
}

/**
 * Settings as stored, cleaned again on the way out (the option may have been written around the sanitize
 * callback). The password stays encrypted; use vodia_call_get_password() for the plain one.
 *
 * @return array<string, mixed>
 */
function vodia_call_get_settings(): array {
	$stored = get_option( VODIA_CALL_OPTION, array() );
	$errors = array();
	return vodia_call_clean_settings( is_array( $stored ) ? $stored : array(), vodia_call_default_settings(), $errors );
}

/**
 * Cleans settings input: keeps only known keys, validates each, and for an invalid value keeps the previous
 * one and records why. A blank password keeps the previous (encrypted) password; a new one is encrypted.
 *
 * @param array<string, mixed> $input    Submitted or stored values.
 * @param array<string, mixed> $previous Values to keep where the input is missing or invalid.
 * @param array<string, string> $errors  Filled with field => message for each rejected value.
 * @return array<string, mixed>
 */
function vodia_call_clean_settings( array $input, array $previous, array &$errors ): array {
	$defaults = vodia_call_default_settings();
	$previous = array_merge( $defaults, array_intersect_key( $previous, $defaults ) );
	$clean    = array();

	foreach ( $defaults as $key => $default ) {
		if ( ! array_key_exists( $key, $input ) ) {
			$clean[ $key ] = vodia_call_clean_previous( $key, $previous[ $key ] );
			continue;
		}
		$value = vodia_call_clean_field( $key, $input[ $key ], $previous );
		if ( is_wp_error( $value ) ) {
			$errors[ $key ] = $value->get_error_message();
			$clean[ $key ]  = vodia_call_clean_previous( $key, $previous[ $key ] );
		} else {
			$clean[ $key ] = $value;
		}
	}
	return $clean;
}

/**
 * A previous value, cleaned silently: falls back to the default when it no longer validates.
 *
 * @param string $key   Field.
 * @param mixed  $value Previous value.
 * @return mixed
 */
function vodia_call_clean_previous( string $key, $value ) {
	$defaults = vodia_call_default_settings();
	if ( 'password' === $key || 'turn_secret' === $key ) {
		return ( is_string( $value ) && null !== vodia_call_decrypt( $value ) ) ? $value : '';
	}
	$cleaned = vodia_call_clean_field( $key, $value, $defaults );
	return is_wp_error( $cleaned ) ? $defaults[ $key ] : $cleaned;
}

/**
 * Validates one field.
 *
 * @param string               $key      Field.
 * @param mixed                $value    Input.
 * @param array<string, mixed> $previous Previous settings (the password keeps its old value when blank).
 * @return mixed|WP_Error The clean value, or why it was rejected.
 */
function vodia_call_clean_field( string $key, $value, array $previous ) {
	switch ( $key ) {
		case 'server':
			$value = is_string( $value ) ? trim( $value ) : null;
			if ( '' === $value ) {
				return '';
			}
			if ( null === $value || ! vodia_call_is_good_url( $value, array( 'wss' ), array( 'ws' ) ) ) {
				return new WP_Error( 'server', __( 'The PBX WebSocket URL must start with wss:// (ws:// is accepted only for a loopback address such as 127.0.0.1).', 'vodia-click-to-call' ) );
			}
			return $value;

		case 'pbx_url':
			$value = is_string( $value ) ? trim( $value ) : null;
			if ( '' === $value ) {
				return '';
			}
			if ( null === $value || ! vodia_call_is_good_url( $value, array( 'https' ), array( 'http' ) ) ) {
				return new WP_Error( 'pbx_url', __( 'The PBX web address must start with https:// (http:// is accepted only for a loopback address).', 'vodia-click-to-call' ) );
			}
			return $value;

		case 'domain':
			$value = is_string( $value ) ? strtolower( trim( $value ) ) : null;
			if ( '' === $value ) {
				return '';
			}
			if ( null === $value || strlen( $value ) > 253 || ! preg_match( '/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\z/', $value ) ) {
				return new WP_Error( 'domain', __( 'The SIP domain must be a host name or an IPv4 address, such as pbx.example.com.', 'vodia-click-to-call' ) );
			}
			return $value;

		case 'extension':
			$value = is_string( $value ) || is_int( $value ) ? trim( (string) $value ) : null;
			if ( '' === $value ) {
				return '';
			}
			if ( null === $value || ! preg_match( '/^[A-Za-z0-9._-]{1,64}\z/', $value ) ) {
				return new WP_Error( 'extension', __( 'The extension may contain only letters, digits, dots, dashes and underscores (at most 64).', 'vodia-click-to-call' ) );
			}
			return $value;

		case 'turn_secret':
		case 'password':
			if ( ! is_string( $value ) ) {
				return new WP_Error( $key, __( 'The password could not be read.', 'vodia-click-to-call' ) );
			}
			if ( '' === $value ) {
				// Write-only field: the form never shows the stored secret, so blank means "keep it".
				return vodia_call_clean_previous( $key, $previous[ $key ] ?? '' );
			}
			if ( 'turn_secret' === $key && '-' === $value ) {
				return ''; // A lone dash forgets the stored TURN secret.
			}
			if ( null !== vodia_call_decrypt( $value ) ) {
				// Already our ciphertext: WordPress runs the sanitize callback twice when it first adds the option.
				return $value;
			}
			if ( strlen( $value ) > 256 || preg_match( '/[\x00-\x1f\x7f]/', $value ) || ! wp_check_invalid_utf8( $value ) ) {
				return new WP_Error( $key, __( 'The password must be at most 256 characters, without control characters.', 'vodia-click-to-call' ) );
			}
			$cipher = vodia_call_encrypt( $value );
			if ( null === $cipher ) {
				return new WP_Error( $key, __( 'The password could not be encrypted; it was not saved.', 'vodia-click-to-call' ) );
			}
			return $cipher;

		case 'duration':
			if ( is_string( $value ) && preg_match( '/^\s*[0-9]{1,9}\s*\z/', $value ) ) {
				$value = (int) $value;
			}
			if ( ! is_int( $value ) || $value < VODIA_CALL_MIN_DURATION || $value > VODIA_CALL_MAX_DURATION ) {
				return new WP_Error(
					'duration',
					sprintf(
						/* translators: 1: shortest allowed seconds, 2: longest allowed seconds */
						__( 'The link validity must be a whole number of seconds from %1$d to %2$d.', 'vodia-click-to-call' ),
						VODIA_CALL_MIN_DURATION,
						VODIA_CALL_MAX_DURATION
					)
				);
			}
			return $value;

		case 'lang':
			$value = is_string( $value ) ? strtolower( trim( $value ) ) : null;
			if ( '' === $value ) {
				return '';
			}
			if ( null === $value || ! vodia_call_is_valid_lang( $value ) ) {
				return new WP_Error( 'lang', __( 'The language must be a two-letter code such as en or de, or empty for the site language.', 'vodia-click-to-call' ) );
			}
			return $value;

		case 'mode':
			if ( ! in_array( $value, array( 'popup', 'vodia' ), true ) ) {
				return new WP_Error( 'mode', __( 'Unknown link mode.', 'vodia-click-to-call' ) );
			}
			return $value;

		case 'dtmf':
			if ( ! in_array( $value, array( 'rfc4733', 'info' ), true ) ) {
				return new WP_Error( 'dtmf', __( 'Keypad digits are sent either as RFC 4733 events or as SIP INFO.', 'vodia-click-to-call' ) );
			}
			return $value;

		case 'ice_servers':
			return vodia_call_clean_ice_servers( $value );

		case 'realm':
			$value = is_string( $value ) ? trim( $value ) : null;
			// It is compared with the challenge's realm and goes back into a quoted header: printable ASCII, no
			// quote or backslash.
			if ( null === $value || ( '' !== $value && ! preg_match( '/^[\x20-\x7e]{1,128}\z/', $value ) ) || preg_match( '/["\\\\]/', $value ) ) {
				return new WP_Error( 'realm', __( 'The realm must be at most 128 plain characters (letters, digits, punctuation) without quotes or backslashes, or empty for the SIP domain.', 'vodia-click-to-call' ) );
			}
			return $value;

		case 'accept_no_qop':
		case 'allow_authors':
			return vodia_call_clean_flag( $key, $value );

		case 'allowed_numbers':
			return vodia_call_clean_allowed_numbers( $value );

		case 'trusted_proxies':
			return vodia_call_clean_trusted_proxies( $value );

		case 'number_limit':
			if ( is_string( $value ) && preg_match( '/^\s*[0-9]{1,6}\s*\z/', $value ) ) {
				$value = (int) $value;
			}
			if ( ! is_int( $value ) || $value < 1 || $value > VODIA_CALL_MAX_NUMBER_LIMIT ) {
				return new WP_Error(
					'number_limit',
					sprintf(
						/* translators: %d: the highest value allowed */
						__( 'Calls per number and minute must be a whole number from 1 to %d.', 'vodia-click-to-call' ),
						VODIA_CALL_MAX_NUMBER_LIMIT
					)
				);
			}
			return $value;
	}
	return new WP_Error( $key, __( 'Unknown setting.', 'vodia-click-to-call' ) );
}

/**
 * Cleans a checkbox: on or off. The form sends "0" from a hidden field before the checkbox's "1", so an
 * unticked box arrives as "0" rather than not at all.
 *
 * @param string $key   Field.
 * @param mixed  $value Input.
 * @return bool|WP_Error
 */
function vodia_call_clean_flag( string $key, $value ) {
	if ( true === $value || 1 === $value || '1' === $value ) {
		return true;
	}
	if ( false === $value || 0 === $value || '0' === $value || '' === $value ) {
		return false;
	}
	return new WP_Error( $key, __( 'A checkbox can only be on or off.', 'vodia-click-to-call' ) );
}

/** Most entries the list of trusted proxies holds. */
const VODIA_CALL_MAX_TRUSTED_PROXIES = 100;

/** Highest per-number limit the settings accept (answers per number and minute). */
const VODIA_CALL_MAX_NUMBER_LIMIT = 10000;

/**
 * Cleans the trusted reverse proxies: the form's text (one entry a line; commas and spaces separate too) or the
 * stored list. An entry is an IPv4 or IPv6 address or a CIDR range, stored canonical: "10.0.0.0/8" (host bits
 * cleared), "2001:db8::/32", "192.0.2.1" for a single address. Ranges wider than /8 (IPv4) or /16 (IPv6) are
 * refused: trusting half the Internet would let any visitor choose the address the rate limit counts.
 *
 * @param mixed $value Input.
 * @return string[]|WP_Error
 */
function vodia_call_clean_trusted_proxies( $value ) {
	$error = new WP_Error(
		'trusted_proxies',
		sprintf(
			/* translators: %d: most entries allowed */
			__( 'Trusted proxies: one IPv4 or IPv6 address or CIDR range a line (such as 10.0.0.0/8), no wider than /8 for IPv4 or /16 for IPv6; at most %d.', 'vodia-click-to-call' ),
			VODIA_CALL_MAX_TRUSTED_PROXIES
		)
	);
	if ( is_string( $value ) ) {
		$value = preg_split( '/[\s,]+/', $value, -1, PREG_SPLIT_NO_EMPTY );
	}
	if ( ! is_array( $value ) ) {
		return $error;
	}
	$clean = array();
	foreach ( $value as $entry ) {
		$range = is_string( $entry ) ? vodia_call_clean_cidr( $entry ) : null;
		if ( null === $range ) {
			return $error;
		}
		$clean[ $range ] = true;
	}
	if ( count( $clean ) > VODIA_CALL_MAX_TRUSTED_PROXIES ) {
		return $error;
	}
	return array_map( 'strval', array_keys( $clean ) );
}

/**
 * One address or CIDR range in canonical form, or null.
 *
 * @param string $entry An entry: "10.1.2.3", "10.0.0.0/8", "2001:DB8::/32", "::ffff:10.0.0.1".
 */
function vodia_call_clean_cidr( string $entry ): ?string {
	if ( ! preg_match( '/^([0-9A-Fa-f:.]+)(?:\/([0-9]{1,3}))?\z/', $entry, $m ) || false === filter_var( $m[1], FILTER_VALIDATE_IP ) ) {
		return null;
	}
	$packed = (string) inet_pton( $m[1] );
	$mapped = 16 === strlen( $packed ) && str_repeat( "\0", 10 ) . "\xff\xff" === substr( $packed, 0, 12 );
	if ( $mapped ) {
		$packed = substr( $packed, 12 );
	}
	$max  = 8 * strlen( $packed );
	$bits = isset( $m[2] ) ? (int) $m[2] - ( $mapped ? 96 : 0 ) : $max;
	if ( $bits > $max || $bits < ( 4 === strlen( $packed ) ? 8 : 16 ) ) {
		return null;
	}
	// Clear the host bits: 10.1.2.3/8 means 10.0.0.0/8.
	$net = '';
	for ( $i = 0; $i < strlen( $packed ); $i++ ) { // phpcs:ignore Squiz.PHP.DisallowSizeFunctionsInLoops -- 4 or 16 bytes.
		$keep = max( 0, min( 8, $bits - 8 * $i ) );
		$net .= chr( ord( $packed[ $i ] ) & ( ( 0xff << ( 8 - $keep ) ) & 0xff ) );
	}
	$text = (string) inet_ntop( $net );
	return $bits === $max ? $text : $text . '/' . $bits;
}

/** Most entries the allow-list of numbers holds. */
const VODIA_CALL_MAX_ALLOWED_NUMBERS = 500;

/**
 * Cleans the allow-list of numbers: the form's text (one entry a line; commas and spaces separate too) or the
 * stored list. An entry is a number (1 to 32 of 0-9 + * #) or, with a final *, a prefix ("+4930*").
 *
 * @param mixed $value Input.
 * @return string[]|WP_Error
 */
function vodia_call_clean_allowed_numbers( $value ) {
	$error = new WP_Error(
		'allowed_numbers',
		sprintf(
			/* translators: %d: most entries allowed */
			__( 'Allowed numbers: one number or prefix a line, each 1 to 32 of the characters 0-9 + * #, a prefix ending in * (such as +4930*); at most %d.', 'vodia-click-to-call' ),
			VODIA_CALL_MAX_ALLOWED_NUMBERS
		)
	);
	if ( is_string( $value ) ) {
		$value = preg_split( '/[\s,]+/', $value, -1, PREG_SPLIT_NO_EMPTY );
	}
	if ( ! is_array( $value ) ) {
		return $error;
	}
	$clean = array();
	foreach ( $value as $entry ) {
		if ( ! is_string( $entry ) || '*' === $entry || ! vodia_call_is_valid_number( $entry ) ) {
			return $error;
		}
		$clean[ $entry ] = true;
	}
	if ( count( $clean ) > VODIA_CALL_MAX_ALLOWED_NUMBERS ) {
		return $error;
	}
	return array_map( 'strval', array_keys( $clean ) );
}

/**
 * Whether a number is on the allow-list: always when the list is empty; else when an entry equals it, or an
 * entry ending in * is a prefix of it. (A number that itself ends in * is allowed by listing it as a prefix.)
 *
 * @param string               $number   Number.
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_number_is_allowed( string $number, array $settings ): bool {
	$list = $settings['allowed_numbers'] ?? array();
	if ( ! $list ) {
		return true;
	}
	foreach ( $list as $entry ) {
		$entry = (string) $entry;
		if ( $entry === $number ) {
			return true;
		}
		if ( '*' === substr( $entry, -1 ) && 0 === strpos( $number, substr( $entry, 0, -1 ) ) ) {
			return true;
		}
	}
	return false;
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
			|| ! preg_match( '/^(?:stun|turns?):[^\s"\'<>\\\\]{1,250}\z/i', $server['urls'] ) ) {
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

/**
 * Whether a language code is acceptable: two lower-case letters.
 *
 * @param mixed $lang Code.
 */
function vodia_call_is_valid_lang( $lang ): bool {
	return is_string( $lang ) && (bool) preg_match( '/^[a-z]{2}\z/', $lang );
}

/**
 * Whether a number may be called: digits and + * #, 1 to 32 of them.
 *
 * @param mixed $number Number.
 */
function vodia_call_is_valid_number( $number ): bool {
	return is_string( $number ) && (bool) preg_match( VODIA_CALL_NUMBER_PATTERN, $number );
}

/**
 * The secretbox key for the stored password and TURN secret, derived from a secret kept in wp-config.php, so a
 * copy of the database alone does not reveal them: VODIA_CALL_ENCRYPTION_KEY when it is defined (a dedicated key,
 * which survives a rotation of the salts), else the site's salts (AUTH_KEY, SECURE_AUTH_KEY and their salts, as
 * before). Changing the key source makes what is stored unreadable; the settings page then asks for it again.
 */
function vodia_call_encryption_key(): string {
	$secret = 'constant' === vodia_call_encryption_key_source() ? VODIA_CALL_ENCRYPTION_KEY : wp_salt( 'auth' ) . wp_salt( 'secure_auth' );
	return hash_hmac( 'sha256', 'vodia-click-to-call password key v1', $secret, true );
}

/**
 * Where the encryption key comes from: "constant" (VODIA_CALL_ENCRYPTION_KEY in wp-config.php, a non-empty
 * string) or "salts".
 */
function vodia_call_encryption_key_source(): string {
	return defined( 'VODIA_CALL_ENCRYPTION_KEY' ) && is_string( VODIA_CALL_ENCRYPTION_KEY ) && '' !== VODIA_CALL_ENCRYPTION_KEY ? 'constant' : 'salts';
}

/**
 * Encrypts the PBX password for storage.
 *
 * @param string $plain Password.
 * @return string|null Ciphertext with prefix, or null when encryption failed.
 */
function vodia_call_encrypt( string $plain ): ?string {
	try {
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		$box   = sodium_crypto_secretbox( $plain, $nonce, vodia_call_encryption_key() );
	} catch ( Exception $e ) {
		return null;
	}
	return VODIA_CALL_CIPHER_PREFIX . base64_encode( $nonce . $box ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- binary ciphertext must become option-safe text.
}

/**
 * Decrypts a stored password.
 *
 * @param mixed $stored Stored value.
 * @return string|null The password, or null when it is not our ciphertext or the key changed.
 */
function vodia_call_decrypt( $stored ): ?string {
	if ( ! is_string( $stored ) || 0 !== strpos( $stored, VODIA_CALL_CIPHER_PREFIX ) ) {
		return null;
	}
	$raw = base64_decode( substr( $stored, strlen( VODIA_CALL_CIPHER_PREFIX ) ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- reverses vodia_call_encrypt().
	if ( false === $raw || strlen( $raw ) < SODIUM_CRYPTO_SECRETBOX_NONCEBYTES + SODIUM_CRYPTO_SECRETBOX_MACBYTES ) {
		return null;
	}
	try {
		$plain = sodium_crypto_secretbox_open(
			substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ),
			substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ),
			vodia_call_encryption_key()
		);
	} catch ( Exception $e ) {
		return null;
	}
	return false === $plain ? null : $plain;
}

/**
 * The stored PBX password in plain text, for signing only. Never print it.
 *
 * @param array<string, mixed>|null $settings Settings, or null to read them.
 */
function vodia_call_get_password( ?array $settings = null ): string {
	$settings = $settings ?? vodia_call_get_settings();
	return (string) vodia_call_decrypt( $settings['password'] );
}

/**
 * The link's account: EXTENSION@DOMAIN.
 *
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_link_user( array $settings ): string {
	return $settings['extension'] . '@' . $settings['domain'];
}

/**
 * Whether the settings are complete for the chosen mode.
 *
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_is_configured( array $settings ): bool {
	if ( '' === $settings['domain'] || '' === $settings['extension'] || '' === vodia_call_get_password( $settings ) ) {
		return false;
	}
	return 'vodia' === $settings['mode'] ? '' !== $settings['pbx_url'] : '' !== $settings['server'];
}

/**
 * SPEC 2's signature: md5 over user, password, number, time and duration, no separators, lower-case hex.
 *
 * @param string $user     Account (EXTENSION@DOMAIN).
 * @param string $password Password.
 * @param string $dest     Number.
 * @param string $time     Seconds since 1970, decimal.
 * @param string $duration Validity in seconds, decimal.
 */
function vodia_call_signature( string $user, string $password, string $dest, string $time, string $duration ): string {
	return md5( $user . $password . $dest . $time . $duration );
}

/**
 * Signed link parameters for a number, made now.
 *
 * @param string               $dest     Number (already validated).
 * @param string               $lang     Language code or ''.
 * @param array<string, mixed> $settings Settings.
 * @param int|null             $now      Clock, for tests.
 * @return array<string, string> destnumber, user, pass, time, duration[, lang] in SPEC 2's order.
 */
function vodia_call_sign_link( string $dest, string $lang, array $settings, ?int $now = null ): array {
	$user     = vodia_call_link_user( $settings );
	$time     = (string) ( $now ?? time() );
	$duration = (string) (int) $settings['duration'];
	$params   = array(
		'destnumber' => $dest,
		'user'       => $user,
		'pass'       => vodia_call_signature( $user, vodia_call_get_password( $settings ), $dest, $time, $duration ),
		'time'       => $time,
		'duration'   => $duration,
	);
	if ( '' !== $lang ) {
		$params['lang'] = $lang;
	}
	return $params;
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

/**
 * Whether a string is a plain canonical decimal: digits only, no sign, no leading zero, at most 12 digits.
 *
 * @param mixed $value Value.
 */
function vodia_call_is_canonical_uint( $value ): bool {
	return is_string( $value ) && (bool) preg_match( '/^(?:0|[1-9][0-9]{0,11})\z/', $value );
}

/**
 * Checks a signed link against the signature and every rule of SPEC 2.
 *
 * Format first, then the hash, then the clock: so "expired", "future" and "too-long" are only ever said of
 * links the site really signed (or digit-sliding forgeries of them, which these rules exist to stop).
 *
 * @param array<string, mixed> $link     Link fields: destnumber, user, pass, time, duration.
 * @param array<string, mixed> $settings Settings.
 * @param int|null             $now      Clock, for tests.
 * @return string '' when valid, else bad-signature, expired, future or too-long.
 */
function vodia_call_check_link( array $link, array $settings, ?int $now = null ): string {
	$now = $now ?? time();
	foreach ( array( 'destnumber', 'user', 'pass', 'time', 'duration' ) as $field ) {
		if ( ! isset( $link[ $field ] ) || ! is_string( $link[ $field ] ) ) {
			return 'bad-signature';
		}
	}
	if ( ! vodia_call_is_valid_number( $link['destnumber'] )
		|| ! vodia_call_is_canonical_uint( $link['time'] )
		|| ! vodia_call_is_canonical_uint( $link['duration'] )
		|| ! preg_match( '/^[0-9a-f]{32}\z/', $link['pass'] ) ) {
		return 'bad-signature';
	}
	$password = vodia_call_get_password( $settings );
	$user     = vodia_call_link_user( $settings );
	// The digest answer is made with this site's password, so only this site's account can be vouched for.
	if ( '' === $password || ! hash_equals( $user, $link['user'] ) ) {
		return 'bad-signature';
	}
	$expected = vodia_call_signature( $user, $password, $link['destnumber'], $link['time'], $link['duration'] );
	if ( ! hash_equals( $expected, $link['pass'] ) ) {
		return 'bad-signature';
	}
	$time     = (int) $link['time'];
	$duration = (int) $link['duration'];
	if ( $time > $now + 300 ) {
		return 'future';
	}
	// The cap is the configured validity: this site never signs longer links, so a longer one is a forgery.
	if ( $duration > min( (int) $settings['duration'], VODIA_CALL_MAX_DURATION ) ) {
		return 'too-long';
	}
	if ( $now > $time + $duration ) {
		return 'expired';
	}
	return '';
}

/**
 * Reasons a password is weak against offline guessing (SPEC 4: one link lets anyone test guesses against its
 * md5 at billions a second). Empty when it looks strong.
 *
 * @param string               $password Password.
 * @param array<string, mixed> $settings Settings (the extension and domain make poor passwords).
 * @return string[]
 */
function vodia_call_password_weaknesses( string $password, array $settings ): array {
	if ( '' === $password ) {
		return array();
	}
	$reasons = array();
	$length  = function_exists( 'mb_strlen' ) ? mb_strlen( $password, 'UTF-8' ) : strlen( $password );
	if ( $length < 20 ) {
		$reasons[] = sprintf(
			/* translators: %d: number of characters in the stored password */
			_n( 'it has only %d character; use at least 20', 'it has only %d characters; use at least 20', $length, 'vodia-click-to-call' ),
			$length
		);
	}
	if ( preg_match( '/^[0-9]+\z/', $password ) ) {
		$reasons[] = __( 'it is digits only', 'vodia-click-to-call' );
	} elseif ( preg_match( '/^[a-z]+\z/i', $password ) ) {
		$reasons[] = __( 'it is letters only', 'vodia-click-to-call' );
	}
	if ( count( array_unique( str_split( $password ) ) ) < max( 4, (int) ( strlen( $password ) / 3 ) ) ) {
		$reasons[] = __( 'it repeats a few characters', 'vodia-click-to-call' );
	}
	$lower = strtolower( $password );
	foreach ( array( 'password', 'passwort', 'secret', 'qwert', 'asdf', '1234', 'abcd', 'admin', 'vodia', 'welcome', 'letmein' ) as $word ) {
		if ( false !== strpos( $lower, $word ) ) {
			$reasons[] = __( 'it contains a common word or sequence', 'vodia-click-to-call' );
			break;
		}
	}
	foreach ( array( $settings['extension'] ?? '', $settings['domain'] ?? '' ) as $known ) {
		if ( strlen( (string) $known ) >= 2 && false !== strpos( $lower, strtolower( (string) $known ) ) ) {
			$reasons[] = __( 'it contains the extension or the domain', 'vodia-click-to-call' );
			break;
		}
	}
	return $reasons;
}

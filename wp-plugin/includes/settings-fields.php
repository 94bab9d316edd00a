<?php
/**
 * The settings model: the one option, its defaults, and how each field is cleaned on the way in and out.
 * The page that shows them is settings.php.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The one option holding all settings. */
const VODIA_CALL_OPTION = 'vodia_call_settings';

/** Shortest validity the settings accept: below a minute a slow visitor could not click in time. */
const VODIA_CALL_MIN_DURATION = 60;

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

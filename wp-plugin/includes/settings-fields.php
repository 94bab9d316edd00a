<?php
/**
 * The settings model: the one option and its field table. Each field is described once, in
 * vodia_call_settings_fields(), and that table feeds the defaults, the cleaning (the sanitize callback and the read
 * path), the settings page's add_settings_field() calls and the rendering of each field (settings.php).
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
 * The settings fields, in the order the page shows them. Each field:
 *
 * - section:     the page section it is shown in (see vodia_call_add_settings_fields());
 * - label:       its label on the page;
 * - default:     its value when nothing (valid) is stored;
 * - clean:       callable( mixed $value, array $field, array $previous ): the clean value, or a WP_Error saying
 *                why it was refused. $previous holds the settings before this change;
 * - secret:      true for a write-only value stored encrypted (never shown, a blank input keeps it);
 * - control:     how the page shows it: input, textarea, select or checkbox;
 * - type, class: the input's type and the control's class; rows: a textarea's rows;
 * - attributes:  further HTML attributes, in order; or callable( array $settings ) returning them;
 * - value:       callable( array $settings ) giving the control's text, when it is not the stored value as is;
 * - choices:     a select's value => label; or callable( array $settings ) returning them;
 * - checkbox:    a checkbox's label;
 * - description: paragraphs under the control; or callable( array $view ) returning them (see
 *                vodia_call_settings_page_view());
 * - invalid:     the message for a refused value, where the clean rule is a generic one;
 * - day:         a weekday's opening-times field: the day's name, for its error message.
 *
 * Built on each call: the labels are translated, so the table must not outlive a change of locale.
 *
 * @return array<string, array<string, mixed>> Field key => field, each with its 'key' too.
 */
function vodia_call_settings_fields(): array {
	$fields = array(
		'server'          => array(
			'section'     => 'vodia_call_pbx',
			'label'       => __( 'PBX WebSocket URL', 'vodia-click-to-call' ),
			'default'     => '',
			'clean'       => 'vodia_call_clean_server',
			'control'     => 'input',
			'type'        => 'url',
			'class'       => 'regular-text code',
			'attributes'  => array( 'placeholder' => 'wss://pbx.example.com/ws' ),
			'description' => array( __( 'SIP over WebSocket (RFC 7118). wss:// is required, except ws:// for a PBX on this machine\'s loopback address.', 'vodia-click-to-call' ) ),
		),
		'domain'          => array(
			'section'    => 'vodia_call_pbx',
			'label'      => __( 'SIP domain', 'vodia-click-to-call' ),
			'default'    => '',
			'clean'      => 'vodia_call_clean_domain',
			'control'    => 'input',
			'type'       => 'text',
			'class'      => 'regular-text',
			'attributes' => array( 'autocomplete' => 'off' ),
		),
		'realm'           => array(
			'section'     => 'vodia_call_pbx',
			'label'       => __( 'Digest realm', 'vodia-click-to-call' ),
			'default'     => '',
			'clean'       => 'vodia_call_clean_realm',
			'control'     => 'input',
			'type'        => 'text',
			'class'       => 'regular-text',
			// The realm this site answers for when the field is empty: the SIP domain.
			'attributes'  => function ( array $settings ): array {
				return array(
					'autocomplete' => 'off',
					'placeholder'  => $settings['domain'],
				);
			},
			'description' => array( __( 'The realm your PBX names in its digest challenges. Leave empty when it is the SIP domain (Vodia, FreeSWITCH and Kamailio as usually set up); Asterisk\'s default is "asterisk". Challenges in any other realm are not answered.', 'vodia-click-to-call' ) ),
		),
		'extension'       => array(
			'section'    => 'vodia_call_pbx',
			'label'      => __( 'Extension', 'vodia-click-to-call' ),
			'default'    => '',
			'clean'      => 'vodia_call_clean_extension',
			'control'    => 'input',
			'type'       => 'text',
			'class'      => 'regular-text',
			'attributes' => array( 'autocomplete' => 'off' ),
		),
		'password'        => array(
			'section'     => 'vodia_call_pbx',
			'label'       => __( 'Password', 'vodia-click-to-call' ),
			'default'     => '',
			'clean'       => 'vodia_call_clean_secret',
			'secret'      => true,
			'control'     => 'input',
			'type'        => 'password',
			'class'       => 'regular-text',
			'attributes'  => array(
				'autocomplete' => 'new-password',
				'spellcheck'   => 'false',
			),
			'description' => function ( array $view ): array {
				return array(
					$view['has_secret']['password']
						? __( 'A password is stored (encrypted; it is never shown). Leave the field blank to keep it.', 'vodia-click-to-call' )
						: __( 'No password is stored yet.', 'vodia-click-to-call' ),
				);
			},
		),
		'ice_servers'     => array(
			'section'     => 'vodia_call_pbx',
			'label'       => __( 'ICE servers', 'vodia-click-to-call' ),
			'default'     => array(),
			'clean'       => 'vodia_call_clean_ice_servers',
			'control'     => 'textarea',
			'class'       => 'large-text code',
			'rows'        => 3,
			'attributes'  => array( 'placeholder' => 'stun:stun.example.com:3478' ),
			'value'       => 'vodia_call_ice_servers_text',
			'description' => array(
				__( 'One a line: a stun:, turn: or turns: URL, for TURN followed by user name and credential. Visitors\' browsers receive these. Leave empty when the PBX has a public address.', 'vodia-click-to-call' ),
				__( 'A turn: or turns: URL without user name gets a short-lived credential made from the TURN shared secret below for each call window, so no lasting TURN password is published.', 'vodia-click-to-call' ),
			),
		),
		'turn_secret'     => array(
			'section'     => 'vodia_call_pbx',
			'label'       => __( 'TURN shared secret', 'vodia-click-to-call' ),
			'default'     => '',
			'clean'       => 'vodia_call_clean_secret',
			'secret'      => true,
			'control'     => 'input',
			'type'        => 'password',
			'class'       => 'regular-text',
			'attributes'  => array(
				'autocomplete' => 'off',
				'spellcheck'   => 'false',
			),
			'description' => function ( array $view ): array {
				return array(
					$view['has_secret']['turn_secret']
						? __( 'A secret is stored (encrypted; it is never shown). Leave the field blank to keep it, or enter a single dash to remove it.', 'vodia-click-to-call' )
						: __( 'The static-auth-secret of a TURN server that uses the TURN REST scheme (coturn: use-auth-secret). Optional.', 'vodia-click-to-call' ),
				);
			},
		),
		'dtmf'            => array(
			'section' => 'vodia_call_pbx',
			'label'   => __( 'Keypad digits', 'vodia-click-to-call' ),
			'default' => 'rfc4733',
			'clean'   => 'vodia_call_clean_choice',
			'invalid' => __( 'Keypad digits are sent either as RFC 4733 events or as SIP INFO.', 'vodia-click-to-call' ),
			'control' => 'select',
			'choices' => array(
				'rfc4733' => __( 'RFC 4733 telephone events (usual)', 'vodia-click-to-call' ),
				'info'    => __( 'SIP INFO', 'vodia-click-to-call' ),
			),
		),
		'mode'            => array(
			'section'     => 'vodia_call_links',
			'label'       => __( 'Calls open', 'vodia-click-to-call' ),
			'default'     => 'popup',
			'clean'       => 'vodia_call_clean_choice',
			'invalid'     => __( 'Unknown link mode.', 'vodia-click-to-call' ),
			'control'     => 'select',
			'choices'     => array(
				'popup' => __( 'this site\'s call window (any SIP PBX)', 'vodia-click-to-call' ),
				'vodia' => __( 'the Vodia PBX\'s own makecall page', 'vodia-click-to-call' ),
			),
			'description' => array( __( 'With this site\'s call window, this site answers the PBX\'s digest challenges, so the password stays on this server. With the Vodia PBX\'s own page, the PBX checks the signed links itself.', 'vodia-click-to-call' ) ),
		),
		'pbx_url'         => array(
			'section'     => 'vodia_call_links',
			'label'       => __( 'PBX web address', 'vodia-click-to-call' ),
			'default'     => '',
			'clean'       => 'vodia_call_clean_pbx_url',
			'control'     => 'input',
			'type'        => 'url',
			'class'       => 'regular-text code',
			'attributes'  => array( 'placeholder' => 'https://pbx.example.com' ),
			'description' => array( __( 'Only for "the Vodia PBX\'s own makecall page": links then go to makecall.htm under this address.', 'vodia-click-to-call' ) ),
		),
		'duration'        => array(
			'section'     => 'vodia_call_links',
			'label'       => __( 'Link validity (seconds)', 'vodia-click-to-call' ),
			'default'     => 3600,
			'clean'       => 'vodia_call_clean_duration',
			'control'     => 'input',
			'type'        => 'number',
			'class'       => 'small-text',
			'attributes'  => array(
				'min'  => VODIA_CALL_MIN_DURATION,
				'max'  => vodia_call_max_duration(),
				'step' => 1,
			),
			'description' => array( __( 'How long a signed link stays valid. Links are signed when a visitor clicks, so a few minutes to an hour is enough.', 'vodia-click-to-call' ) ),
		),
		'lang'            => array(
			'section' => 'vodia_call_links',
			'label'   => __( 'Popup language', 'vodia-click-to-call' ),
			'default' => '',
			'clean'   => 'vodia_call_clean_lang',
			'control' => 'select',
			'choices' => 'vodia_call_lang_choices',
		),
		'accept_no_qop'   => array(
			'section'     => 'vodia_call_security',
			'label'       => __( 'Challenges without qop', 'vodia-click-to-call' ),
			'default'     => false,
			'clean'       => 'vodia_call_clean_flag',
			'control'     => 'checkbox',
			'checkbox'    => __( 'Also answer challenges without qop (RFC 2069), for a PBX that never offers qop=auth', 'vodia-click-to-call' ),
			'description' => array( __( 'Off by default. Without qop, this site\'s answer equals the MD5-sess session key for the PBX\'s nonce: a PBX that accepts MD5-sess chosen by the client would accept requests signed with it, for any number and any method. Turn this on only for a PBX that never offers qop and never accepts MD5-sess it did not ask for. MD5-sess challenges, other realms and nonces with ":", quotes or control characters are refused either way.', 'vodia-click-to-call' ) ),
		),
		'allow_authors'   => array(
			'section'     => 'vodia_call_security',
			'label'       => __( 'Numbers from authors', 'vodia-click-to-call' ),
			'default'     => false,
			'clean'       => 'vodia_call_clean_flag',
			'control'     => 'checkbox',
			'checkbox'    => __( 'Also offer the numbers in content published by authors (users who may publish their own posts but not edit others\' posts)', 'vodia-click-to-call' ),
			'description' => array(
				__( 'Off by default: only content whose author may edit others\' posts (editors and administrators) makes its numbers callable. An author publishes without review, so one post with a premium-rate number in it would let every visitor call that number through your PBX. Contributors\' content never counts.', 'vodia-click-to-call' ),
				__( 'A password-protected post still offers its numbers: the password hides the post, not the numbers, and anyone may open the call page for them. Use a draft or a private post for numbers that must not be callable.', 'vodia-click-to-call' ),
			),
		),
		'allowed_numbers' => array(
			'section'     => 'vodia_call_security',
			'label'       => __( 'Allowed numbers', 'vodia-click-to-call' ),
			'default'     => array(),
			'clean'       => 'vodia_call_clean_allowed_numbers',
			'control'     => 'textarea',
			'class'       => 'regular-text code',
			'rows'        => 4,
			'attributes'  => array( 'placeholder' => "100\n+4930*" ),
			'value'       => 'vodia_call_list_text',
			'description' => array( __( 'One number or prefix a line: 100 allows exactly 100, +4930* every number that starts with +4930. When the list is not empty, this site signs links and answers challenges only for numbers on it, whatever published content offers. Empty: no restriction beyond published content.', 'vodia-click-to-call' ) ),
		),
		'number_limit'    => array(
			'section'     => 'vodia_call_security',
			'label'       => __( 'Calls per number and minute', 'vodia-click-to-call' ),
			'default'     => 20,
			'clean'       => 'vodia_call_clean_number_limit',
			'control'     => 'input',
			'type'        => 'number',
			'class'       => 'small-text',
			'attributes'  => array(
				'min'  => 1,
				'max'  => VODIA_CALL_MAX_NUMBER_LIMIT,
				'step' => 1,
			),
			'description' => array( __( 'How many digest answers one number gets per minute from all visitors together; a call takes one, sometimes two. Past it, calls to that number are refused until the minute is over. This bounds what many addresses together can place on one number (a premium-rate number, say); set it above the calls per minute you expect at your busiest. Each visitor\'s address also has its own limit (by default 30 requests in 5 minutes).', 'vodia-click-to-call' ) ),
		),
		'trusted_proxies' => array(
			'section'     => 'vodia_call_security',
			'label'       => __( 'Trusted reverse proxies', 'vodia-click-to-call' ),
			'default'     => array(),
			'clean'       => 'vodia_call_clean_trusted_proxies',
			'control'     => 'textarea',
			'class'       => 'regular-text code',
			'rows'        => 3,
			'attributes'  => array( 'placeholder' => "127.0.0.1\n10.0.0.0/8" ),
			'value'       => 'vodia_call_list_text',
			'description' => array( __( 'Only if this site is behind a reverse proxy, load balancer or CDN: its addresses or CIDR ranges, one a line. Requests from these addresses are counted against the visitor named in X-Forwarded-For (the last address there that is not one of your proxies), not against the proxy; otherwise every visitor shares the proxy\'s limit. List only proxies you run or pay for: anyone else can write anything into X-Forwarded-For. Empty: the header is ignored.', 'vodia-click-to-call' ) ),
		),
		'caller_context'  => array(
			'section'     => 'vodia_call_visitors',
			'label'       => __( 'Caller context', 'vodia-click-to-call' ),
			'default'     => true,
			'clean'       => 'vodia_call_clean_flag',
			'control'     => 'checkbox',
			'checkbox'    => __( 'Send caller context to the PBX', 'vodia-click-to-call' ),
			'description' => array( __( 'Each call then tells the PBX which page the visitor called from and the link\'s own context text, in the SIP headers X-Call-Page and X-Call-Context.', 'vodia-click-to-call' ) ),
		),
		'page_query'      => array(
			'section'     => 'vodia_call_visitors',
			'label'       => __( 'Page address', 'vodia-click-to-call' ),
			'default'     => false,
			'clean'       => 'vodia_call_clean_flag',
			'control'     => 'checkbox',
			'checkbox'    => __( 'Include the page\'s query string', 'vodia-click-to-call' ),
			'description' => array( __( 'Off by default: the PBX learns the page\'s address without the part after "?", which may hold what a visitor searched for or a tracking code.', 'vodia-click-to-call' ) ),
		),
		'office_hours'    => array(
			'section'     => 'vodia_call_visitors',
			'label'       => __( 'Office hours', 'vodia-click-to-call' ),
			'default'     => false,
			'clean'       => 'vodia_call_clean_flag',
			'control'     => 'checkbox',
			'checkbox'    => __( 'Use office hours', 'vodia-click-to-call' ),
			'description' => array( __( 'Outside the hours below the call window places no call: it says that you are closed, when you open next, and offers the fallback contact.', 'vodia-click-to-call' ) ),
		),
		'time_zone'       => array(
			'section'     => 'vodia_call_visitors',
			'label'       => __( 'Time zone', 'vodia-click-to-call' ),
			'default'     => '',
			'clean'       => 'vodia_call_clean_time_zone',
			'control'     => 'input',
			'type'        => 'text',
			'class'       => 'regular-text code',
			'attributes'  => array( 'placeholder' => 'Europe/Berlin' ),
			'value'       => 'vodia_call_office_time_zone',
			'description' => array( __( 'The office\'s time zone, such as Europe/Berlin. Empty: this site\'s time zone, when it is a named one.', 'vodia-click-to-call' ) ),
		),
	);
	// One field per weekday, labelled with WordPress's own (translated) weekday names.
	foreach ( vodia_call_weekdays() as $day => $name ) {
		$fields[ 'hours_' . $day ] = array(
			'section'     => 'vodia_call_visitors',
			'label'       => $name,
			'default'     => array(),
			'clean'       => 'vodia_call_clean_day_hours',
			'day'         => $name,
			'control'     => 'input',
			'type'        => 'text',
			'class'       => 'regular-text code',
			'attributes'  => 'sat' === $day || 'sun' === $day ? array() : array( 'placeholder' => '09:00-12:30, 13:30-17:00' ),
			'value'       => 'vodia_call_day_hours_text',
			'description' => 'mon' === $day ? array( __( 'Opening times, 24-hour, separated by commas: 09:00-12:30, 13:30-17:00. Empty: closed all day. Until midnight is 24:00.', 'vodia-click-to-call' ) ) : array(),
		);
	}
	$fields += array(
		'closed_dates'    => array(
			'section'     => 'vodia_call_visitors',
			'label'       => __( 'Closed on', 'vodia-click-to-call' ),
			'default'     => array(),
			'clean'       => 'vodia_call_clean_closed_dates',
			'control'     => 'textarea',
			'class'       => 'regular-text code',
			'rows'        => 3,
			'attributes'  => array( 'placeholder' => "2026-12-24\n2026-12-31" ),
			'value'       => 'vodia_call_list_text',
			'description' => array( __( 'One date a line, as YYYY-MM-DD: closed all day (in the office\'s time zone).', 'vodia-click-to-call' ) ),
		),
		'fallback_url'    => array(
			'section'     => 'vodia_call_visitors',
			'label'       => __( 'Fallback contact page', 'vodia-click-to-call' ),
			'default'     => '',
			'clean'       => 'vodia_call_clean_fallback_url',
			'control'     => 'input',
			'type'        => 'url',
			'class'       => 'regular-text code',
			'attributes'  => array( 'placeholder' => 'https://example.com/contact' ),
			'description' => array( __( 'Offered when you are closed or when the visitor\'s browser cannot place calls. Optional.', 'vodia-click-to-call' ) ),
		),
		'fallback_tel'    => array(
			'section'     => 'vodia_call_visitors',
			'label'       => __( 'Fallback phone number', 'vodia-click-to-call' ),
			'default'     => '',
			'clean'       => 'vodia_call_clean_fallback_tel',
			'control'     => 'input',
			'type'        => 'tel',
			'class'       => 'regular-text',
			'attributes'  => array( 'placeholder' => '+4930123456' ),
			'description' => array( __( 'Offered as a phone link in the same cases. Optional.', 'vodia-click-to-call' ) ),
		),
	);
	foreach ( $fields as $key => $field ) {
		$fields[ $key ]['key'] = $key;
	}
	return $fields;
}

/**
 * Settings defaults, from the field table; kept for the request (they depend on no locale), as register_setting()
 * asks for them on every request.
 *
 * @return array<string, mixed>
 */
function vodia_call_default_settings(): array {
	static $defaults = null;
	if ( null === $defaults ) {
		$defaults = wp_list_pluck( vodia_call_settings_fields(), 'default' );
	}
	return $defaults;
}

/**
 * Settings as stored, cleaned again on the way out (the option may have been written around the sanitize
 * callback). The password stays encrypted; use vodia_call_get_password() for the plain one.
 *
 * @return array<string, mixed>
 */
function vodia_call_get_settings(): array {
	$stored = get_option( VODIA_CALL_OPTION, array() );
	return vodia_call_settings_from_stored( is_array( $stored ) ? $stored : array() );
}

/**
 * Stored settings, each value cleaned as a previous value is: what no longer validates falls back to its
 * default, and a secret counts only while it decrypts. (Cleaned as input, a ciphertext made under another key
 * would be taken for a new password and encrypted again.)
 *
 * @param array<string, mixed> $stored The option's value.
 * @return array<string, mixed>
 */
function vodia_call_settings_from_stored( array $stored ): array {
	$fields   = vodia_call_settings_fields();
	$defaults = wp_list_pluck( $fields, 'default' );
	$settings = array();
	foreach ( $fields as $key => $field ) {
		$settings[ $key ] = vodia_call_clean_previous( $field, array_key_exists( $key, $stored ) ? $stored[ $key ] : $field['default'], $defaults );
	}
	return $settings;
}

/**
 * Cleans settings input: keeps only known keys, validates each by its field's rule, and for an invalid value
 * keeps the previous one and records why. A blank password keeps the previous (encrypted) password; a new one is
 * encrypted.
 *
 * @param array<string, mixed>  $input    Submitted values.
 * @param array<string, mixed>  $previous Values to keep where the input is missing or invalid.
 * @param array<string, string> $errors   Filled with field => message for each rejected value.
 * @return array<string, mixed>
 */
function vodia_call_clean_settings( array $input, array $previous, array &$errors ): array {
	$fields   = vodia_call_settings_fields();
	$defaults = wp_list_pluck( $fields, 'default' );
	$previous = array_merge( $defaults, array_intersect_key( $previous, $defaults ) );
	$clean    = array();

	foreach ( $fields as $key => $field ) {
		if ( ! array_key_exists( $key, $input ) ) {
			$clean[ $key ] = vodia_call_clean_previous( $field, $previous[ $key ], $defaults );
			continue;
		}
		$value = call_user_func( $field['clean'], $input[ $key ], $field, $previous );
		if ( is_wp_error( $value ) ) {
			$errors[ $key ] = $value->get_error_message();
			$clean[ $key ]  = vodia_call_clean_previous( $field, $previous[ $key ], $defaults );
		} else {
			$clean[ $key ] = $value;
		}
	}
	return $clean;
}

/**
 * A previous value, cleaned silently: falls back to the default when it no longer validates. A secret is kept
 * as long as it decrypts.
 *
 * @param array<string, mixed> $field    Field.
 * @param mixed                $value    Previous value.
 * @param array<string, mixed> $defaults Settings defaults.
 * @return mixed
 */
function vodia_call_clean_previous( array $field, $value, array $defaults ) {
	if ( ! empty( $field['secret'] ) ) {
		return ( is_string( $value ) && null !== vodia_call_decrypt( $value ) ) ? $value : '';
	}
	$cleaned = call_user_func( $field['clean'], $value, $field, $defaults );
	return is_wp_error( $cleaned ) ? $field['default'] : $cleaned;
}

/**
 * Cleans one field by its rule in the table (for code that checks a single value, such as the tests).
 *
 * @param string               $key      Field.
 * @param mixed                $value    Input.
 * @param array<string, mixed> $previous Previous settings (a blank secret keeps its old value).
 * @return mixed|WP_Error The clean value, or why it was rejected.
 */
function vodia_call_clean_field( string $key, $value, array $previous ) {
	$fields = vodia_call_settings_fields();
	if ( ! isset( $fields[ $key ] ) ) {
		return new WP_Error( $key, __( 'Unknown setting.', 'vodia-click-to-call' ) );
	}
	return call_user_func( $fields[ $key ]['clean'], $value, $fields[ $key ], $previous );
}

/**
 * Cleans the PBX WebSocket URL: wss://, or ws:// on a loopback address; empty when not set.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_server( $value ) {
	$value = is_string( $value ) ? trim( $value ) : null;
	if ( '' === $value ) {
		return '';
	}
	if ( null === $value || ! vodia_call_is_good_url( $value, array( 'wss' ), array( 'ws' ) ) ) {
		return new WP_Error( 'server', __( 'The PBX WebSocket URL must start with wss:// (ws:// is accepted only for a loopback address such as 127.0.0.1).', 'vodia-click-to-call' ) );
	}
	return $value;
}

/**
 * Cleans the PBX web address (Vodia mode): https://, or http:// on a loopback address; empty when not set.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_pbx_url( $value ) {
	return vodia_call_clean_web_url( $value, 'pbx_url', __( 'The PBX web address must start with https:// (http:// is accepted only for a loopback address).', 'vodia-click-to-call' ) );
}

/**
 * Cleans a web address setting: https://, or http:// on a loopback address; empty when not set.
 *
 * @param mixed  $value   Input.
 * @param string $code    The settings error's code.
 * @param string $message What the settings page says of a bad value.
 * @return string|WP_Error
 */
function vodia_call_clean_web_url( $value, string $code, string $message ) {
	$value = is_string( $value ) ? trim( $value ) : null;
	if ( '' === $value ) {
		return '';
	}
	if ( null === $value || ! vodia_call_is_good_url( $value, array( 'https' ), array( 'http' ) ) ) {
		return new WP_Error( $code, $message );
	}
	return $value;
}

/**
 * Cleans the SIP domain: trimmed and lower-cased, then the shared domain pattern (a host name, an IPv4 address or
 * a bracketed IPv6 address, as the popup takes it); empty when not set.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_domain( $value ) {
	$value = is_string( $value ) ? strtolower( trim( $value ) ) : null;
	if ( '' === $value ) {
		return '';
	}
	if ( null === $value || ! preg_match( vodia_call_shared_rules()['domain_pattern'], $value ) ) {
		return new WP_Error( 'domain', __( 'The SIP domain must be a host name or an IPv4 address, such as pbx.example.com.', 'vodia-click-to-call' ) );
	}
	return $value;
}

/**
 * Cleans the extension: letters, digits, dots, dashes and underscores; empty when not set.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_extension( $value ) {
	$value = is_string( $value ) || is_int( $value ) ? trim( (string) $value ) : null;
	if ( '' === $value ) {
		return '';
	}
	if ( null === $value || ! preg_match( '/^[A-Za-z0-9._-]{1,64}\z/', $value ) ) {
		return new WP_Error( 'extension', __( 'The extension may contain only letters, digits, dots, dashes and underscores (at most 64).', 'vodia-click-to-call' ) );
	}
	return $value;
}

/**
 * Cleans a write-only secret (the PBX password, the TURN secret): a new one is encrypted; blank keeps the stored
 * one (the form never shows it); for the TURN secret a lone dash forgets it.
 *
 * @param mixed                $value    Input.
 * @param array<string, mixed> $field    Field.
 * @param array<string, mixed> $previous Previous settings.
 * @return string|WP_Error The ciphertext, or '' for none.
 */
function vodia_call_clean_secret( $value, array $field, array $previous ) {
	$key = $field['key'];
	if ( ! is_string( $value ) ) {
		return new WP_Error( $key, __( 'The password could not be read.', 'vodia-click-to-call' ) );
	}
	if ( '' === $value ) {
		// Write-only field: the form never shows the stored secret, so blank means "keep it".
		return vodia_call_clean_previous( $field, $previous[ $key ] ?? '', array() );
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
}

/**
 * Cleans the link validity: whole seconds from VODIA_CALL_MIN_DURATION to the longest validity a link may have.
 *
 * @param mixed $value Input.
 * @return int|WP_Error
 */
function vodia_call_clean_duration( $value ) {
	if ( is_string( $value ) && preg_match( '/^\s*[0-9]{1,9}\s*\z/', $value ) ) {
		$value = (int) $value;
	}
	if ( ! is_int( $value ) || $value < VODIA_CALL_MIN_DURATION || $value > vodia_call_max_duration() ) {
		return new WP_Error(
			'duration',
			sprintf(
				/* translators: 1: shortest allowed seconds, 2: longest allowed seconds */
				__( 'The link validity must be a whole number of seconds from %1$d to %2$d.', 'vodia-click-to-call' ),
				VODIA_CALL_MIN_DURATION,
				vodia_call_max_duration()
			)
		);
	}
	return $value;
}

/**
 * Cleans the popup language: a language code, or empty for the site's language.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_lang( $value ) {
	$value = is_string( $value ) ? strtolower( trim( $value ) ) : null;
	if ( '' === $value ) {
		return '';
	}
	if ( null === $value || ! vodia_call_is_valid_lang( $value ) ) {
		return new WP_Error( 'lang', __( 'The language must be a two-letter code such as en or de, or empty for the site language.', 'vodia-click-to-call' ) );
	}
	return $value;
}

/**
 * Cleans a select's value: one of the field's choices, else the field's 'invalid' message.
 *
 * @param mixed                $value Input.
 * @param array<string, mixed> $field Field.
 * @return string|WP_Error
 */
function vodia_call_clean_choice( $value, array $field ) {
	if ( ! in_array( $value, array_map( 'strval', array_keys( $field['choices'] ) ), true ) ) {
		return new WP_Error( $field['key'], $field['invalid'] );
	}
	return $value;
}

/**
 * Cleans the digest realm. It is compared with the challenge's realm and goes back into a quoted header:
 * printable ASCII, no quote or backslash; empty for the SIP domain.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_realm( $value ) {
	$value = is_string( $value ) ? trim( $value ) : null;
	if ( null === $value || ( '' !== $value && ! preg_match( '/^[\x20-\x7e]{1,128}\z/', $value ) ) || preg_match( '/["\\\\]/', $value ) ) {
		return new WP_Error( 'realm', __( 'The realm must be at most 128 plain characters (letters, digits, punctuation) without quotes or backslashes, or empty for the SIP domain.', 'vodia-click-to-call' ) );
	}
	return $value;
}

/**
 * Cleans a checkbox: on or off. The form sends "0" from a hidden field before the checkbox's "1", so an
 * unticked box arrives as "0" rather than not at all.
 *
 * @param mixed                $value Input.
 * @param array<string, mixed> $field Field.
 * @return bool|WP_Error
 */
function vodia_call_clean_flag( $value, array $field ) {
	if ( true === $value || 1 === $value || '1' === $value ) {
		return true;
	}
	if ( false === $value || 0 === $value || '0' === $value || '' === $value ) {
		return false;
	}
	return new WP_Error( $field['key'], __( 'A checkbox can only be on or off.', 'vodia-click-to-call' ) );
}

/**
 * A stored list as the form's text: one entry a line.
 *
 * @param array<string, mixed> $settings Settings.
 * @param array<string, mixed> $field    Field.
 */
function vodia_call_list_text( array $settings, array $field ): string {
	return implode( "\n", $settings[ $field['key'] ] );
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

<?php
/**
 * Office hours and the fallback contact: their settings' cleaning rules, and the shapes the popup's config takes
 * them in (officeHours, fallback; see parsePopupConfig in src/core/popup-config.ts). The popup decides "closed"
 * in the visitor's browser; this site only hands it the rules, so a cached page never shows stale hours.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The weekdays as the config names them (mon..sun), each with WordPress's translated name.
 *
 * @return array<string, string> Key => name, Monday first.
 */
function vodia_call_weekdays(): array {
	global $wp_locale;
	$days = array();
	// WP_Locale counts from Sunday (0); the config's week starts on Monday.
	foreach ( array( 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun' ) as $i => $day ) {
		$days[ $day ] = $wp_locale instanceof WP_Locale ? $wp_locale->get_weekday( ( $i + 1 ) % 7 ) : ucfirst( $day );
	}
	return $days;
}

/**
 * Whether a time zone is a named IANA zone, as the popup's Intl takes it (not "+02:00", not "UTC+2").
 *
 * @param mixed $zone Zone.
 */
function vodia_call_is_time_zone( $zone ): bool {
	return is_string( $zone ) && in_array( $zone, timezone_identifiers_list(), true );
}

/*
 * The error messages below quote the value as entered, escaped: settings_errors() prints messages as HTML.
 */

/**
 * Cleans the office's time zone: a named zone, or '' for the site's own.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_time_zone( $value ) {
	$value = is_string( $value ) ? trim( $value ) : null;
	if ( '' === $value ) {
		return '';
	}
	if ( null === $value || ! vodia_call_is_time_zone( $value ) ) {
		return new WP_Error(
			'time_zone',
			sprintf(
				/* translators: %s: the time zone as entered */
				__( '"%s" is not a named time zone; use one such as Europe/Berlin or America/New_York.', 'vodia-click-to-call' ),
				esc_html( is_string( $value ) ? $value : '' )
			)
		);
	}
	return $value;
}

/**
 * The office's time zone: the setting, else the site's time zone when it is a named one (an offset such as
 * UTC+2 knows no daylight saving time, so it cannot stand for an office), else ''.
 *
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_office_time_zone( array $settings ): string {
	if ( '' !== $settings['time_zone'] ) {
		return $settings['time_zone'];
	}
	$site = (string) get_option( 'timezone_string', '' );
	return vodia_call_is_time_zone( $site ) ? $site : '';
}

/**
 * Cleans one weekday's opening times: "09:00-12:30, 13:30-17:00" from the form (or the stored list), each
 * "HH:MM-HH:MM" in 24 hours with the end later than the start (24:00 at the latest), none overlapping another.
 * Stored sorted, as the config lists them; empty for closed all day.
 *
 * @param mixed                $value Input: text, or a list of intervals.
 * @param array<string, mixed> $field Field.
 * @return string[]|WP_Error
 */
function vodia_call_clean_day_hours( $value, array $field ) {
	if ( is_string( $value ) ) {
		// A stray comma ("09:00-17:00,") leaves an empty piece, not an error.
		$value = array_filter( array_map( 'trim', explode( ',', $value ) ), 'strlen' );
	}
	if ( ! is_array( $value ) ) {
		return vodia_call_day_hours_error( $field, '' );
	}
	$intervals = array();
	foreach ( $value as $interval ) {
		$interval = is_string( $interval ) ? (string) preg_replace( '/\s+/', '', $interval ) : ''; // "09:00 - 12:30" too.
		if ( ! preg_match( '/^([01][0-9]|2[0-3]):([0-5][0-9])-(?:([01][0-9]|2[0-3]):([0-5][0-9])|(24):(00))\z/', $interval, $m )
			|| ( (int) ( $m[3] ?? 0 ) * 60 + (int) ( $m[4] ?? 0 ) + ( isset( $m[5] ) ? 1440 : 0 ) ) <= (int) $m[1] * 60 + (int) $m[2] ) {
			return vodia_call_day_hours_error( $field, $interval );
		}
		$intervals[] = $interval;
	}
	sort( $intervals, SORT_STRING ); // "HH:MM" sorts as text the way it sorts as time.
	for ( $i = 1; $i < count( $intervals ); $i++ ) { // phpcs:ignore Squiz.PHP.DisallowSizeFunctionsInLoops -- a handful of intervals.
		if ( substr( $intervals[ $i ], 0, 5 ) < substr( $intervals[ $i - 1 ], 6 ) ) {
			return vodia_call_day_hours_error( $field, $intervals[ $i - 1 ] . ', ' . $intervals[ $i ] );
		}
	}
	return $intervals;
}

/**
 * The error for a weekday's opening times that do not read, naming the day and the value.
 *
 * @param array<string, mixed> $field Field.
 * @param string               $bad   The interval (or the overlapping pair).
 */
function vodia_call_day_hours_error( array $field, string $bad ): WP_Error {
	return new WP_Error(
		$field['key'],
		sprintf(
			/* translators: 1: weekday name, 2: the opening time as entered */
			__( '%1$s: "%2$s" is not an opening time. Write HH:MM-HH:MM in 24 hours, the end later than the start (24:00 at the latest), times not overlapping, separated by commas.', 'vodia-click-to-call' ),
			esc_html( $field['day'] ),
			esc_html( $bad )
		)
	);
}

/**
 * A weekday's stored opening times as the form's text.
 *
 * @param array<string, mixed> $settings Settings.
 * @param array<string, mixed> $field    Field.
 */
function vodia_call_day_hours_text( array $settings, array $field ): string {
	return implode( ', ', $settings[ $field['key'] ] );
}

/**
 * Cleans the closed dates: one real calendar date a line, YYYY-MM-DD; stored sorted, each once.
 *
 * @param mixed $value Input: text, or a list of dates.
 * @return string[]|WP_Error
 */
function vodia_call_clean_closed_dates( $value ) {
	if ( is_string( $value ) ) {
		$value = preg_split( '/\R/', $value );
	}
	$dates = array();
	$value = is_array( $value ) ? $value : array( null );
	foreach ( $value as $date ) {
		$date = is_string( $date ) ? trim( $date ) : null;
		if ( '' === $date ) {
			continue; // Blank lines in the text.
		}
		if ( null === $date || ! preg_match( '/^([0-9]{4})-([0-9]{2})-([0-9]{2})\z/', $date, $m ) || ! checkdate( (int) $m[2], (int) $m[3], (int) $m[1] ) ) {
			return new WP_Error(
				'closed_dates',
				sprintf(
					/* translators: %s: the date as entered */
					__( '"%s" is not a date. Write one date a line as YYYY-MM-DD, such as 2026-12-24.', 'vodia-click-to-call' ),
					esc_html( (string) $date )
				)
			);
		}
		$dates[ $date ] = true;
	}
	$dates = array_keys( $dates );
	sort( $dates, SORT_STRING );
	return $dates;
}

/**
 * Cleans the fallback contact page: https://, or http:// on a loopback address; empty when not set.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_fallback_url( $value ) {
	return vodia_call_clean_web_url( $value, 'fallback_url', __( 'The fallback contact page must start with https:// (http:// is accepted only for a loopback address).', 'vodia-click-to-call' ) );
}

/**
 * Cleans the fallback phone number: the spaces, dashes, dots, slashes and brackets people write numbers with
 * are dropped; what remains must be 3 to 20 digits, optionally after a +. Empty when not set.
 *
 * @param mixed $value Input.
 * @return string|WP_Error
 */
function vodia_call_clean_fallback_tel( $value ) {
	$value = is_string( $value ) ? preg_replace( '/[ \t().\/-]+/', '', trim( $value ) ) : null;
	if ( '' === $value ) {
		return '';
	}
	if ( null === $value || ! preg_match( '/^\+?[0-9]{3,20}\z/', $value ) ) {
		return new WP_Error( 'fallback_tel', __( 'The fallback phone number must be 3 to 20 digits, optionally after a +.', 'vodia-click-to-call' ) );
	}
	return $value;
}

/**
 * The popup config's officeHours, or null when office hours are off (or have no time zone to count in).
 *
 * @param array<string, mixed> $settings Settings.
 * @return array{timeZone:string, days:array<string, string[]>, closed:string[]}|null
 */
function vodia_call_office_hours( array $settings ): ?array {
	$zone = vodia_call_office_time_zone( $settings );
	if ( ! $settings['office_hours'] || '' === $zone ) {
		return null;
	}
	$days = array();
	foreach ( array_keys( vodia_call_weekdays() ) as $day ) {
		$days[ $day ] = $settings[ 'hours_' . $day ];
	}
	return array(
		'timeZone' => $zone,
		'days'     => $days,
		'closed'   => $settings['closed_dates'],
	);
}

/**
 * The popup config's fallback, or null when neither a page nor a number is set.
 *
 * @param array<string, mixed> $settings Settings.
 * @return array{url?:string, tel?:string}|null
 */
function vodia_call_fallback( array $settings ): ?array {
	$fallback = array_filter(
		array(
			'url' => $settings['fallback_url'],
			'tel' => $settings['fallback_tel'],
		),
		'strlen'
	);
	return $fallback ? $fallback : null;
}

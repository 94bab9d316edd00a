<?php
/**
 * The allow-list of numbers (a setting): cleaning it, and whether a number is on it.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
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
	$clean = vodia_call_clean_list(
		$value,
		static fn( string $entry ) => '*' !== $entry && vodia_call_is_valid_number( $entry ) ? $entry : null,
		VODIA_CALL_MAX_ALLOWED_NUMBERS
	);
	return $clean ?? $error;
}

/**
 * Cleans a list setting: the form's text (one entry a line; commas and spaces separate too) or a stored list.
 * Each entry goes through `$entry` (its canonical form, or null to refuse it); duplicates go.
 *
 * @param mixed                       $value Input.
 * @param callable(string): ?string   $entry Cleans one entry.
 * @param int                         $max   Most entries.
 * @return string[]|null Null when an entry is refused or there are more than `$max`.
 */
function vodia_call_clean_list( $value, callable $entry, int $max ): ?array {
	if ( is_string( $value ) ) {
		$value = preg_split( '/[\s,]+/', $value, -1, PREG_SPLIT_NO_EMPTY );
	}
	if ( ! is_array( $value ) ) {
		return null;
	}
	$clean = array();
	foreach ( $value as $item ) {
		$canonical = is_string( $item ) ? $entry( $item ) : null;
		if ( null === $canonical ) {
			return null;
		}
		$clean[ $canonical ] = true;
	}
	return count( $clean ) > $max ? null : array_map( 'strval', array_keys( $clean ) );
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

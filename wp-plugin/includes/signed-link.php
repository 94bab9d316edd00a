<?php
/**
 * The signed link (docs/design.md §2), as src/core/sign-link.ts and src/core/check-signed-link.ts have it: the
 * signature, signing a link for this site's account, and checking one.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Whether a number may be called: digits and + * #, 1 to 32 of them (the shared destnumber pattern).
 *
 * @param mixed $number Number.
 */
function vodia_call_is_valid_number( $number ): bool {
	return is_string( $number ) && (bool) preg_match( vodia_call_shared_rules()['destnumber_pattern'], $number );
}

/**
 * The longest validity a link may have, in seconds (the shared maxDuration): the settings accept no longer one,
 * and the link check refuses longer links.
 */
function vodia_call_max_duration(): int {
	return (int) vodia_call_shared_rules()['max_duration'];
}

/**
 * Whether a string is a plain canonical decimal (the shared canonical number pattern): digits only, no sign, no
 * leading zero, at most 12 digits.
 *
 * @param mixed $value Value.
 */
function vodia_call_is_canonical_uint( $value ): bool {
	return is_string( $value ) && (bool) preg_match( vodia_call_shared_rules()['canonical_number_pattern'], $value );
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
 * The link's signature (signLink in src/core/sign-link.ts): md5 over user, password, number, time and duration,
 * no separators, lower-case hex.
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
 * @return array<string, string> destnumber, user, pass, time, duration[, lang], in the link format's order.
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
 * The link's shape (checkLinkFormat in src/core/check-signed-link.ts): every signing field present, a string, and
 * spelt canonically: the shared number and user patterns, time and duration in canonical digits, the signature in
 * 32 lower-case hex digits.
 *
 * @param array<string, mixed> $link Link fields: destnumber, user, pass, time, duration.
 * @return string '' when well-formed, else malformed.
 */
function vodia_call_check_link_format( array $link ): string {
	foreach ( array( 'destnumber', 'user', 'pass', 'time', 'duration' ) as $field ) {
		if ( ! isset( $link[ $field ] ) || ! is_string( $link[ $field ] ) ) {
			return 'malformed';
		}
	}
	if ( ! vodia_call_is_valid_number( $link['destnumber'] )
		|| ! preg_match( vodia_call_shared_rules()['user_pattern'], $link['user'] )
		|| ! vodia_call_is_canonical_uint( $link['time'] )
		|| ! vodia_call_is_canonical_uint( $link['duration'] )
		|| ! preg_match( '/^[0-9a-f]{32}\z/', $link['pass'] ) ) {
		return 'malformed';
	}
	return '';
}

/**
 * The clock's rules (checkLinkRules in src/core/check-signed-link.ts, for a well-formed link): made at most the
 * shared skew ahead of the clock, valid for no longer than $max_duration, and not yet expired.
 *
 * @param array<string, string> $link         A well-formed link (vodia_call_check_link_format()).
 * @param int                   $now          Clock.
 * @param int                   $max_duration Longest validity accepted, seconds.
 * @return string '' when in time, else future, too-long or expired.
 */
function vodia_call_check_link_clock( array $link, int $now, int $max_duration ): string {
	$time     = (int) $link['time'];
	$duration = (int) $link['duration'];
	if ( $time > $now + (int) vodia_call_shared_rules()['max_future_skew'] ) {
		return 'future';
	}
	if ( $duration > $max_duration ) {
		return 'too-long';
	}
	if ( $now > $time + $duration ) {
		return 'expired';
	}
	return '';
}

/**
 * Checks a signed link as checkSignedLink in src/core/check-signed-link.ts does (docs/design.md §2.5): the shape,
 * then the signature, then the clock; so "expired", "future" and "too-long" are only ever said of links the site
 * really signed (or digit-sliding forgeries of them, which these rules exist to stop).
 *
 * This site's own rules on top: the link's user must be this site's account (the digest answer is made with this
 * site's password, so only this account can be vouched for), and the longest validity is the configured one
 * (this site never signs longer links, so a longer one is a forgery).
 *
 * @param array<string, mixed> $link     Link fields: destnumber, user, pass, time, duration.
 * @param array<string, mixed> $settings Settings.
 * @param int|null             $now      Clock, for tests.
 * @return string '' when valid, else malformed, bad-signature, future, too-long or expired.
 */
function vodia_call_check_link( array $link, array $settings, ?int $now = null ): string {
	$now     = $now ?? time();
	$problem = vodia_call_check_link_format( $link );
	if ( '' !== $problem ) {
		return $problem;
	}
	$password = vodia_call_get_password( $settings );
	$user     = vodia_call_link_user( $settings );
	if ( '' === $password || ! hash_equals( $user, $link['user'] ) ) {
		return 'bad-signature';
	}
	$expected = vodia_call_signature( $user, $password, $link['destnumber'], $link['time'], $link['duration'] );
	if ( ! hash_equals( $expected, $link['pass'] ) ) {
		return 'bad-signature';
	}
	return vodia_call_check_link_clock( $link, $now, min( (int) $settings['duration'], vodia_call_max_duration() ) );
}

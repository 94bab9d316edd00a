<?php
/**
 * The digest endpoint's rate limits: who the client is (behind trusted reverse proxies too), how many requests
 * it has made, and how many answers a number has had.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Most X-Forwarded-For entries read, from the right: a longer chain is a client's invention. */
const VODIA_CALL_MAX_FORWARDED_HOPS = 20;

/** Seconds of the per-number limit's window. */
const VODIA_CALL_NUMBER_WINDOW = 60;

/**
 * Most counters of one kind (per client, per number) stored in the options table in one window, when there is no
 * persistent object cache. Further clients of that window share one overflow counter.
 */
const VODIA_CALL_MAX_BUCKETS = 1000;

/**
 * The client's address: REMOTE_ADDR, or, when REMOTE_ADDR is a trusted reverse proxy (settings), the last
 * untrusted hop of X-Forwarded-For (see vodia_call_forwarded_client()). Without trusted proxies the header is
 * ignored: anyone can send it.
 */
function vodia_call_client_ip(): string {
	$remote  = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
	$trusted = vodia_call_get_settings()['trusted_proxies'];
	$ip      = $remote;
	if ( $trusted && isset( $_SERVER['HTTP_X_FORWARDED_FOR'] ) && is_string( $_SERVER['HTTP_X_FORWARDED_FOR'] ) ) {
		// Read address by address in vodia_call_forwarded_client(); anything else in it is skipped.
		$ip = vodia_call_forwarded_client( $remote, wp_unslash( $_SERVER['HTTP_X_FORWARDED_FOR'] ), $trusted ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- parsed as addresses only.
	}
	/**
	 * Filters the address the rate limit counts against.
	 *
	 * @param string $ip     The client: REMOTE_ADDR, or the last untrusted X-Forwarded-For hop behind a trusted
	 *                       proxy.
	 * @param string $remote REMOTE_ADDR.
	 */
	return (string) apply_filters( 'vodia_call_client_ip', $ip, $remote );
}

/**
 * The client behind trusted proxies. Each proxy appends the address it received the request from to
 * X-Forwarded-For, so the entries on the right are written by your own proxies and the ones on the left by
 * whoever sent the request. Walking from the right, trusted proxies are skipped and the first untrusted
 * address is the client; entries that are no address ("unknown", garbage) are skipped. When every entry is a
 * trusted proxy, the farthest one counts; when there is no usable entry, REMOTE_ADDR.
 *
 * @param string   $remote  REMOTE_ADDR.
 * @param string   $header  X-Forwarded-For (several headers joined with commas).
 * @param string[] $trusted Trusted proxies: addresses and CIDR ranges (vodia_call_clean_trusted_proxies()).
 */
function vodia_call_forwarded_client( string $remote, string $header, array $trusted ): string {
	if ( ! vodia_call_ip_in_ranges( $remote, $trusted ) ) {
		return $remote;
	}
	$hops   = array_slice( explode( ',', $header ), -VODIA_CALL_MAX_FORWARDED_HOPS );
	$client = $remote;
	foreach ( array_reverse( $hops ) as $hop ) {
		$ip = vodia_call_hop_address( $hop );
		if ( null === $ip ) {
			continue;
		}
		$client = $ip;
		if ( ! vodia_call_ip_in_ranges( $ip, $trusted ) ) {
			break;
		}
	}
	return $client;
}

/**
 * The address in one X-Forwarded-For entry, canonical (IPv4-mapped IPv6 as IPv4): "192.0.2.1",
 * "192.0.2.1:4711", "2001:db8::1", "[2001:db8::1]:4711". Null when it is none.
 *
 * @param string $hop Entry.
 */
function vodia_call_hop_address( string $hop ): ?string {
	$hop = trim( $hop );
	if ( preg_match( '/^\[([0-9A-Fa-f:.]+)\](?::[0-9]{1,5})?\z/', $hop, $m ) ) {
		$hop = $m[1];
	} elseif ( preg_match( '/^([0-9.]+):[0-9]{1,5}\z/', $hop, $m ) ) {
		$hop = $m[1];
	}
	return vodia_call_canonical_ip( $hop );
}

/**
 * An IP address in canonical form (inet_ntop()), an IPv4-mapped IPv6 address as its IPv4 address; null when
 * the string is no IP address.
 *
 * @param string $ip Address.
 */
function vodia_call_canonical_ip( string $ip ): ?string {
	if ( false === filter_var( $ip, FILTER_VALIDATE_IP ) ) {
		return null;
	}
	$packed = (string) inet_pton( $ip );
	if ( 16 === strlen( $packed ) && str_repeat( "\0", 10 ) . "\xff\xff" === substr( $packed, 0, 12 ) ) {
		$packed = substr( $packed, 12 );
	}
	$text = inet_ntop( $packed );
	return false === $text ? null : $text;
}

/**
 * Whether an address lies in one of a list of addresses and CIDR ranges (as the settings store them).
 *
 * @param string   $ip     Address.
 * @param string[] $ranges Addresses and ranges: "192.0.2.1", "10.0.0.0/8", "2001:db8::/32".
 */
function vodia_call_ip_in_ranges( string $ip, array $ranges ): bool {
	$ip = vodia_call_canonical_ip( trim( $ip ) );
	if ( null === $ip ) {
		return false;
	}
	$packed = (string) inet_pton( $ip );
	foreach ( $ranges as $range ) {
		list( $net, $bits ) = array_pad( explode( '/', (string) $range, 2 ), 2, null );
		if ( false === filter_var( $net, FILTER_VALIDATE_IP ) ) {
			continue;
		}
		$net_packed = (string) inet_pton( $net );
		if ( strlen( $net_packed ) !== strlen( $packed ) ) {
			continue;
		}
		$bits = null === $bits ? 8 * strlen( $packed ) : (int) $bits;
		if ( vodia_call_prefix_equals( $packed, $net_packed, $bits ) ) {
			return true;
		}
	}
	return false;
}

/**
 * Whether two packed addresses of one family share their first $bits bits.
 *
 * @param string $a    Packed address.
 * @param string $b    Packed address.
 * @param int    $bits Prefix length.
 */
function vodia_call_prefix_equals( string $a, string $b, int $bits ): bool {
	$bytes = intdiv( $bits, 8 );
	if ( substr( $a, 0, $bytes ) !== substr( $b, 0, $bytes ) ) {
		return false;
	}
	$rest = $bits % 8;
	if ( 0 === $rest ) {
		return true;
	}
	$mask = ( 0xff << ( 8 - $rest ) ) & 0xff;
	return ( ord( $a[ $bytes ] ) & $mask ) === ( ord( $b[ $bytes ] ) & $mask );
}

/**
 * What the rate limit counts against for an address. An IPv4 address is one client; an IPv6 client usually
 * holds a whole /64 (SLAAC, privacy addresses), so every address in it would otherwise bring a fresh budget:
 * IPv6 counts per /64 prefix ("2001:db8:1:2::/64"). An IPv4-mapped IPv6 address (::ffff:192.0.2.1, as dual-stack
 * servers report IPv4 clients) counts as its IPv4 address. Anything unparsable counts as itself.
 *
 * @param string $ip Client address.
 */
function vodia_call_rate_limit_group( string $ip ): string {
	$ip = trim( $ip );
	if ( false === filter_var( $ip, FILTER_VALIDATE_IP ) ) {
		return $ip;
	}
	$packed = (string) inet_pton( $ip );
	if ( 4 === strlen( $packed ) ) {
		return (string) inet_ntop( $packed );
	}
	if ( str_repeat( "\0", 10 ) . "\xff\xff" === substr( $packed, 0, 12 ) ) {
		return (string) inet_ntop( substr( $packed, 12 ) );
	}
	return inet_ntop( substr( $packed, 0, 8 ) . str_repeat( "\0", 8 ) ) . '/64';
}

/**
 * Fixed-window rate limit per address (per /64 for IPv6, see vodia_call_rate_limit_group()). Counts this
 * request.
 *
 * @param string   $ip  Client address.
 * @param int|null $now Clock, for tests.
 * @return bool Whether the request may proceed.
 */
function vodia_call_rate_limit_allows( string $ip, ?int $now = null ): bool {
	/**
	 * Filters the endpoint's rate limit. A call needs one or two answers (one per challenge).
	 *
	 * @param array{requests:int, window:int} $limit Requests allowed per window of seconds, per IPv4 address or
	 *                                              IPv6 /64.
	 */
	$limit  = (array) apply_filters(
		'vodia_call_rate_limit',
		array(
			'requests' => 30,
			'window'   => 300,
		)
	);
	$max    = max( 1, (int) ( $limit['requests'] ?? 30 ) );
	$window = max( 1, (int) ( $limit['window'] ?? 300 ) );
	return vodia_call_count_hit( 'rl', vodia_call_rate_limit_group( $ip ), $window, $now ?? time() ) <= $max;
}

/**
 * The per-number limit: digest answers per number and window (about one per call; two when the PBX challenges
 * twice). From the setting, filterable.
 *
 * @param array<string, mixed> $settings Settings.
 * @return array{requests:int, window:int}
 */
function vodia_call_number_limit( array $settings ): array {
	/**
	 * Filters the per-number limit: how many digest answers one number gets per window of seconds, from all
	 * visitors together. Past it, the endpoint answers 429 number-rate-limited until the window ends. It bounds
	 * what a crowd of addresses (each within its own rate limit) can place on one number, such as a
	 * premium-rate one, at the price that such a crowd can also keep real callers of that number waiting.
	 *
	 * @param array{requests:int, window:int} $limit Default: the setting (20) per 60 seconds.
	 * @param array<string, mixed>            $settings Settings.
	 */
	$limit = (array) apply_filters(
		'vodia_call_number_limit',
		array(
			'requests' => (int) $settings['number_limit'],
			'window'   => VODIA_CALL_NUMBER_WINDOW,
		),
		$settings
	);
	return array(
		'requests' => max( 1, (int) ( $limit['requests'] ?? $settings['number_limit'] ) ),
		'window'   => max( 1, (int) ( $limit['window'] ?? VODIA_CALL_NUMBER_WINDOW ) ),
	);
}

/**
 * Counts an answer for a number against the per-number limit.
 *
 * @param string               $number   Number.
 * @param array<string, mixed> $settings Settings.
 * @param int|null             $now      Clock, for tests.
 * @return bool Whether the answer may be given.
 */
function vodia_call_number_limit_allows( string $number, array $settings, ?int $now = null ): bool {
	$limit = vodia_call_number_limit( $settings );
	return vodia_call_count_hit( 'nl', $number, $limit['window'], $now ?? time() ) <= $limit['requests'];
}

/**
 * Counts one hit for a subject in the current fixed window and returns the count, this hit included.
 *
 * With a persistent object cache (Redis, Memcached): wp_cache_add() then wp_cache_incr(), both atomic there, and
 * nothing in the database.
 *
 * Without one: one row in the options table per subject and window ("vodia_call_rl_WINDOWSTART_MD5", not
 * autoloaded), incremented by a single UPDATE, which the database runs atomically; transients would read,
 * add and write back, and concurrent requests would lose counts. The number of rows is capped: when a window
 * already has the cap of them (VODIA_CALL_MAX_BUCKETS, filter vodia_call_rate_limit_max_buckets), further
 * subjects of that window share one overflow row with the same limit. So a flood of distinct IPv6 /64s adds at
 * most the cap of rows, and the flood itself soon meets the shared limit; the price is that new visitors
 * arriving during such a flood share that limit too, until the window ends. Rows of past windows are deleted
 * when the first row of a new window is made.
 *
 * @param string $kind    Kind: rl (per client) or nl (per number).
 * @param string $subject What is counted (a client group, a number).
 * @param int    $window  Window length in seconds.
 * @param int    $now     Unix time.
 */
function vodia_call_count_hit( string $kind, string $subject, int $window, int $now ): int {
	$start = $now - $now % $window;
	$key   = $kind . '_' . $start . '_' . md5( $subject );
	if ( wp_using_ext_object_cache() ) {
		wp_cache_add( $key, 0, 'vodia_call', $window );
		$count = wp_cache_incr( $key, 1, 'vodia_call' );
		if ( false === $count ) {
			// Evicted between the two calls: start again.
			wp_cache_add( $key, 1, 'vodia_call', $window );
			$count = 1;
		}
		return (int) $count;
	}

	global $wpdb;
	$prefix = 'vodia_call_' . $kind . '_';
	$name   = 'vodia_call_' . $key;
	// phpcs:disable WordPress.DB.DirectDatabaseQuery -- an atomic counter; the options API can only read and write back.
	// LAST_INSERT_ID(expr) hands this connection the value its own increment produced: a SELECT afterwards
	// would read the row as other requests have bumped it since, and refuse a request that was within the limit.
	$updated = $wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->options} SET option_value = LAST_INSERT_ID(option_value + 1) WHERE option_name = %s", $name ) );
	$count   = $updated ? (int) $wpdb->get_var( 'SELECT LAST_INSERT_ID()' ) : 0;
	if ( ! $updated ) {
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s AND option_name < %s", $wpdb->esc_like( $prefix ) . '%', $prefix . $start . '_' ) );
		$rows = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( $prefix . $start . '_' ) . '%' ) );
		/**
		 * Filters the most rate-limit rows one window may add to the options table per kind (per client, per
		 * number) when there is no persistent object cache. Past it, new clients share one counter.
		 *
		 * @param int $max Default 1000.
		 */
		if ( $rows >= max( 1, (int) apply_filters( 'vodia_call_rate_limit_max_buckets', VODIA_CALL_MAX_BUCKETS ) ) ) {
			$name = $prefix . $start . '_overflow';
		}
		// 1 row affected: this request made the row (its count is 1); 2: another request made it first.
		$made  = $wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, '1', 'off') ON DUPLICATE KEY UPDATE option_value = LAST_INSERT_ID(option_value + 1)", $name ) );
		$count = 2 === $made ? (int) $wpdb->get_var( 'SELECT LAST_INSERT_ID()' ) : 1;
	}
	// phpcs:enable WordPress.DB.DirectDatabaseQuery
	return max( 1, $count );
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
	return vodia_call_clean_list( $value, 'vodia_call_clean_cidr', VODIA_CALL_MAX_TRUSTED_PROXIES ) ?? $error;
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

/**
 * Cleans the per-number limit (a setting): whole answers per number and minute, from 1 to
 * VODIA_CALL_MAX_NUMBER_LIMIT.
 *
 * @param mixed $value Input.
 * @return int|WP_Error
 */
function vodia_call_clean_number_limit( $value ) {
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

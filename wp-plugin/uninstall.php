<?php
/**
 * Removes everything the plugin stored: its options and its rate-limit counters, on every site of a network.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

/**
 * Deletes this site's data.
 */
function vodia_call_uninstall_site(): void {
	global $wpdb;
	delete_option( 'vodia_call_settings' );
	delete_option( 'vodia_call_number_index' );
	// The rate-limit counters (per client "vodia_call_rl_...", per number "vodia_call_nl_...") are option rows
	// without a persistent object cache; older versions kept transients. Neither has a list API: they share our
	// prefixes.
	$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- one-off cleanup on uninstall.
		$wpdb->prepare(
			"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( 'vodia_call_rl_' ) . '%',
			$wpdb->esc_like( 'vodia_call_nl_' ) . '%',
			$wpdb->esc_like( '_transient_vodia_call_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_vodia_call_' ) . '%'
		)
	);
	// With a persistent object cache the counters live there, in their own group, and expire within minutes
	// anyway; an object cache that cannot flush a group would only complain. (Not the shared 'transient'
	// group: that would drop every other plugin's transients too.)
	if ( wp_cache_supports( 'flush_group' ) ) {
		wp_cache_flush_group( 'vodia_call' );
	}
}

if ( is_multisite() ) {
	foreach ( get_sites(
		array(
			'fields' => 'ids',
			'number' => 0,
		)
	) as $vodia_call_site_id ) {
		switch_to_blog( (int) $vodia_call_site_id );
		vodia_call_uninstall_site();
		restore_current_blog();
	}
} else {
	vodia_call_uninstall_site();
}

<?php
/**
 * Removes everything the plugin stored: its options and its rate-limit transients, on every site of a network.
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
	// Transients have no list API; their option names share our prefix. Without a persistent object cache
	// they live in the options table.
	$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- one-off cleanup on uninstall.
		$wpdb->prepare(
			"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( '_transient_vodia_call_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_vodia_call_' ) . '%'
		)
	);
	wp_cache_flush_group( 'transient' );
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

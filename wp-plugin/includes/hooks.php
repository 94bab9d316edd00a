<?php
/**
 * Plugin-wide hooks: translations, activation.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Loads the bundled translations (WordPress.org language packs, where present, take precedence).
 */
function vodia_call_load_textdomain(): void {
	load_plugin_textdomain( 'vodia-click-to-call', false, dirname( plugin_basename( VODIA_CALL_FILE ) ) . '/languages' );
}
add_action( 'init', 'vodia_call_load_textdomain', 0 );

/**
 * Activation: rebuild the number index, as content may have changed while the plugin was inactive.
 *
 * @param bool $network_wide Whether activated for the whole network.
 */
function vodia_call_activate( $network_wide = false ): void {
	if ( is_multisite() && $network_wide ) {
		foreach ( get_sites(
			array(
				'fields' => 'ids',
				'number' => 0,
			)
		) as $site_id ) {
			switch_to_blog( (int) $site_id );
			vodia_call_rebuild_number_index();
			restore_current_blog();
		}
		return;
	}
	vodia_call_rebuild_number_index();
}

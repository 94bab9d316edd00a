<?php
/**
 * Must-use plugin for the throwaway test sites only (copied in by scripts/wp/wp-stack.sh): this machine has no
 * internet, so WordPress's update checks would fail and fill the debug log the tests read.
 *
 * @package VodiaClickToCall
 */

foreach ( array( '_maybe_update_core', '_maybe_update_plugins', '_maybe_update_themes' ) as $vodia_call_check ) {
	remove_action( 'admin_init', $vodia_call_check );
}
remove_action( 'wp_version_check', 'wp_version_check' );
remove_action( 'load-update-core.php', 'wp_update_plugins' );
add_filter( 'pre_site_transient_update_core', '__return_null' );
add_filter( 'automatic_updater_disabled', '__return_true' );

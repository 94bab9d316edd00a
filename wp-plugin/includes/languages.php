<?php
/**
 * Languages: the plugin's own translations, and which language codes links and settings accept.
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
 * Whether a language code is acceptable: two lower-case letters.
 *
 * @param mixed $lang Code.
 */
function vodia_call_is_valid_lang( $lang ): bool {
	return is_string( $lang ) && (bool) preg_match( '/^[a-z]{2}\z/', $lang );
}

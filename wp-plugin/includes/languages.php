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

/**
 * The choices of the popup language setting: the site's language, each language the popup speaks, and the
 * stored code if it is none of them.
 *
 * @param array<string, mixed> $settings Settings.
 * @return array<string, string> Code => name.
 */
function vodia_call_lang_choices( array $settings ): array {
	$choices = array(
		''   => __( 'Site language', 'vodia-click-to-call' ),
		'en' => 'English',
		'de' => 'Deutsch',
		'fr' => 'Français',
		'es' => 'Español',
		'it' => 'Italiano',
		'nl' => 'Nederlands',
	);
	if ( ! isset( $choices[ $settings['lang'] ] ) ) {
		$choices[ $settings['lang'] ] = $settings['lang'];
	}
	return $choices;
}

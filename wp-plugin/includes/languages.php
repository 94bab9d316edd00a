<?php
/**
 * Languages: the plugin's own translations, the languages the popup speaks (from the shared rules) for the
 * language select, and which language codes links and settings accept.
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
 * The languages the popup speaks (the shared rules' list), in its order.
 *
 * @return string[] Two-letter codes.
 */
function vodia_call_popup_languages(): array {
	return array_map( 'strval', vodia_call_shared_rules()['languages'] );
}

/**
 * A language's name in that language, for the language select. Names only: which languages there are comes from
 * the shared rules (vodia_call_popup_languages()); a code without a name here shows as the code.
 *
 * @param string $code Two-letter code.
 */
function vodia_call_language_name( string $code ): string {
	$names = array(
		'en' => 'English',
		'de' => 'Deutsch',
		'fr' => 'Français',
		'es' => 'Español',
		'it' => 'Italiano',
		'nl' => 'Nederlands',
		'pt' => 'Português',
		'pl' => 'Polski',
		'sv' => 'Svenska',
		'da' => 'Dansk',
		'cs' => 'Čeština',
		'tr' => 'Türkçe',
	);
	return $names[ $code ] ?? $code;
}

/**
 * The choices of the popup language setting: the site's language, each language the popup speaks, and the
 * stored code if it is none of them.
 *
 * @param array<string, mixed> $settings Settings.
 * @return array<string, string> Code => name.
 */
function vodia_call_lang_choices( array $settings ): array {
	$choices = array( '' => __( 'Site language', 'vodia-click-to-call' ) );
	foreach ( vodia_call_popup_languages() as $code ) {
		$choices[ $code ] = vodia_call_language_name( $code );
	}
	if ( ! isset( $choices[ $settings['lang'] ] ) ) {
		$choices[ $settings['lang'] ] = $settings['lang'];
	}
	return $choices;
}

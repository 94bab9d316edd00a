<?php
/**
 * Translations: each of the plugin's catalogues is complete and where WordPress looks for it.
 *
 * @package VodiaClickToCall
 */

/**
 * I18n tests.
 */
class I18nTest extends Vodia_Call_Test_Case {

	/** The plugin's locales: the popup's twelve languages, Portuguese both as in Portugal and in Brazil. */
	const LOCALES = array( 'de_DE', 'fr_FR', 'es_ES', 'it_IT', 'nl_NL', 'pt_PT', 'pt_BR', 'pl_PL', 'sv_SE', 'da_DK', 'cs_CZ', 'tr_TR' );

	/**
	 * The locales, as data for the tests below.
	 *
	 * @return array<string, array{string}>
	 */
	public static function locales(): array {
		return array_combine( self::LOCALES, array_map( fn( $l ) => array( $l ), self::LOCALES ) );
	}

	/**
	 * Every entry of the template has a translation in each compiled .mo, every plural form too, and the
	 * translation is not the English (a copied msgid would pass a mere count).
	 *
	 * @dataProvider locales
	 * @param string $locale Locale.
	 */
	public function test_catalogue_is_complete( string $locale ): void {
		require_once ABSPATH . WPINC . '/pomo/po.php';
		$pot = new PO();
		$this->assertTrue( $pot->import_from_file( VODIA_CALL_DIR . '/languages/vodia-click-to-call.pot' ) );
		$mo = new MO();
		$this->assertTrue( $mo->import_from_file( VODIA_CALL_DIR . "/languages/vodia-click-to-call-$locale.mo" ), "$locale.mo" );
		$this->assertGreaterThan( 50, count( $pot->entries ) );
		$same = 0;
		foreach ( $pot->entries as $key => $entry ) {
			$this->assertArrayHasKey( $key, $mo->entries, "$locale untranslated: $key" );
			$translations = $mo->entries[ $key ]->translations;
			$this->assertNotSame( '', $translations[0] ?? '', "$locale empty: $key" );
			if ( $entry->is_plural ) {
				$this->assertGreaterThanOrEqual( 2, count( array_filter( $translations, 'strlen' ) ), "$locale plural forms: $key" );
			}
			$same += (int) ( $translations[0] === $entry->singular );
		}
		// Product names and codes stay English ("Click-to-Call", "TURN", "ICE"); the rest must not.
		$this->assertLessThan( 8, $same, "$locale: $same entries equal their English" );
	}

	/**
	 * The editor script's translations carry the md5 of its path, as load_script_textdomain() expects, for
	 * every locale.
	 *
	 * @dataProvider locales
	 * @param string $locale Locale.
	 */
	public function test_editor_script_json_is_where_wordpress_looks( string $locale ): void {
		$file = VODIA_CALL_DIR . "/languages/vodia-click-to-call-$locale-" . md5( 'build/click-to-call/index.js' ) . '.json';
		$this->assertFileExists( $file );
		$json = json_decode( (string) file_get_contents( $file ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- a local file.
		$this->assertSame( $locale, $json['locale_data']['messages']['']['lang'] ?? $locale );
		$this->assertNotSame( array( 'Number' ), $json['locale_data']['messages']['Number'] );
	}

	/**
	 * WordPress loads each catalogue by its own mechanism (load_plugin_textdomain() for the site's locale).
	 *
	 * @dataProvider locales
	 * @param string $locale Locale.
	 */
	public function test_wordpress_loads_the_locale( string $locale ): void {
		// The site's locale, as Settings > General sets it (translations are kept per locale since WordPress 6.5).
		$as = static fn() => $locale;
		add_filter( 'locale', $as );
		add_filter( 'determine_locale', $as );
		unload_textdomain( 'vodia-click-to-call', true );
		vodia_call_load_textdomain();
		$number = __( 'Number', 'vodia-click-to-call' );
		remove_filter( 'locale', $as );
		remove_filter( 'determine_locale', $as );
		unload_textdomain( 'vodia-click-to-call', true );
		$this->assertNotSame( 'Number', $number, $locale );
		if ( 'de_DE' === $locale ) {
			$this->assertSame( 'Rufnummer', $number );
		}
	}

	/**
	 * Every string in the PHP source uses the plugin's text domain (a string in another domain would never be
	 * translated by our catalogue).
	 */
	public function test_text_domain_everywhere(): void {
		foreach ( array_merge( glob( VODIA_CALL_DIR . '/includes/*.php' ), array( VODIA_CALL_FILE ) ) as $file ) {
			$code = (string) file_get_contents( $file ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- reading our own source.
			preg_match_all( '/\b(?:__|_e|_n|_x|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*(?:[^()]|\((?:[^()])*\))*?\)/s', $code, $calls );
			foreach ( $calls[0] as $call ) {
				$this->assertStringContainsString( "'vodia-click-to-call'", $call, basename( $file ) . ': ' . $call );
			}
		}
	}
}

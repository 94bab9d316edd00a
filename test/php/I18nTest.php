<?php
/**
 * Translations: the German catalogue is complete and where WordPress looks for it.
 *
 * @package VodiaClickToCall
 */

/**
 * I18n tests.
 */
class I18nTest extends Vodia_Call_Test_Case {

	/**
	 * Every entry of the template has a German translation in the compiled .mo.
	 */
	public function test_german_catalogue_is_complete(): void {
		require_once ABSPATH . WPINC . '/pomo/po.php';
		$pot = new PO();
		$this->assertTrue( $pot->import_from_file( VODIA_CALL_DIR . '/languages/vodia-click-to-call.pot' ) );
		$mo = new MO();
		$this->assertTrue( $mo->import_from_file( VODIA_CALL_DIR . '/languages/vodia-click-to-call-de_DE.mo' ) );
		$this->assertGreaterThan( 50, count( $pot->entries ) );
		foreach ( $pot->entries as $key => $entry ) {
			$this->assertArrayHasKey( $key, $mo->entries, "untranslated: $key" );
			$this->assertNotSame( '', $mo->entries[ $key ]->translations[0] ?? '', "empty: $key" );
		}
		$this->assertSame( 'Rufnummer', $mo->translate( 'Number' ) );
		$this->assertSame( 'Click-to-Call', $mo->translate( 'Click to Call', 'block title' ) );
	}

	/**
	 * The editor script's translations carry the md5 of its path, as load_script_textdomain() expects.
	 */
	public function test_editor_script_json_is_where_wordpress_looks(): void {
		$file = VODIA_CALL_DIR . '/languages/vodia-click-to-call-de_DE-' . md5( 'build/click-to-call/index.js' ) . '.json';
		$this->assertFileExists( $file );
		$json = json_decode( (string) file_get_contents( $file ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- a local file.
		$this->assertSame( array( 'Rufnummer' ), $json['locale_data']['messages']['Number'] );
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

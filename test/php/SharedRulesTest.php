<?php
/**
 * The rules the plugin shares with the popup: read from generated/shared-rules.php (built from
 * src/core/shared-rules.ts), and held to the cases of test/fixtures/shared-rules.json, which the TypeScript runs
 * too (test/unit/core/shared-rules.test.ts).
 *
 * @package VodiaClickToCall
 */

/**
 * Shared rule tests.
 */
class SharedRulesTest extends Vodia_Call_Test_Case {

	/**
	 * The generated rules are this plugin's: the same version as its header and VODIA_CALL_VERSION.
	 */
	public function test_generated_rules_are_this_version(): void {
		$rules  = vodia_call_shared_rules();
		$header = get_file_data( VODIA_CALL_FILE, array( 'version' => 'Version' ) );
		$this->assertSame( VODIA_CALL_VERSION, $rules['version'] );
		$this->assertSame( $header['version'], $rules['version'] );
	}

	/**
	 * The block reads the same rules (blocks/click-to-call/shared-rules.json): version, number pattern, languages.
	 */
	public function test_block_reads_the_same_rules(): void {
		$json = json_decode( (string) file_get_contents( VODIA_CALL_DIR . '/blocks/click-to-call/shared-rules.json' ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- reading our own file.
		$this->assertIsArray( $json );
		$rules = vodia_call_shared_rules();
		$this->assertSame( $rules['version'], $json['version'] );
		$this->assertSame( $rules['languages'], $json['languages'] );
		$this->assertSame( $rules['destnumber_pattern'], '/' . substr( $json['destnumberPattern'], 0, -1 ) . '\z/' );
	}

	/**
	 * The settings page's language select offers every language the popup speaks, each by its name, and the site
	 * language first.
	 */
	public function test_language_select_offers_the_shared_languages(): void {
		$choices = vodia_call_lang_choices( vodia_call_default_settings() );
		$this->assertSame( array_merge( array( '' ), vodia_call_shared_rules()['languages'] ), array_map( 'strval', array_keys( $choices ) ) );
		foreach ( vodia_call_shared_rules()['languages'] as $code ) {
			$this->assertNotSame( $code, $choices[ $code ], "a name for $code" );
		}
	}
}

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

	/**
	 * The fixture file, the one the TypeScript tests read.
	 *
	 * @return array<string, mixed>
	 */
	private static function fixture(): array {
		$file = dirname( __DIR__ ) . '/fixtures/shared-rules.json';
		$data = json_decode( (string) file_get_contents( $file ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- a local fixture file.
		if ( ! is_array( $data ) ) {
			throw new RuntimeException( "cannot read $file" );
		}
		return $data;
	}

	/**
	 * Settings for the fixture's signer: its user is extension 40 at pbx.example.com, with its password, and the
	 * longest validity the fixture checks with.
	 *
	 * @return array<string, mixed>
	 */
	private function signer_settings(): array {
		$signer                     = self::fixture()['signer'];
		list( $extension, $domain ) = explode( '@', $signer['user'], 2 );
		$settings                   = $this->configure(
			array(
				'extension' => $extension,
				'domain'    => $domain,
				'password'  => $signer['password'],
				'duration'  => $signer['maxDuration'],
			)
		);
		$this->assertSame( $signer['user'], vodia_call_link_user( $settings ) );
		$this->assertSame( $signer['maxDuration'], $settings['duration'] );
		return $settings;
	}

	/**
	 * The fixture's links.
	 *
	 * @return array<string, array{0:array<string, string>, 1:int, 2:string}>
	 */
	public function signed_links(): array {
		$cases = array();
		foreach ( self::fixture()['links'] as $case ) {
			$cases[ $case['name'] ] = array( $case['link'], $case['now'], $case['result'] );
		}
		return $cases;
	}

	/**
	 * Each link gets the fixture's verdict from the plugin's link check (shape, signature, then the clock).
	 *
	 * @dataProvider signed_links
	 * @param array<string, string> $link   Link fields.
	 * @param int                   $now    The checking clock.
	 * @param string                $result The verdict: ok, malformed, bad-signature, future, too-long or expired.
	 */
	public function test_link( array $link, int $now, string $result ): void {
		$problem = vodia_call_check_link( $link, $this->signer_settings(), $now );
		$this->assertSame( $result, '' === $problem ? 'ok' : $problem );
	}

	/**
	 * The plugin's own rule on top: a link it did not sign for its own account is not vouched for, however well it
	 * is signed (the digest answer is made with this site's password).
	 */
	public function test_a_good_link_for_another_account_is_refused(): void {
		$ok = self::fixture()['links'][0];
		$this->assertSame( 'ok', $ok['result'] );
		$settings = $this->signer_settings();
		$this->assertSame( '', vodia_call_check_link( $ok['link'], $settings, $ok['now'] ) );
		foreach ( array( array( 'extension' => '41' ), array( 'domain' => 'pbx.example.org' ) ) as $other ) {
			$this->assertSame( 'bad-signature', vodia_call_check_link( $ok['link'], array_merge( $settings, $other ), $ok['now'] ) );
		}
	}

	/**
	 * The fixture's valid and invalid values of one kind.
	 *
	 * @param string $kind The kind: numbers, iceServerUrls or domains.
	 * @return array<string, array{0:string, 1:bool}>
	 */
	private static function values( string $kind ): array {
		$cases = array();
		foreach ( array( 'valid', 'invalid' ) as $verdict ) {
			foreach ( self::fixture()[ $kind ][ $verdict ] as $value ) {
				$cases[ $verdict . ' ' . wp_json_encode( $value ) ] = array( $value, 'valid' === $verdict );
			}
		}
		return $cases;
	}

	/**
	 * The fixture's numbers.
	 *
	 * @return array<string, array{0:string, 1:bool}>
	 */
	public function numbers(): array {
		return self::values( 'numbers' );
	}

	/**
	 * A number is callable (shortcode, block, popup page, index, link check) exactly when the fixture says so.
	 *
	 * @dataProvider numbers
	 * @param string $number Number.
	 * @param bool   $valid  Whether it is valid.
	 */
	public function test_number( string $number, bool $valid ): void {
		$this->assertSame( $valid, vodia_call_is_valid_number( $number ) );
	}

	/**
	 * The fixture's ICE server URLs.
	 *
	 * @return array<string, array{0:string, 1:bool}>
	 */
	public function ice_server_urls(): array {
		return self::values( 'iceServerUrls' );
	}

	/**
	 * The settings' ICE servers field takes a URL exactly when the fixture says so: as a stored entry (or JSON from
	 * the form) with or without credentials, and, for a valid one, as a line of the form's text.
	 *
	 * @dataProvider ice_server_urls
	 * @param string $url   URL.
	 * @param bool   $valid Whether it is valid.
	 */
	public function test_ice_server_url( string $url, bool $valid ): void {
		$defaults = vodia_call_default_settings();
		$entries  = array(
			array( 'urls' => $url ),
			array(
				'urls'       => $url,
				'username'   => 'u',
				'credential' => 'c',
			),
		);
		foreach ( $entries as $entry ) {
			$errors  = array();
			$servers = vodia_call_clean_settings( array( 'ice_servers' => array( $entry ) ), $defaults, $errors )['ice_servers'];
			if ( $valid ) {
				$this->assertSame( array(), $errors );
				$this->assertSame( array( $entry ), $servers );
			} else {
				$this->assertArrayHasKey( 'ice_servers', $errors );
				$this->assertSame( array(), $servers );
			}
		}
		if ( $valid ) {
			$errors = array();
			$this->assertSame( array( $entries[1] ), vodia_call_clean_settings( array( 'ice_servers' => "$url u c" ), $defaults, $errors )['ice_servers'] );
			$this->assertSame( array(), $errors );
		}
	}

	/**
	 * The fixture's domains.
	 *
	 * @return array<string, array{0:string, 1:bool}>
	 */
	public function domains(): array {
		return self::values( 'domains' );
	}

	/**
	 * The settings' SIP domain field takes a domain exactly when the fixture says so. Like every text field it
	 * trims surrounding white space first and takes empty for "not set": so "" leaves the site unconfigured, and
	 * "pbx.example.com\n" is stored as the domain without the line break; never as given.
	 *
	 * @dataProvider domains
	 * @param string $domain Domain.
	 * @param bool   $valid  Whether it is valid.
	 */
	public function test_domain( string $domain, bool $valid ): void {
		$this->assertSame( $valid, (bool) preg_match( vodia_call_shared_rules()['domain_pattern'], $domain ), 'the shared pattern' );
		$errors = array();
		$stored = vodia_call_clean_settings( array( 'domain' => $domain ), vodia_call_default_settings(), $errors )['domain'];
		if ( $valid ) {
			$this->assertSame( array(), $errors );
			$this->assertSame( $domain, $stored );
		} elseif ( '' === trim( $domain ) ) {
			$this->assertSame( '', $stored );
			$this->assertFalse( vodia_call_is_configured( array_merge( $this->configure(), array( 'domain' => $stored ) ) ) );
		} elseif ( trim( $domain ) !== $domain ) {
			$this->assertSame( trim( $domain ), $stored );
			$this->assertNotSame( $domain, $stored );
		} else {
			$this->assertArrayHasKey( 'domain', $errors );
			$this->assertSame( '', $stored );
		}
	}
}

<?php
/**
 * Where the key for the stored PBX password (and TURN secret) comes from: VODIA_CALL_ENCRYPTION_KEY in
 * wp-config.php when defined, else the site's salts as before. A constant cannot be defined in this
 * process without changing it for every later test, so the constant's side runs password-crypto.php in a PHP process of
 * its own, as the lab suite does.
 *
 * @package VodiaClickToCall
 */

/**
 * Encryption key tests.
 */
class EncryptionKeyTest extends Vodia_Call_Test_Case {

	/** The label the key is derived with. */
	const LABEL = 'vodia-click-to-call password key v1';

	/**
	 * Runs password-crypto.php in a fresh PHP process, with the constant defined (or not) and wp_salt() stubbed, and
	 * returns what it prints: the key (hex) and a ciphertext of "secret", one a line.
	 *
	 * @param string|null $constant VODIA_CALL_ENCRYPTION_KEY, or null to leave it undefined.
	 * @return string[]
	 */
	private function crypto_in_own_process( ?string $constant ): array {
		$code    = 'define("ABSPATH", "/"); define("HOUR_IN_SECONDS", 3600);'
			. ' function wp_salt($scheme) { return "salt-" . $scheme; }'
			. ' if ($argv[2] !== "-") { define("VODIA_CALL_ENCRYPTION_KEY", $argv[2]); }'
			. ' require $argv[1];'
			. ' echo bin2hex(vodia_call_encryption_key()), "\n", vodia_call_encrypt("secret"), "\n", vodia_call_encryption_key_source(), "\n";';
		$command = escapeshellarg( PHP_BINARY ) . ' -r ' . escapeshellarg( $code ) . ' ' . escapeshellarg( VODIA_CALL_DIR . '/includes/password-crypto.php' ) . ' ' . escapeshellarg( $constant ?? '-' ) . ' 2>&1';
		exec( $command, $out, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- a PHP process of its own, for a constant.
		$this->assertSame( 0, $status, implode( "\n", $out ) );
		$this->assertCount( 3, $out, implode( "\n", $out ) );
		return $out;
	}

	/**
	 * With the constant, the key derives from it alone: the salts do not matter, and a password stored with it
	 * does not decrypt with the salts' key (nor the other way round).
	 */
	public function test_dedicated_key_from_wp_config(): void {
		$constant                      = 'b3Vy-own-64-random-characters-7Qm2xLp9sRk4Wn8Yb3Vh5Tc1Zd6Gf0Jq';
		list( $key, $cipher, $source ) = $this->crypto_in_own_process( $constant );
		$this->assertSame( bin2hex( hash_hmac( 'sha256', self::LABEL, $constant, true ) ), $key );
		$this->assertSame( 'constant', $source );
		$this->assertNotSame( bin2hex( hash_hmac( 'sha256', self::LABEL, 'salt-authsalt-secure_auth', true ) ), $key );

		// The ciphertext opens with the constant's key, not with this site's salts.
		$raw = base64_decode( substr( $cipher, strlen( VODIA_CALL_CIPHER_PREFIX ) ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- reading the ciphertext.
		$this->assertSame( 'secret', sodium_crypto_secretbox_open( substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), hex2bin( $key ) ) );
		$this->assertNull( vodia_call_decrypt( $cipher ) );
	}

	/**
	 * Without it, the key is the one every earlier version derived from AUTH_KEY, SECURE_AUTH_KEY and their salts,
	 * so passwords stored before keep working.
	 */
	public function test_fallback_is_the_salts_as_before(): void {
		list( $key, , $source ) = $this->crypto_in_own_process( null );
		$this->assertSame( bin2hex( hash_hmac( 'sha256', self::LABEL, 'salt-authsalt-secure_auth', true ) ), $key );
		$this->assertSame( 'salts', $source );
		$this->assertFalse( defined( 'VODIA_CALL_ENCRYPTION_KEY' ) );
		$this->assertSame( hash_hmac( 'sha256', self::LABEL, wp_salt( 'auth' ) . wp_salt( 'secure_auth' ), true ), vodia_call_encryption_key() );
		$this->assertSame( 'salts', vodia_call_encryption_key_source() );
	}

	/**
	 * An empty constant is no key: the salts, as if it were not there.
	 */
	public function test_empty_constant_is_ignored(): void {
		list( $key, , $source ) = $this->crypto_in_own_process( '' );
		$this->assertSame( bin2hex( hash_hmac( 'sha256', self::LABEL, 'salt-authsalt-secure_auth', true ) ), $key );
		$this->assertSame( 'salts', $source );
	}

	/**
	 * The settings page says where the key comes from and how to set a dedicated one, what the PBX must enforce,
	 * and that password-protected posts still offer their numbers.
	 */
	public function test_settings_page_says_it(): void {
		$this->configure();
		$html = html_entity_decode( $this->settings_page_html(), ENT_QUOTES );
		foreach ( array(
			"define( 'VODIA_CALL_ENCRYPTION_KEY'",
			'wp-config.php',
			'AUTH_KEY',
			'now from this site\'s security keys',
			'digest uri',
			'request URI',
			'MD5-sess',
			'PJSIP',
			'dialplan',
			'mandatory',
			'password-protected',
		) as $text ) {
			$this->assertStringContainsString( $text, $html );
		}
	}

	/**
	 * The readme says the same to site owners.
	 */
	public function test_readme_says_it(): void {
		$readme = (string) file_get_contents( VODIA_CALL_DIR . '/readme.txt' ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- reading our own file.
		foreach ( array( 'VODIA_CALL_ENCRYPTION_KEY', 'wp-config.php', 'request URI', 'MD5-sess', 'PJSIP', 'dialplan', 'mandatory', 'password-protected', 'X-Forwarded-For', 'edit others', 'allow-list' ) as $text ) {
			$this->assertStringContainsString( $text, $readme );
		}
	}
}

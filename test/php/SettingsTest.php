<?php
/**
 * Settings: cleaning, rejection messages, the write-only encrypted password, the page's capability checks.
 *
 * @package VodiaClickToCall
 */

/**
 * Settings tests.
 */
class SettingsTest extends Vodia_Call_Test_Case {

	/**
	 * Good values for each field, and what is stored.
	 *
	 * @return array<string, array{0:string, 1:mixed, 2:mixed}>
	 */
	public function good_values(): array {
		return array(
			'server wss'                 => array( 'server', 'wss://pbx.example.com:8089/ws', 'wss://pbx.example.com:8089/ws' ),
			'server ws on 127.0.0.1'     => array( 'server', 'ws://127.0.0.1:5066', 'ws://127.0.0.1:5066' ),
			'server ws on localhost'     => array( 'server', ' ws://localhost/ws ', 'ws://localhost/ws' ),
			'server ws on [::1]'         => array( 'server', 'ws://[::1]:5066', 'ws://[::1]:5066' ),
			'server empty'               => array( 'server', '', '' ),
			'domain lower-cased'         => array( 'domain', 'PBX.Example.com', 'pbx.example.com' ),
			'domain IPv4'                => array( 'domain', '127.0.0.1', '127.0.0.1' ),
			'domain IPv6 in brackets'    => array( 'domain', '[2001:DB8::1]', '[2001:db8::1]' ),
			'extension digits'           => array( 'extension', '40', '40' ),
			'extension as int'           => array( 'extension', 40, '40' ),
			'duration string'            => array( 'duration', '600', 600 ),
			'duration max'               => array( 'duration', 86400, 86400 ),
			'duration min'               => array( 'duration', 60, 60 ),
			'lang de'                    => array( 'lang', 'de', 'de' ),
			'lang empty'                 => array( 'lang', '', '' ),
			'mode vodia'                 => array( 'mode', 'vodia', 'vodia' ),
			'pbx_url https'              => array( 'pbx_url', 'https://pbx.example.com/', 'https://pbx.example.com/' ),
			'pbx_url http loopback'      => array( 'pbx_url', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080' ),
			'dtmf info'                  => array( 'dtmf', 'info', 'info' ),
			'ice servers text'           => array(
				'ice_servers',
				"stun:stun.example.com:3478\nturn:turn.example.com:3478?transport=udp alice s3cr3t\n",
				array(
					array( 'urls' => 'stun:stun.example.com:3478' ),
					array(
						'urls'       => 'turn:turn.example.com:3478?transport=udp',
						'username'   => 'alice',
						'credential' => 's3cr3t',
					),
				),
			),
			'ice servers JSON'           => array( 'ice_servers', '[{"urls":"stun:127.0.0.1:3478"}]', array( array( 'urls' => 'stun:127.0.0.1:3478' ) ) ),
			'ice servers empty'          => array( 'ice_servers', '', array() ),
			'caller context off'         => array( 'caller_context', '0', false ),
			'page query on'              => array( 'page_query', '1', true ),
			'time zone Berlin'           => array( 'time_zone', ' Europe/Berlin ', 'Europe/Berlin' ),
			'time zone New York'         => array( 'time_zone', 'America/New_York', 'America/New_York' ),
			'time zone UTC'              => array( 'time_zone', 'UTC', 'UTC' ),
			'time zone empty (site)'     => array( 'time_zone', '', '' ),
			'hours two intervals'        => array( 'hours_mon', '09:00-12:30, 13:30-17:00', array( '09:00-12:30', '13:30-17:00' ) ),
			'hours sorted'               => array( 'hours_tue', '13:30-17:00,09:00-12:30', array( '09:00-12:30', '13:30-17:00' ) ),
			'hours touching'             => array( 'hours_wed', '09:00-12:00, 12:00-13:00', array( '09:00-12:00', '12:00-13:00' ) ),
			'hours until midnight'       => array( 'hours_thu', '00:00-24:00', array( '00:00-24:00' ) ),
			'hours spaces, stray comma'  => array( 'hours_fri', ' 08:00 - 16:00 , ', array( '08:00-16:00' ) ),
			'hours empty (closed)'       => array( 'hours_sat', '', array() ),
			'hours as stored'            => array( 'hours_sun', array( '10:00-14:00' ), array( '10:00-14:00' ) ),
			'closed dates'               => array( 'closed_dates', "2026-12-31\r\n\n2026-12-24\n2026-12-24\n2028-02-29", array( '2026-12-24', '2026-12-31', '2028-02-29' ) ),
			'closed dates empty'         => array( 'closed_dates', '', array() ),
			'fallback url https'         => array( 'fallback_url', ' https://example.com/contact ', 'https://example.com/contact' ),
			'fallback url http loopback' => array( 'fallback_url', 'http://127.0.0.1:8080/contact', 'http://127.0.0.1:8080/contact' ),
			'fallback url empty'         => array( 'fallback_url', '', '' ),
			'fallback tel as written'    => array( 'fallback_tel', '+49 (30) 123-456/7', '+49301234567' ),
			'fallback tel short'         => array( 'fallback_tel', '110', '110' ),
			'fallback tel empty'         => array( 'fallback_tel', '', '' ),
		);
	}

	/**
	 * A good value is stored cleaned, without an error.
	 *
	 * @dataProvider good_values
	 * @param string $field    Field.
	 * @param mixed  $input    Input.
	 * @param mixed  $expected Stored.
	 */
	public function test_good_value_is_stored( string $field, $input, $expected ): void {
		$this->configure( array( 'pbx_url' => 'https://pbx.example.com' ) );
		update_option( VODIA_CALL_OPTION, array_merge( get_option( VODIA_CALL_OPTION ), array( $field => $input ) ) );
		$this->assertSame( $expected, vodia_call_get_settings()[ $field ] );
		$this->assertSame( array(), get_settings_errors( VODIA_CALL_OPTION ) );
	}

	/**
	 * Bad values for each field.
	 *
	 * @return array<string, array{0:string, 1:mixed}>
	 */
	public function bad_values(): array {
		return array(
			'server plain ws on a public host' => array( 'server', 'ws://pbx.example.com/ws' ),
			'server https'                     => array( 'server', 'https://pbx.example.com/ws' ),
			'server javascript'                => array( 'server', 'javascript:alert(1)' ),
			'server credentials in URL'        => array( 'server', 'wss://u:p@pbx.example.com/ws' ),
			'server quote injection'           => array( 'server', 'wss://pbx.example.com/"><script>' ),
			'server not a string'              => array( 'server', array( 'wss://x' ) ),
			'domain with space'                => array( 'domain', 'pbx example.com' ),
			'domain with scheme'               => array( 'domain', 'https://pbx.example.com' ),
			'extension with @'                 => array( 'extension', '40@pbx' ),
			'extension too long'               => array( 'extension', str_repeat( '1', 65 ) ),
			'password with newline'            => array( 'password', "abc\ndef" ),
			'password too long'                => array( 'password', str_repeat( 'x', 257 ) ),
			'password not a string'            => array( 'password', 12345 ),
			'turn secret with newline'         => array( 'turn_secret', "abc\ndef" ),
			'duration zero'                    => array( 'duration', 0 ),
			'duration too long'                => array( 'duration', 86401 ),
			'duration fraction'                => array( 'duration', '3600.5' ),
			'duration negative'                => array( 'duration', '-3600' ),
			'duration null'                    => array( 'duration', null ),
			'lang three letters'               => array( 'lang', 'deu' ),
			'lang injection'                   => array( 'lang', 'de"><script>' ),
			'mode unknown'                     => array( 'mode', 'direct' ),
			'mode null'                        => array( 'mode', null ),
			'pbx_url http public'              => array( 'pbx_url', 'http://pbx.example.com' ),
			'pbx_url javascript'               => array( 'pbx_url', 'javascript:alert(1)//' ),
			'dtmf unknown'                     => array( 'dtmf', 'inband' ),
			'ice servers http URL'             => array( 'ice_servers', 'http://stun.example.com' ),
			'ice servers stuns: URL'           => array( 'ice_servers', 'stuns:stun.example.com' ),
			'ice servers upper-case scheme'    => array( 'ice_servers', 'STUN:stun.example.com' ),
			'domain IPv6 without brackets'     => array( 'domain', '2001:db8::1' ),
			'domain with port'                 => array( 'domain', 'pbx.example.com:5060' ),
			'ice servers two fields'           => array( 'ice_servers', 'turn:turn.example.com alice' ),
			'ice servers bad JSON'             => array( 'ice_servers', '[{"urls":1}]' ),
			'caller context yes'               => array( 'caller_context', 'yes' ),
			'time zone unknown'                => array( 'time_zone', 'Mars/Olympus_Mons' ),
			'time zone offset'                 => array( 'time_zone', '+02:00' ),
			'time zone UTC+2'                  => array( 'time_zone', 'UTC+2' ),
			'time zone lower-case'             => array( 'time_zone', 'europe/berlin' ),
			'time zone injection'              => array( 'time_zone', 'Europe/Berlin"><script>' ),
			'hours one digit hour'             => array( 'hours_mon', '9:00-12:00' ),
			'hours end before start'           => array( 'hours_mon', '17:00-09:00' ),
			'hours empty interval'             => array( 'hours_mon', '09:00-09:00' ),
			'hours past midnight'              => array( 'hours_mon', '22:00-02:00' ),
			'hours 24:30'                      => array( 'hours_mon', '09:00-24:30' ),
			'hours 25:00'                      => array( 'hours_mon', '09:00-25:00' ),
			'hours start 24:00'                => array( 'hours_mon', '24:00-24:00' ),
			'hours overlapping'                => array( 'hours_mon', '09:00-12:00, 11:00-13:00' ),
			'hours semicolon'                  => array( 'hours_mon', '09:00-12:00; 13:00-17:00' ),
			'hours am/pm'                      => array( 'hours_mon', '9am-5pm' ),
			'hours not a list'                 => array( 'hours_mon', 9 ),
			'closed date impossible'           => array( 'closed_dates', '2026-02-30' ),
			'closed date German'               => array( 'closed_dates', "2026-12-24\n24.12.2026" ),
			'closed date month 13'             => array( 'closed_dates', '2026-13-01' ),
			'fallback url http public'         => array( 'fallback_url', 'http://example.com/contact' ),
			'fallback url javascript'          => array( 'fallback_url', 'javascript:alert(1)//' ),
			'fallback url mailto'              => array( 'fallback_url', 'mailto:office@example.com' ),
			'fallback url quote'               => array( 'fallback_url', 'https://example.com/"><script>' ),
			'fallback tel too short'           => array( 'fallback_tel', '12' ),
			'fallback tel too long'            => array( 'fallback_tel', str_repeat( '1', 21 ) ),
			'fallback tel letters'             => array( 'fallback_tel', '+49 30 CALL-NOW' ),
			'fallback tel two plus'            => array( 'fallback_tel', '++4930123456' ),
			'fallback tel injection'           => array( 'fallback_tel', '+4930123456" onclick="x' ),
		);
	}

	/**
	 * A bad value is rejected with a settings error and the stored value stays.
	 *
	 * @dataProvider bad_values
	 * @param string $field Field.
	 * @param mixed  $input Input.
	 */
	public function test_bad_value_is_rejected_and_previous_kept( string $field, $input ): void {
		$before = $this->configure( array( 'pbx_url' => 'https://pbx.example.com' ) );
		$stored = get_option( VODIA_CALL_OPTION );
		update_option( VODIA_CALL_OPTION, array_merge( $stored, array( $field => $input ) ) );
		$errors = get_settings_errors( VODIA_CALL_OPTION );
		$this->assertSame( array( 'vodia_call_' . $field ), array_column( $errors, 'code' ) );
		$this->assertSame( 'error', $errors[0]['type'] );
		$this->assertSame( $before[ $field ], vodia_call_get_settings()[ $field ] );
		$this->assertSame( self::PASSWORD, vodia_call_get_password() );
	}

	/**
	 * Unknown keys are dropped; missing keys get their defaults.
	 */
	public function test_only_known_keys_are_kept(): void {
		update_option(
			VODIA_CALL_OPTION,
			array(
				'domain' => 'pbx.example.com',
				'evil'   => '<script>',
				'0'      => 'x',
			)
		);
		$stored = get_option( VODIA_CALL_OPTION );
		$this->assertSame( array_keys( vodia_call_default_settings() ), array_keys( $stored ) );
		$this->assertSame( 'pbx.example.com', $stored['domain'] );
		$this->assertSame( 3600, $stored['duration'] );
	}

	/**
	 * Input that is not an array changes nothing and says so.
	 */
	public function test_non_array_input_changes_nothing(): void {
		$this->configure();
		$stored = get_option( VODIA_CALL_OPTION );
		$this->assertSame( $stored, vodia_call_sanitize_settings( 'server=x' ) );
		$this->assertContains( 'vodia_call_form', array_column( get_settings_errors( VODIA_CALL_OPTION ), 'code' ) );
	}

	/**
	 * The read path cleans again: a value written around the sanitize callback does not get through.
	 */
	public function test_read_path_cleans_again(): void {
		global $wpdb;
		$this->configure();
		$raw           = get_option( VODIA_CALL_OPTION );
		$raw['server'] = 'ws://evil.example.com';
		$raw['mode']   = 'bogus';
		$wpdb->update( $wpdb->options, array( 'option_value' => maybe_serialize( $raw ) ), array( 'option_name' => VODIA_CALL_OPTION ) );
		wp_cache_flush();
		$settings = vodia_call_get_settings();
		$this->assertSame( '', $settings['server'] );
		$this->assertSame( 'popup', $settings['mode'] );
	}

	/**
	 * The password is encrypted at rest: neither the option nor the database row holds it.
	 */
	public function test_password_is_encrypted_at_rest(): void {
		global $wpdb;
		$this->configure();
		$row = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", VODIA_CALL_OPTION ) );
		$this->assertStringNotContainsString( self::PASSWORD, $row );
		$this->assertStringNotContainsString( base64_encode( self::PASSWORD ), $row ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- checking for it.
		$stored = get_option( VODIA_CALL_OPTION )['password'];
		$this->assertStringStartsWith( VODIA_CALL_CIPHER_PREFIX, $stored );
		$this->assertSame( self::PASSWORD, vodia_call_decrypt( $stored ) );
		// A fresh nonce each time: the same password never gives the same ciphertext.
		$this->assertNotSame( vodia_call_encrypt( self::PASSWORD ), vodia_call_encrypt( self::PASSWORD ) );
	}

	/**
	 * A blank password keeps the stored one; a new one replaces it.
	 */
	public function test_blank_password_keeps_the_stored_one(): void {
		$this->configure();
		$cipher = get_option( VODIA_CALL_OPTION )['password'];
		update_option( VODIA_CALL_OPTION, array_merge( get_option( VODIA_CALL_OPTION ), array( 'password' => '', 'extension' => '41' ) ) );
		$this->assertSame( $cipher, get_option( VODIA_CALL_OPTION )['password'] );
		$this->assertSame( self::PASSWORD, vodia_call_get_password() );
		$this->assertSame( '41', vodia_call_get_settings()['extension'] );

		update_option( VODIA_CALL_OPTION, array_merge( get_option( VODIA_CALL_OPTION ), array( 'password' => 'a new one' ) ) );
		$this->assertSame( 'a new one', vodia_call_get_password() );
	}

	/**
	 * The first save goes through the sanitize callback twice (add_option): the password is encrypted once.
	 */
	public function test_first_save_encrypts_once(): void {
		delete_option( VODIA_CALL_OPTION );
		$this->configure();
		$this->assertSame( self::PASSWORD, vodia_call_get_password() );
	}

	/**
	 * A ciphertext made with other salts does not decrypt: the password reads as missing.
	 */
	public function test_ciphertext_from_other_keys_is_refused(): void {
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		$other = VODIA_CALL_CIPHER_PREFIX . base64_encode( $nonce . sodium_crypto_secretbox( 'x', $nonce, random_bytes( 32 ) ) ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- building a ciphertext.
		$this->assertNull( vodia_call_decrypt( $other ) );
		$this->assertNull( vodia_call_decrypt( VODIA_CALL_CIPHER_PREFIX . '!!!' ) );
		$this->assertNull( vodia_call_decrypt( 'plain' ) );
	}

	/**
	 * A password stored under another key (the salts or VODIA_CALL_ENCRYPTION_KEY changed) reads as none: the site
	 * is not configured, signs nothing with the unreadable ciphertext, and the page asks for the password again.
	 * (The read path used to clean the stored ciphertext as a new password and encrypt it again.)
	 */
	public function test_password_under_another_key_reads_as_none(): void {
		global $wpdb;
		$this->configure();
		$nonce           = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		$raw             = get_option( VODIA_CALL_OPTION );
		$raw['password'] = VODIA_CALL_CIPHER_PREFIX . base64_encode( $nonce . sodium_crypto_secretbox( self::PASSWORD, $nonce, random_bytes( 32 ) ) ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- building a ciphertext.
		$wpdb->update( $wpdb->options, array( 'option_value' => maybe_serialize( $raw ) ), array( 'option_name' => VODIA_CALL_OPTION ) );
		wp_cache_flush();
		$settings = vodia_call_get_settings();
		$this->assertSame( '', $settings['password'] );
		$this->assertSame( '', vodia_call_get_password( $settings ) );
		$this->assertFalse( vodia_call_is_configured( $settings ) );
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$html = $this->render_page();
		$this->assertStringContainsString( 'can no longer be read', $html );
		$this->assertStringContainsString( 'No password is stored yet.', $html );
		$this->assertStringNotContainsString( $raw['password'], $html );
	}

	/**
	 * The option is not exposed through the REST settings endpoint.
	 */
	public function test_option_is_not_in_rest_settings(): void {
		$this->configure();
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$response = rest_do_request( new WP_REST_Request( 'GET', '/wp/v2/settings' ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertArrayNotHasKey( VODIA_CALL_OPTION, $response->get_data() );
		$this->assertStringNotContainsString( self::PASSWORD, wp_json_encode( $response->get_data() ) );
	}

	/**
	 * Renders the settings page as the current user.
	 */
	private function render_page(): string {
		$GLOBALS['title'] = 'Vodia Click-to-Call'; // phpcs:ignore WordPress.WP.GlobalVariablesOverride -- get_admin_page_title() reads it.
		vodia_call_add_settings_fields();
		ob_start();
		try {
			vodia_call_render_settings_page();
		} finally {
			$html = (string) ob_get_clean();
		}
		return $html;
	}

	/**
	 * The page never prints the password, shows that one is stored, and posts through options.php with a nonce.
	 */
	public function test_page_never_prints_the_password(): void {
		$this->configure();
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$html = $this->render_page();
		$this->assertStringNotContainsString( self::PASSWORD, $html );
		$this->assertStringNotContainsString( htmlspecialchars( self::PASSWORD ), $html );
		$this->assertStringNotContainsString( get_option( VODIA_CALL_OPTION )['password'], $html );
		$this->assertMatchesRegularExpression( '/<input type="password"[^>]*name="vodia_call_settings\[password\]" value=""/', $html );
		$this->assertStringContainsString( 'name="_wpnonce"', $html );
		$this->assertMatchesRegularExpression( '/name=["\']option_page["\'] value=["\']vodia_call["\']/', $html );
		$this->assertStringContainsString( 'A password is stored', $html );
	}

	/**
	 * The page reads the option (and so decrypts the password) once, not once for each of its fields.
	 */
	public function test_page_reads_the_option_once(): void {
		$this->configure( array( 'turn_secret' => 'a TURN secret' ) );
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$reads = 0;
		$this->add_test_filter(
			'option_' . VODIA_CALL_OPTION,
			function ( $value ) use ( &$reads ) {
				++$reads;
				return $value;
			}
		);
		$html = $this->render_page();
		$this->assertSame( 1, $reads );
		$checkboxes = count( wp_list_filter( vodia_call_settings_fields(), array( 'control' => 'checkbox' ) ) );
		$this->assertSame( count( vodia_call_settings_fields() ), substr_count( $html, 'name="vodia_call_settings[' ) - $checkboxes, 'every field rendered (checkboxes carry a hidden field too)' );
		$this->assertStringContainsString( 'A secret is stored', $html );
	}

	/**
	 * Weak passwords.
	 *
	 * @return array<string, array{0:string}>
	 */
	public function weak_passwords(): array {
		return array(
			'8 characters'        => array( 'Xk9#mP2q' ),
			'digits only, long'   => array( '123456789012345678901234' ),
			'common word, long'   => array( 'MyPassword-is-long-enough-2026' ),
			'repeated characters' => array( 'abababababababababababab' ),
			'contains extension'  => array( 'zq7Kx40Lm2Vb9Nc3Wd8Yf1Rt' ),
		);
	}

	/**
	 * The page warns about a weak password and shows how to make a strong one.
	 *
	 * @dataProvider weak_passwords
	 * @param string $password Password.
	 */
	public function test_page_warns_about_weak_password( string $password ): void {
		$this->configure( array( 'password' => $password, 'extension' => '40' ) );
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$html = $this->render_page();
		$this->assertStringContainsString( 'notice-warning', $html );
		$this->assertStringContainsString( 'offline', $html );
		$this->assertStringContainsString( 'openssl rand -base64 24', $html );
		$this->assertStringNotContainsString( $password, $html );
	}

	/**
	 * A long random password draws no warning.
	 */
	public function test_strong_password_draws_no_warning(): void {
		$this->configure( array( 'password' => 'hT3vQ9zLw2Rk8PmX5cYb7NsJ' ) );
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$this->assertStringNotContainsString( 'notice-warning', $this->render_page() );
	}

	/**
	 * Only users who may manage options see the page.
	 */
	public function test_page_requires_manage_options(): void {
		wp_set_current_user( $this->make_user( 'editor' ) );
		$this->add_test_filter(
			'wp_die_handler',
			function () {
				return function ( $message ) {
					throw new RuntimeException( 'wp_die: ' . ( is_string( $message ) ? $message : '' ) );
				};
			}
		);
		$this->expectException( RuntimeException::class );
		$this->expectExceptionMessage( 'not allowed' );
		$this->render_page();
	}

	/**
	 * The menu entry asks for manage_options.
	 */
	public function test_menu_entry_requires_manage_options(): void {
		global $submenu;
		wp_set_current_user( $this->make_user( 'administrator' ) );
		vodia_call_add_settings_page();
		$entry = array_values(
			array_filter(
				$submenu['options-general.php'] ?? array(),
				function ( $item ) {
					return VODIA_CALL_PAGE === $item[2];
				}
			)
		);
		$this->assertSame( 'manage_options', $entry[0][1] );
	}
}

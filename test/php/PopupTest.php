<?php
/**
 * The popup page and the index of published numbers behind it (the full-page-cache design).
 *
 * @package VodiaClickToCall
 */

/**
 * Popup and index tests.
 */
class PopupTest extends Vodia_Call_Test_Case {

	/**
	 * The query of a redirect target, decoded.
	 *
	 * @param string $url URL.
	 * @return array<string, string>
	 */
	private function query_of( string $url ): array {
		$out = array();
		foreach ( explode( '&', (string) wp_parse_url( $url, PHP_URL_QUERY ) ) as $pair ) {
			list( $k, $v )             = array_pad( explode( '=', $pair, 2 ), 2, '' );
			$out[ rawurldecode( $k ) ] = rawurldecode( $v );
		}
		return $out;
	}

	/**
	 * A published number: the unsigned popup URL redirects to itself, signed now; the signed one serves the page.
	 */
	public function test_unsigned_link_to_published_number_is_signed_at_request_time(): void {
		$settings = $this->configure();
		$this->make_post( '[vodia_call number="100"]Sales[/vodia_call]' );
		$now      = time();
		$response = vodia_call_popup_response(
			array(
				'destnumber' => '100',
				'lang'       => 'de',
			),
			$settings,
			$now
		);
		$this->assertSame( 302, $response['status'] );
		$this->assertStringStartsWith( home_url( '/' ) . '?vodia_call_popup=1&destnumber=100&user=40%40127.0.0.1&pass=', $response['redirect'] );
		$query = $this->query_of( $response['redirect'] );
		$this->assertSame( array( 'vodia_call_popup', 'destnumber', 'user', 'pass', 'time', 'duration', 'lang' ), array_keys( $query ) );
		$this->assertSame( (string) $now, $query['time'] );
		$this->assertSame( '', vodia_call_check_link( $query, $settings, $now ) );

		$page = vodia_call_popup_response( $query, $settings, $now + 5 );
		$this->assertSame( 200, $page['status'] );
		$html = $page['html'];
		$this->assertStringStartsWith( "<!doctype html>\n", $html );
		$this->assertStringContainsString( '<meta name="viewport" content="width=device-width">', $html );
		$this->assertMatchesRegularExpression( '#<link rel="stylesheet" href="[^"]+/vodia-click-to-call/assets/dist/makecall\.css\?ver=[^"]+">#', $html );
		$this->assertMatchesRegularExpression( '#<div id="vodia-call"></div>\s*<script>window\.vodiaCallConfig = \{.*\}</script>\s*<script src="[^"]+/assets/dist/makecall\.js\?ver=[^"]+" defer></script>#s', $html );
		$this->assertStringNotContainsString( self::PASSWORD, $html );

		preg_match( '#window\.vodiaCallConfig = (\{.*?\})</script>#s', $html, $m );
		$this->assertSame(
			array(
				'server'         => 'ws://127.0.0.1:5066/ws',
				'domain'         => '127.0.0.1',
				'iceServers'     => array(),
				'dtmf'           => 'rfc4733',
				'authorizeUrl'   => rest_url( 'vodia-call/v1/authorize' ),
				'lang'           => 'de',
				'callerContext'  => true,
				'trustedOrigins' => array( untrailingslashit( home_url() ) ),
			),
			json_decode( $m[1], true )
		);
	}

	/**
	 * TURN servers listed without a user name get a credential minted from the shared secret (the TURN REST
	 * scheme); listed ones keep theirs; without a secret they are left out. The secret itself reaches no page.
	 */
	public function test_turn_credentials_are_minted_per_popup(): void {
		$settings = $this->configure(
			array(
				'ice_servers' => '[{"urls":"stun:203.0.113.20:3478"},{"urls":"turn:203.0.113.20:443?transport=tcp","credential":"stale"},{"urls":"turn:203.0.113.21:3478","username":"alice","credential":"s3cr3t"}]',
				'turn_secret' => 'coturn-shared-secret',
			)
		);
		$stored   = get_option( VODIA_CALL_OPTION )['turn_secret'];
		$this->assertStringStartsWith( VODIA_CALL_CIPHER_PREFIX, $stored );

		$now     = 1764153600;
		$servers = vodia_call_visitor_ice_servers( $settings, $now );
		$this->assertSame( array( 'urls' => 'stun:203.0.113.20:3478' ), $servers[0] );
		// Independent vector: Node's crypto.createHmac('sha1', secret).update(username).digest('base64').
		$this->assertSame(
			array(
				'urls'       => 'turn:203.0.113.20:443?transport=tcp',
				'username'   => '1764175200:vodia-call',
				'credential' => '4zng04HWe0jzQ2KZj4va8ZjKwRk=',
			),
			$servers[1]
		);
		$this->assertSame( 'alice', $servers[2]['username'] );
		$this->assertSame( $now + VODIA_CALL_TURN_TTL, (int) explode( ':', $servers[1]['username'] )[0] );

		$page = vodia_call_popup_html( 'en', $settings );
		$this->assertStringContainsString( '"username":"', $page );
		$this->assertStringNotContainsString( 'coturn-shared-secret', $page );

		// A dash forgets the secret: a TURN server without credentials is then not handed out at all.
		update_option( VODIA_CALL_OPTION, array_merge( get_option( VODIA_CALL_OPTION ), array( 'turn_secret' => '-' ) ) );
		$settings = vodia_call_get_settings();
		$this->assertSame( '', $settings['turn_secret'] );
		$urls = array_column( vodia_call_visitor_ice_servers( $settings, $now ), 'urls' );
		$this->assertSame( array( 'stun:203.0.113.20:3478', 'turn:203.0.113.21:3478' ), $urls );
	}

	/**
	 * A number no published content offers gets no signature, signed parameters or not.
	 *
	 * @return array<string, array{0:string, 1:string}>
	 */
	public function unpublished(): array {
		return array(
			'draft'           => array( '[vodia_call number="100"]', 'draft' ),
			'private'         => array( '[vodia_call number="100"]', 'private' ),
			'pending'         => array( '[vodia_call number="100"]', 'pending' ),
			'escaped'         => array( '[[vodia_call number="100"]]', 'publish' ),
			'other number'    => array( '[vodia_call number="1000"]', 'publish' ),
			'invalid in post' => array( '[vodia_call number="100x"]', 'publish' ),
		);
	}

	/**
	 * 404 for numbers that are not offered.
	 *
	 * @dataProvider unpublished
	 * @param string $content Content.
	 * @param string $status  Post status.
	 */
	public function test_unpublished_number_is_refused( string $content, string $status ): void {
		$settings = $this->configure();
		$this->make_post( $content, $status );
		$response = vodia_call_popup_response( array( 'destnumber' => '100' ), $settings );
		$this->assertSame( 404, $response['status'] );
		$this->assertArrayNotHasKey( 'redirect', $response );
		$this->assertStringNotContainsString( 'pass=', $response['html'] );
	}

	/**
	 * The index follows the post through publish, update, unpublish, trash, delete.
	 */
	public function test_index_follows_post_lifecycle(): void {
		$id = $this->make_post( '<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph --><!-- wp:group --><div><!-- wp:vodia-call/click-to-call {"number":"+4930123"} /--></div><!-- /wp:group -->', 'draft' );
		$this->assertFalse( vodia_call_is_number_offered( '+4930123' ) );
		wp_publish_post( $id );
		$this->assertTrue( vodia_call_is_number_offered( '+4930123' ), 'nested block in published post' );
		wp_update_post(
			array(
				'ID'           => $id,
				'post_content' => '[vodia_call number="200"]',
			)
		);
		$this->assertFalse( vodia_call_is_number_offered( '+4930123' ) );
		$this->assertTrue( vodia_call_is_number_offered( '200' ) );
		wp_update_post(
			array(
				'ID'          => $id,
				'post_status' => 'draft',
			)
		);
		$this->assertFalse( vodia_call_is_number_offered( '200' ) );
		wp_publish_post( $id );
		$this->assertTrue( vodia_call_is_number_offered( '200' ) );
		wp_trash_post( $id );
		$this->assertFalse( vodia_call_is_number_offered( '200' ) );
		wp_untrash_post( $id );
		wp_publish_post( $id );
		$this->assertTrue( vodia_call_is_number_offered( '200' ) );
		wp_delete_post( $id, true );
		$this->assertFalse( vodia_call_is_number_offered( '200' ) );
	}

	/**
	 * Two posts offering one number: unpublishing one keeps it offered.
	 */
	public function test_number_stays_while_another_post_offers_it(): void {
		$a = $this->make_post( '[vodia_call number="300"]' );
		$this->make_post( '[vodia_call number="300"]' );
		wp_trash_post( $a );
		$this->assertTrue( vodia_call_is_number_offered( '300' ) );
	}

	/**
	 * Block widgets count; rebuilding the index finds what was published while the plugin was inactive.
	 */
	public function test_widgets_and_rebuild(): void {
		update_option( 'widget_block', array( 2 => array( 'content' => '<!-- wp:vodia-call/click-to-call {"number":"400"} /-->' ) ) );
		$this->assertTrue( vodia_call_is_number_offered( '400' ) );

		remove_action( 'wp_after_insert_post', 'vodia_call_on_after_insert_post' );
		remove_action( 'transition_post_status', 'vodia_call_on_transition_post_status', 10 );
		try {
			$this->make_post( '[vodia_call number="500"]' );
		} finally {
			add_action( 'wp_after_insert_post', 'vodia_call_on_after_insert_post' );
			add_action( 'transition_post_status', 'vodia_call_on_transition_post_status', 10, 3 );
		}
		$this->assertFalse( vodia_call_is_number_offered( '500' ) );
		vodia_call_activate();
		$this->assertTrue( vodia_call_is_number_offered( '500' ) );
		$this->assertTrue( vodia_call_is_number_offered( '400' ) );
	}

	/**
	 * An expired or forged signed link to a published number is signed afresh; one to an unpublished number is
	 * not, and a valid signed link to it is not served either: it stopped working with its number.
	 */
	public function test_stale_signed_links(): void {
		$settings = $this->configure();
		$this->make_post( '[vodia_call number="100"]' );
		$old      = vodia_call_sign_link( '100', '', $settings, time() - 7200 );
		$response = vodia_call_popup_response( $old, $settings );
		$this->assertSame( 302, $response['status'] );
		$this->assertSame( '', vodia_call_check_link( $this->query_of( $response['redirect'] ), $settings ) );

		$this->assertSame( 200, vodia_call_popup_response( vodia_call_sign_link( '100', '', $settings ), $settings )['status'] );
		$valid = vodia_call_sign_link( '999', '', $settings );
		$this->assertSame( 404, vodia_call_popup_response( $valid, $settings )['status'] );
		$forged         = $valid;
		$forged['pass'] = md5( 'x' );
		$this->assertSame( 404, vodia_call_popup_response( $forged, $settings )['status'] );
	}

	/**
	 * Vodia mode: redirect to the PBX's own makecall.htm, signed the same way.
	 */
	public function test_vodia_mode_redirects_to_pbx(): void {
		$settings = $this->configure(
			array(
				'mode'    => 'vodia',
				'pbx_url' => 'https://pbx.example.com/',
			)
		);
		$this->make_post( '[vodia_call number="100"]' );
		$now      = time();
		$response = vodia_call_popup_response( array( 'destnumber' => '100' ), $settings, $now );
		$this->assertSame( 302, $response['status'] );
		$this->assertStringStartsWith( 'https://pbx.example.com/makecall.htm?destnumber=100&user=40%40127.0.0.1&pass=', $response['redirect'] );
		$query = $this->query_of( $response['redirect'] );
		$this->assertSame( md5( '40@127.0.0.1' . self::PASSWORD . '100' . $now . '3600' ), $query['pass'] );
		$this->assertSame( 'https://pbx.example.com/custom/makecall.htm', vodia_call_makecall_url( 'https://pbx.example.com/custom/makecall.htm' ) );
	}

	/**
	 * Errors: not configured, invalid number; config values cannot break out of the script element.
	 */
	public function test_errors_and_script_safety(): void {
		delete_option( VODIA_CALL_OPTION );
		$this->assertSame( 503, vodia_call_popup_response( array( 'destnumber' => '100' ), vodia_call_get_settings() )['status'] );
		$settings = $this->configure();
		$this->assertSame( 400, vodia_call_popup_response( array( 'destnumber' => '<script>' ), $settings )['status'] );
		$this->assertSame( 400, vodia_call_popup_response( array(), $settings )['status'] );

		$settings['ice_servers'] = array( array( 'urls' => 'stun:</script><script>alert(1)</script>' ) );
		$html                    = vodia_call_popup_html( 'en', $settings );
		$this->assertSame( 2, substr_count( $html, '</script>' ) );
		$this->assertSame( 2, substr_count( $html, '<script' ) );
	}

	/**
	 * Headers the popup page must send, each with its value.
	 *
	 * @return array<string, array{0:string, 1:string}>
	 */
	public function popup_headers(): array {
		return array(
			'no referrer (the signed link is in the address)' => array( 'Referrer-Policy', 'no-referrer' ),
			'not indexed'                                     => array( 'X-Robots-Tag', 'noindex, nofollow' ),
			'no MIME sniffing'                                => array( 'X-Content-Type-Options', 'nosniff' ),
			'no framing by other sites, nothing loads (CSP)'  => array( 'Content-Security-Policy', "default-src 'none'; style-src " . vodia_call_csp_hash( VODIA_CALL_ERROR_STYLE ) . "; base-uri 'none'; form-action 'none'; frame-ancestors 'self'" ),
			'no framing by other sites (old browsers)'        => array( 'X-Frame-Options', 'SAMEORIGIN' ),
		);
	}

	/**
	 * The page builds each header, and sends it over HTTP; it is never cached.
	 *
	 * @dataProvider popup_headers
	 * @param string $name  Header name.
	 * @param string $value Its value.
	 */
	public function test_headers_over_http( string $name, string $value ): void {
		$this->assertSame( $value, vodia_call_popup_headers()[ $name ] ?? null );
		$this->configure();
		$response = wp_remote_get( home_url( '/?vodia_call_popup=1&destnumber=100' ), array( 'redirection' => 0 ) );
		$this->assertNotWPError( $response );
		// The server process does not see this test's uncommitted settings; whatever it answers is uncached.
		$this->assertStringContainsString( 'no-store', wp_remote_retrieve_header( $response, 'cache-control' ) );
		$this->assertSame( $value, wp_remote_retrieve_header( $response, strtolower( $name ) ) );
	}

	/**
	 * Asserts a value is not a WP_Error.
	 *
	 * @param mixed $value Value.
	 */
	private function assertNotWPError( $value ): void {
		$this->assertFalse( is_wp_error( $value ), is_wp_error( $value ) ? $value->get_error_message() : '' );
	}
}

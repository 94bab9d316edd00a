<?php
/**
 * Line breaks in input: PHP's "$" also matches before a final "\n", so a pattern ending in "$" without the D
 * modifier lets "100\n" through. Every field that reaches the endpoint, the popup page, a shortcode or the
 * settings is fed "\n", "\r\n" and (where a URL carries it) "%0a"; none may pass, and no answer may carry a
 * raw line break.
 *
 * @package VodiaClickToCall
 */

/**
 * Newline tests.
 */
class NewlineTest extends Vodia_Call_Test_Case {

	const CHALLENGE = 'Digest realm="127.0.0.1", nonce="aGVsbG8gd29ybGQ", qop="auth", opaque="0a4f113b", algorithm=MD5';

	/** The line breaks fed to every field: as they arrive in JSON or a decoded query. */
	const BREAKS = array(
		'LF'   => "\n",
		'CRLF' => "\r\n",
	);


	/**
	 * Published content offers the numbers the requests here call: the endpoint answers only for those.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->offer( '100' );
	}

	/**
	 * A valid endpoint body for number 100, signed now.
	 *
	 * @return array<string, mixed>
	 */
	private function body(): array {
		return array_merge(
			vodia_call_sign_link( '100', '', vodia_call_get_settings() ),
			array(
				'method'    => 'INVITE',
				'uri'       => 'sip:100@127.0.0.1',
				'status'    => 407,
				'challenge' => self::CHALLENGE,
			)
		);
	}

	/**
	 * Signs a body again after a change, as someone holding a signature for the changed fields would.
	 *
	 * @param array<string, mixed> $body Body.
	 * @return array<string, mixed>
	 */
	private function resign( array $body ): array {
		$body['pass'] = vodia_call_signature( $body['user'], self::PASSWORD, $body['destnumber'], $body['time'], $body['duration'] );
		return $body;
	}

	/**
	 * Posts to the endpoint through the REST server.
	 *
	 * @param array<string, mixed> $body Body.
	 */
	private function post( array $body ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', '/vodia-call/v1/authorize' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( (string) wp_json_encode( $body ) );
		return rest_do_request( $request );
	}

	/**
	 * Each endpoint field with a line break, and the refusal it must get. Link fields are signed again with the
	 * line break in them: the format rules, not only the signature, must refuse them.
	 *
	 * @return array<string, array{0:string, 1:string, 2:bool, 3:int, 4:string, 5:string}>
	 */
	public function endpoint_fields(): array {
		$cases = array();
		foreach ( self::BREAKS as $name => $break ) {
			$cases[ "destnumber + $name" ]         = array( 'destnumber', 'suffix', true, 400, 'malformed', $break );
			$cases[ "destnumber + $name in uri" ]  = array( 'destnumber', 'suffix-uri', true, 400, 'malformed', $break );
			$cases[ "user + $name" ]               = array( 'user', 'suffix', true, 400, 'malformed', $break );
			$cases[ "time + $name" ]               = array( 'time', 'suffix', true, 400, 'malformed', $break );
			$cases[ "duration + $name" ]           = array( 'duration', 'suffix', true, 400, 'malformed', $break );
			$cases[ "pass + $name" ]               = array( 'pass', 'suffix', false, 400, 'malformed', $break );
			$cases[ "method + $name" ]             = array( 'method', 'suffix', false, 403, 'wrong-method', $break );
			$cases[ "uri + $name" ]                = array( 'uri', 'suffix', false, 403, 'wrong-destination', $break );
			$cases[ "uri user part + $name" ]      = array( 'uri', 'user-part', false, 403, 'wrong-destination', $break );
			$cases[ "challenge realm + $name" ]    = array( 'challenge', 'realm', false, 0, '', $break );
			$cases[ "challenge nonce + $name" ]    = array( 'challenge', 'nonce', false, 0, '', $break );
			$cases[ "challenge opaque + $name" ]   = array( 'challenge', 'opaque', false, 0, '', $break );
			$cases[ "challenge trailing + $name" ] = array( 'challenge', 'suffix', false, 0, '', $break );
		}
		// A URL-encoded line break is not decoded in JSON; where the endpoint decodes (the uri's user part), it must
		// not match either.
		$cases['uri user part + %0a'] = array( 'uri', 'user-part', false, 403, 'wrong-destination', '%0a' );
		$cases['uri host + %0a']      = array( 'uri', 'suffix', false, 403, 'wrong-destination', '%0a' );
		$cases['destnumber + %0a']    = array( 'destnumber', 'suffix', true, 400, 'malformed', '%0a' );
		return $cases;
	}

	/**
	 * The endpoint refuses every field with a line break, and never answers with one.
	 *
	 * @dataProvider endpoint_fields
	 * @param string $field  Field.
	 * @param string $where  Where the break goes: suffix, suffix-uri (destnumber and the uri's user part),
	 *                       user-part (the uri's user part), realm, nonce, opaque (inside the challenge's value).
	 * @param bool   $resign Whether to sign the link again with the changed field.
	 * @param int    $status Expected status (0: any refusal, 400 or 403).
	 * @param string $code   Expected code ('' with status 0).
	 * @param string $break  The line break.
	 */
	public function test_endpoint_refuses_line_breaks( string $field, string $where, bool $resign, int $status, string $code, string $break ): void {
		$this->configure();
		$body = $this->body();
		switch ( $where ) {
			case 'suffix':
				$body[ $field ] .= $break;
				break;
			case 'suffix-uri':
				$body[ $field ] .= $break;
				$body['uri']     = 'sip:100' . rawurlencode( $break ) . '@127.0.0.1';
				break;
			case 'user-part':
				$body['uri'] = 'sip:100' . $break . '@127.0.0.1';
				break;
			default:
				$body['challenge'] = preg_replace( '/(' . $where . '=")([^"]*)"/', '$1$2' . $break . '"', $body['challenge'] );
		}
		if ( $resign ) {
			$body = $this->resign( $body );
		}
		$response = $this->post( $body );
		if ( 0 === $status ) {
			$this->assertContains( $response->get_status(), array( 400, 403 ) );
		} else {
			$this->assertSame( $status, $response->get_status() );
			$this->assertSame( array( 'code' => $code ), $response->get_data() );
		}
		$this->assertDoesNotMatchRegularExpression( '/[\r\n]/', (string) wp_json_encode( $response->get_data(), JSON_UNESCAPED_SLASHES ) . implode( '', $response->get_data() ) );
	}

	/**
	 * A raw query string as the popup page receives it, decoded as PHP decodes $_GET.
	 *
	 * @param string $query Query string (URL-encoded).
	 * @return array<string, string>
	 */
	private function get( string $query ): array {
		wp_parse_str( $query, $get );
		return vodia_call_popup_query( $get );
	}

	/**
	 * The popup page's query with %0a and %0d%0a: an unsigned number with a break is no number; a language with
	 * a break is no language; a signed field with a break makes the link unsigned (signed afresh, cleanly).
	 */
	public function test_popup_query_refuses_line_breaks(): void {
		$settings = $this->configure( array( 'lang' => 'en' ) );
		$this->make_post( '[vodia_call number="100"]' );
		foreach ( array( '%0a', '%0d%0a', '%0A' ) as $break ) {
			$this->assertSame( 400, vodia_call_popup_response( $this->get( "destnumber=100$break" ), $settings )['status'], "destnumber$break" );

			$response = vodia_call_popup_response( $this->get( "destnumber=100&lang=de$break" ), $settings );
			$this->assertSame( 302, $response['status'] );
			$this->assertStringNotContainsStringIgnoringCase( '%0a', $response['redirect'] );
			$this->assertStringNotContainsString( 'lang=de', $response['redirect'], "lang=de$break is no language" );

			$now    = time();
			$signed = vodia_call_sign_link( '100', '', $settings, $now );
			foreach ( array( 'time', 'duration' ) as $field ) {
				// A signature made over the field with the break in it: the format rule must refuse it.
				$link           = $signed;
				$link[ $field ] = $link[ $field ] . rawurldecode( $break );
				$link['pass']   = vodia_call_signature( $link['user'], self::PASSWORD, $link['destnumber'], $link['time'], $link['duration'] );
				$this->assertNotSame( '', vodia_call_check_link( $link, $settings, $now ), "$field$break" );
				$query    = http_build_query( $link, '', '&', PHP_QUERY_RFC3986 );
				$response = vodia_call_popup_response( $this->get( $query ), $settings, $now );
				$this->assertSame( 302, $response['status'], "$field$break: signed afresh, not served" );
				$this->assertStringNotContainsStringIgnoringCase( '%0a', $response['redirect'] );
			}
			foreach ( array( 'user', 'pass' ) as $field ) {
				$link           = $signed;
				$link[ $field ] = $link[ $field ] . rawurldecode( $break );
				$this->assertNotSame( '', vodia_call_check_link( $link, $settings, $now ), "$field$break" );
			}
		}
		// The page itself: no line break in its language.
		$html = vodia_call_popup_response( $this->get( http_build_query( vodia_call_sign_link( '100', '', $settings ) ) . '&lang=de%0a' ), $settings )['html'];
		$this->assertStringContainsString( '<html lang="en">', $html );
	}

	/**
	 * page and context (the binder's caller context) with %0a, %0d%0a and a raw break: dropped from the signing
	 * redirect, never carried into it; the call itself is still signed.
	 */
	public function test_caller_context_refuses_line_breaks(): void {
		$settings = $this->configure();
		foreach ( array( '%0a', '%0d%0a', '%0D', '%0A' ) as $break ) {
			foreach ( array( "page=https%3A%2F%2Fexample.com%2F$break", "page=https%3A%2F%2Fexample.com%2Fa{$break}b", "context=Sales$break", "context={$break}Sales", "context=Sa{$break}les" ) as $param ) {
				$response = vodia_call_popup_response( $this->get( "destnumber=100&$param" ), $settings );
				$this->assertSame( 302, $response['status'], $param );
				$this->assertStringNotContainsStringIgnoringCase( '%0a', $response['redirect'], $param );
				$this->assertStringNotContainsStringIgnoringCase( '%0d', $response['redirect'], $param );
				$this->assertDoesNotMatchRegularExpression( '/[\r\n]/', $response['redirect'], $param );
				$this->assertStringContainsString( '&pass=', $response['redirect'], $param );
			}
		}
		// Without a break they are carried: the test above would pass for a redirect that drops everything.
		$response = vodia_call_popup_response( $this->get( 'destnumber=100&page=https%3A%2F%2Fexample.com%2F&context=Sales' ), $settings );
		$this->assertStringEndsWith( '&page=https%3A%2F%2Fexample.com%2F&context=Sales', $response['redirect'] );
		// And the popup page's own context attribute never holds one.
		$this->assertStringContainsString( 'data-vodia-context="Sales us"', do_shortcode( "[vodia_call number=\"100\" context=\"Sales\r\nus\"]" ) );
	}

	/**
	 * The validators themselves.
	 */
	public function test_validators_refuse_a_final_line_break(): void {
		foreach ( self::BREAKS as $break ) {
			$this->assertFalse( vodia_call_is_valid_number( '100' . $break ) );
			$this->assertFalse( vodia_call_is_valid_lang( 'de' . $break ) );
			$this->assertFalse( vodia_call_is_canonical_uint( '1764153600' . $break ) );
			$this->assertFalse( vodia_call_uri_is_destination( 'sip:100@pbx.example.com' . $break, '100', 'pbx.example.com' ) );
			$this->assertFalse( vodia_call_is_loopback_host( '127.0.0.1' . $break ) );
		}
	}

	/**
	 * Shortcode attributes with a line break: the number and the language are trimmed or refused, never
	 * carried into the link.
	 */
	public function test_shortcode_attributes(): void {
		foreach ( array( "\n", "\r\n", '&#10;' ) as $break ) {
			$html = do_shortcode( '[vodia_call number="100' . $break . '" lang="de' . $break . '" label="Call' . $break . 'us"]' );
			$this->assertDoesNotMatchRegularExpression( '/%0a|%0d|data-[a-z-]+="[^"]*[\r\n]/i', $html, $html );
			foreach ( $this->links( $html ) as $a ) {
				$this->assertMatchesRegularExpression( '/\A[0-9+*#]{1,32}\z/', $a->getAttribute( 'data-vodia-call' ) );
				$this->assertDoesNotMatchRegularExpression( '/[\r\n]/', $a->getAttribute( 'href' ) );
			}
			$numbers = vodia_call_numbers_in_content( '[vodia_call number="101' . $break . '"]' );
			foreach ( $numbers as $number ) {
				$this->assertMatchesRegularExpression( '/\A[0-9+*#]{1,32}\z/', $number );
			}
		}
		$this->assertSame( array(), vodia_call_numbers_in_content( "[vodia_call number=\"1\n01\"]" ) );
	}

	/**
	 * Settings values with a line break: refused, or stored without it.
	 *
	 * @return array<string, array{0:string, 1:mixed}>
	 */
	public function settings_values(): array {
		$cases = array();
		foreach ( self::BREAKS as $name => $break ) {
			$cases[ "server $name" ]              = array( 'server', 'wss://pbx.example.com/ws' . $break );
			$cases[ "server inside $name" ]       = array( 'server', 'wss://pbx.example.com/' . $break . 'ws' );
			$cases[ "pbx_url $name" ]             = array( 'pbx_url', 'https://pbx.example.com' . $break );
			$cases[ "domain $name" ]              = array( 'domain', 'pbx.example.com' . $break );
			$cases[ "domain inside $name" ]       = array( 'domain', 'pbx' . $break . '.example.com' );
			$cases[ "extension $name" ]           = array( 'extension', '41' . $break );
			$cases[ "extension inside $name" ]    = array( 'extension', '4' . $break . '1' );
			$cases[ "password $name" ]            = array( 'password', 'a long password' . $break );
			$cases[ "turn secret $name" ]         = array( 'turn_secret', 'a long secret' . $break );
			$cases[ "duration $name" ]            = array( 'duration', '600' . $break );
			$cases[ "lang $name" ]                = array( 'lang', 'de' . $break );
			$cases[ "mode $name" ]                = array( 'mode', 'vodia' . $break );
			$cases[ "dtmf $name" ]                = array( 'dtmf', 'info' . $break );
			$cases[ "realm $name" ]               = array( 'realm', 'asterisk' . $break );
			$cases[ "realm inside $name" ]        = array( 'realm', 'aster' . $break . 'isk' );
			$cases[ "no-qop checkbox $name" ]     = array( 'accept_no_qop', '1' . $break );
			$cases[ "authors checkbox $name" ]    = array( 'allow_authors', '1' . $break );
			$cases[ "allowed numbers $name" ]     = array( 'allowed_numbers', '100' . $break . '+4930*' . $break );
			$cases[ "allowed number list $name" ] = array( 'allowed_numbers', array( '100' . $break ) );
			$cases[ "trusted proxies $name" ]     = array( 'trusted_proxies', '10.0.0.0/8' . $break . '192.0.2.1' . $break );
			$cases[ "trusted proxy list $name" ]  = array( 'trusted_proxies', array( '10.0.0.1' . $break ) );
			$cases[ "number limit $name" ]        = array( 'number_limit', '50' . $break );
			$cases[ "caller context $name" ]      = array( 'caller_context', '0' . $break );
			$cases[ "page query $name" ]          = array( 'page_query', '1' . $break );
			$cases[ "office hours $name" ]        = array( 'office_hours', '1' . $break );
			$cases[ "time zone $name" ]           = array( 'time_zone', 'Europe/Berlin' . $break );
			$cases[ "hours $name" ]               = array( 'hours_mon', '09:00-12:00' . $break );
			$cases[ "hours inside $name" ]        = array( 'hours_mon', '09:00' . $break . '-12:00' );
			$cases[ "hours list $name" ]          = array( 'hours_tue', array( '09:00-12:00' . $break ) );
			$cases[ "closed dates $name" ]        = array( 'closed_dates', '2026-12-24' . $break . '2026-12-31' . $break );
			$cases[ "closed date list $name" ]    = array( 'closed_dates', array( '2026-12-24' . $break ) );
			$cases[ "fallback url $name" ]        = array( 'fallback_url', 'https://example.com/contact' . $break );
			$cases[ "fallback url inside $name" ] = array( 'fallback_url', 'https://example.com/' . $break . 'contact' );
			$cases[ "fallback tel $name" ]        = array( 'fallback_tel', '+4930123456' . $break );
			$cases[ "fallback tel inside $name" ] = array( 'fallback_tel', '+4930' . $break . '123456' );
			$cases[ "ice server URL JSON $name" ] = array( 'ice_servers', wp_json_encode( array( array( 'urls' => 'stun:stun.example.com' . $break ) ) ) );
			$cases[ "ice user JSON $name" ]       = array(
				'ice_servers',
				wp_json_encode(
					array(
						array(
							'urls'       => 'turn:turn.example.com',
							'username'   => 'alice' . $break,
							'credential' => 'x',
						),
					)
				),
			);
			$cases[ "ice credential JSON $name" ] = array(
				'ice_servers',
				wp_json_encode(
					array(
						array(
							'urls'       => 'turn:turn.example.com',
							'username'   => 'alice',
							'credential' => 'x' . $break,
						),
					)
				),
			);
		}
		return $cases;
	}

	/**
	 * Whatever is stored holds no line break (a refused value keeps the previous one).
	 *
	 * @dataProvider settings_values
	 * @param string $field Field.
	 * @param mixed  $value Input.
	 */
	public function test_settings_store_no_line_break( string $field, $value ): void {
		$this->configure( array( 'pbx_url' => 'https://pbx.example.com' ) );
		update_option( VODIA_CALL_OPTION, array_merge( get_option( VODIA_CALL_OPTION ), array( $field => $value ) ) );
		$stored = get_option( VODIA_CALL_OPTION );
		array_walk_recursive(
			$stored,
			function ( $value, $key ) use ( $field ) {
				$this->assertDoesNotMatchRegularExpression( '/[\r\n]/', (string) $value, "$field: stored $key" );
			}
		);
		foreach ( array( 'password', 'turn_secret' ) as $secret ) {
			$this->assertDoesNotMatchRegularExpression( '/[\r\n]/', (string) vodia_call_decrypt( $stored[ $secret ] ) );
		}
	}

	/**
	 * Every anchored pattern in the plugin ends with \z or carries the D modifier: a "$" that also matches before
	 * a final "\n" is how "100\n" got through.
	 */
	public function test_no_pattern_ends_with_a_bare_dollar(): void {
		$files = array_merge( array( VODIA_CALL_FILE, VODIA_CALL_DIR . '/uninstall.php' ), glob( VODIA_CALL_DIR . '/includes/*.php' ), glob( VODIA_CALL_DIR . '/generated/*.php' ) );
		$found = 0;
		foreach ( $files as $file ) {
			$code = (string) file_get_contents( $file ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- reading our own source.
			// Single-quoted literals that look like a PCRE pattern: '/.../flags'.
			preg_match_all( "#'(/(?:[^'\\\\]|\\\\.)+/([a-zA-Z]*))'#", $code, $m, PREG_SET_ORDER );
			foreach ( $m as $literal ) {
				++$found;
				$pattern = $literal[1];
				$flags   = $literal[2];
				if ( preg_match( '/(?<!\\\\)\$/', substr( $pattern, 0, -1 - strlen( $flags ) ) ) ) {
					$this->assertStringContainsString( 'D', $flags, basename( $file ) . ": $pattern uses \$ without the D modifier; use \\z" );
				}
			}
		}
		$this->assertGreaterThan( 20, $found, 'the scan found the plugin\'s patterns' );
	}
}

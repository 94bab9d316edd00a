<?php
/**
 * The digest endpoint: POST /vodia-call/v1/authorize, through rest_do_request().
 *
 * @package VodiaClickToCall
 */

/**
 * Endpoint tests.
 */
class AuthorizeEndpointTest extends Vodia_Call_Test_Case {

	const CHALLENGE = 'Digest realm="127.0.0.1", nonce="aGVsbG8gd29ybGQ", qop="auth", opaque="0a4f113b", algorithm=MD5';


	/**
	 * Published content offers the numbers the requests here call: the endpoint answers only for those.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->offer( '100', '*97#' );
	}

	/**
	 * A valid request body for number 100, made now.
	 *
	 * @param array<string, mixed> $changes Fields to change or (null) remove.
	 * @return array<string, mixed>
	 */
	private function body( array $changes = array() ): array {
		$link = vodia_call_sign_link( '100', '', vodia_call_get_settings() );
		$body = array_merge(
			$link,
			array(
				'method'    => 'INVITE',
				'uri'       => 'sip:100@127.0.0.1',
				'status'    => 407,
				'challenge' => self::CHALLENGE,
			)
		);
		foreach ( $changes as $key => $value ) {
			if ( null === $value ) {
				unset( $body[ $key ] );
			} else {
				$body[ $key ] = $value;
			}
		}
		return $body;
	}

	/**
	 * Posts to the endpoint.
	 *
	 * @param mixed  $body         Body (encoded as JSON unless a string).
	 * @param string $content_type Content type.
	 */
	private function post( $body, string $content_type = 'application/json' ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', '/vodia-call/v1/authorize' );
		$request->set_header( 'Content-Type', $content_type );
		$request->set_body( is_string( $body ) ? $body : (string) wp_json_encode( $body ) );
		return rest_do_request( $request );
	}

	/**
	 * Parses a Digest header value into its parameters.
	 *
	 * @param string $value Header value.
	 * @return array<string, string>
	 */
	private function digest_params( string $value ): array {
		$this->assertStringStartsWith( 'Digest ', $value );
		preg_match_all( '/(\w+)=(?:"([^"]*)"|([^,\s]+))/', substr( $value, 7 ), $m, PREG_SET_ORDER );
		$out = array();
		foreach ( $m as $p ) {
			$out[ $p[1] ] = isset( $p[3] ) && '' !== $p[3] ? $p[3] : $p[2];
		}
		return $out;
	}

	/**
	 * A valid request gets the Proxy-Authorization answer for that INVITE (RFC 2617, qop=auth).
	 */
	public function test_valid_request_gets_digest_answer(): void {
		$this->configure();
		$response = $this->post( $this->body() );
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( array( 'header', 'value' ), array_keys( $data ) );
		$this->assertSame( 'Proxy-Authorization', $data['header'] );
		$p = $this->digest_params( $data['value'] );
		$this->assertSame( array( 'username', 'realm', 'nonce', 'uri', 'response', 'algorithm', 'cnonce', 'qop', 'nc', 'opaque' ), array_keys( $p ) );
		$this->assertSame( '40', $p['username'] );
		$this->assertSame( '127.0.0.1', $p['realm'] );
		$this->assertSame( 'aGVsbG8gd29ybGQ', $p['nonce'] );
		$this->assertSame( 'sip:100@127.0.0.1', $p['uri'] );
		$this->assertSame( 'MD5', $p['algorithm'] );
		$this->assertSame( 'auth', $p['qop'] );
		$this->assertSame( '00000001', $p['nc'] );
		$this->assertSame( '0a4f113b', $p['opaque'] );
		$ha1 = md5( '40:127.0.0.1:' . self::PASSWORD );
		$ha2 = md5( 'INVITE:sip:100@127.0.0.1' );
		$this->assertSame( md5( "$ha1:aGVsbG8gd29ybGQ:00000001:{$p['cnonce']}:auth:$ha2" ), $p['response'] );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );
		$this->assertStringNotContainsString( self::PASSWORD, wp_json_encode( $data ) );
	}

	/**
	 * A 401 challenge gets an Authorization header; a challenge without qop, where the administrator allows it,
	 * gets the RFC 2069 form, in the configured realm.
	 */
	public function test_401_without_qop(): void {
		$this->configure(
			array(
				'accept_no_qop' => true,
				'realm'         => 'pbx',
			)
		);
		$response = $this->post(
			$this->body(
				array(
					'status'    => 401,
					'challenge' => 'Digest realm="pbx", nonce="n0nce"',
				)
			)
		);
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'Authorization', $response->get_data()['header'] );
		$p = $this->digest_params( $response->get_data()['value'] );
		$this->assertSame( array( 'username', 'realm', 'nonce', 'uri', 'response', 'algorithm' ), array_keys( $p ) );
		$this->assertSame( md5( md5( '40:pbx:' . self::PASSWORD ) . ':n0nce:' . md5( 'INVITE:sip:100@127.0.0.1' ) ), $p['response'] );
	}

	/**
	 * Challenges offering several qop values, unquoted parameters, other case.
	 *
	 * @return array<string, array{0:string}>
	 */
	public function accepted_challenges(): array {
		return array(
			'qop list auth,auth-int' => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth,auth-int"' ),
			'lower-case scheme'      => array( 'digest realm="127.0.0.1", nonce="n", qop=auth, algorithm=md5' ),
			'no opaque'              => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", algorithm=MD5' ),
			'stale flag'             => array( 'Digest realm="127.0.0.1", nonce="n", stale=true, qop="auth"' ),
		);
	}

	/**
	 * These challenges are answered.
	 *
	 * @dataProvider accepted_challenges
	 * @param string $challenge Challenge.
	 */
	public function test_accepted_challenges( string $challenge ): void {
		$this->configure();
		$this->assertSame( 200, $this->post( $this->body( array( 'challenge' => $challenge ) ) )->get_status() );
	}

	/**
	 * Malformed or unsupported requests: 400 malformed.
	 *
	 * @return array<string, array{0:mixed}>
	 */
	public function malformed(): array {
		$cases = array(
			'not JSON'                   => array( 'destnumber=100' ),
			'JSON string'                => array( '"hello"' ),
			'empty body'                 => array( '' ),
			'status 200'                 => array( array( 'status' => 200 ) ),
			'status as string'           => array( array( 'status' => '407' ) ),
			'time as number'             => array( array( 'time' => 1764153600 ) ),
			'challenge not Digest'       => array( array( 'challenge' => 'Basic realm="x"' ) ),
			'challenge without nonce'    => array( array( 'challenge' => 'Digest realm="x", qop="auth"' ) ),
			'challenge without realm'    => array( array( 'challenge' => 'Digest nonce="x"' ) ),
			'challenge with empty nonce' => array( array( 'challenge' => 'Digest realm="127.0.0.1", nonce="", qop="auth"' ) ),
			'CRLF in nonce'              => array( array( 'challenge' => "Digest realm=\"r\", nonce=\"n\r\nVia: x\"" ) ),
			'garbage after params'       => array( array( 'challenge' => 'Digest realm="r", nonce="n" !!' ) ),
			'duplicate realm'            => array( array( 'challenge' => 'Digest realm="r", realm="s", nonce="n"' ) ),
			'oversized field'            => array( array( 'uri' => 'sip:' . str_repeat( '1', 3000 ) . '@127.0.0.1' ) ),
		);
		foreach ( array( 'destnumber', 'user', 'pass', 'time', 'duration', 'method', 'uri', 'status', 'challenge' ) as $field ) {
			$cases[ "missing $field" ]  = array( array( $field => null ) );
			$cases[ "$field as array" ] = array( array( $field => array( 'x' ) ) );
		}
		return $cases;
	}

	/**
	 * Each gets 400 malformed.
	 *
	 * @dataProvider malformed
	 * @param mixed $changes Raw body (string) or changes to a valid body.
	 */
	public function test_malformed( $changes ): void {
		$this->configure();
		$response = $this->post( is_string( $changes ) ? $changes : $this->body( $changes ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( array( 'code' => 'malformed' ), $response->get_data() );
	}

	/**
	 * Link problems: 403 with the rule's code. Each changed field keeps the original signature unless noted.
	 *
	 * @return array<string, array{0:callable, 1:string}>
	 */
	public function rejected_links(): array {
		$now    = time();
		$resign = function ( array $b ) {
			$b['pass'] = vodia_call_signature( $b['user'], self::PASSWORD, $b['destnumber'], $b['time'], $b['duration'] );
			return $b;
		};
		return array(
			'tampered destnumber'            => array( fn( $b ) => array_merge( $b, array( 'destnumber' => '101', 'uri' => 'sip:101@127.0.0.1' ) ), 'bad-signature' ),
			'tampered user'                  => array( fn( $b ) => array_merge( $b, array( 'user' => '41@127.0.0.1' ) ), 'bad-signature' ),
			'tampered pass'                  => array( fn( $b ) => array_merge( $b, array( 'pass' => md5( 'x' ) ) ), 'bad-signature' ),
			'tampered time'                  => array( fn( $b ) => array_merge( $b, array( 'time' => (string) ( (int) $b['time'] + 1 ) ) ), 'bad-signature' ),
			'tampered duration'              => array( fn( $b ) => array_merge( $b, array( 'duration' => '3599' ) ), 'bad-signature' ),
			'user without domain'            => array( fn( $b ) => $resign( array_merge( $b, array( 'user' => '40' ) ) ), 'bad-signature' ),
			'expired'                        => array( fn( $b ) => $resign( array_merge( $b, array( 'time' => (string) ( $now - 3601 ) ) ) ), 'expired' ),
			'future'                         => array( fn( $b ) => $resign( array_merge( $b, array( 'time' => (string) ( $now + 1000 ) ) ) ), 'future' ),
			'too long'                       => array( fn( $b ) => $resign( array_merge( $b, array( 'duration' => '86400' ) ) ), 'too-long' ),
			'digit slide duration into time' => array(
				fn( $b ) => array_merge(
					$b,
					array(
						'time'     => $b['time'] . '3',
						'duration' => '600',
					)
				),
				'future',
			),
			'wrong method BYE'               => array( fn( $b ) => array_merge( $b, array( 'method' => 'BYE' ) ), 'wrong-method' ),
			'wrong method REGISTER'          => array( fn( $b ) => array_merge( $b, array( 'method' => 'REGISTER', 'uri' => 'sip:127.0.0.1' ) ), 'wrong-method' ),
			'wrong method lower-case'        => array( fn( $b ) => array_merge( $b, array( 'method' => 'invite' ) ), 'wrong-method' ),
			'uri other number'               => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:101@127.0.0.1' ) ), 'wrong-destination' ),
			'uri number prefix'              => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:1000@127.0.0.1' ) ), 'wrong-destination' ),
			'uri other domain'               => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:100@evil.example.com' ) ), 'wrong-destination' ),
			'uri with port'                  => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:100@127.0.0.1:5060' ) ), 'wrong-destination' ),
			'uri with transport param'       => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:100@127.0.0.1;transport=ws' ) ), 'wrong-destination' ),
			'uri with maddr param'           => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:100@127.0.0.1;maddr=evil.example.com' ) ), 'wrong-destination' ),
			'uri with headers'               => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:100@127.0.0.1?Route=x' ) ), 'wrong-destination' ),
			'uri sips'                       => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sips:100@127.0.0.1' ) ), 'wrong-destination' ),
			'uri tel'                        => array( fn( $b ) => array_merge( $b, array( 'uri' => 'tel:100' ) ), 'wrong-destination' ),
			'uri without user'               => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:127.0.0.1' ) ), 'wrong-destination' ),
			'uri with two @'                 => array( fn( $b ) => array_merge( $b, array( 'uri' => 'sip:100@evil@127.0.0.1' ) ), 'wrong-destination' ),
		);
	}

	/**
	 * Each gets 403 with its code.
	 *
	 * @dataProvider rejected_links
	 * @param callable $change   Changes a valid body.
	 * @param string   $expected Code.
	 */
	public function test_rejected( callable $change, string $expected ): void {
		$this->configure();
		$response = $this->post( $change( $this->body() ) );
		$this->assertSame( 403, $response->get_status() );
		$this->assertSame( array( 'code' => $expected ), $response->get_data() );
	}

	/**
	 * Link fields in no valid shape (docs/design.md §2.1, §2.4): 400 malformed, as for any other malformed field,
	 * even when signed over the broken value. Each changed field keeps the original signature unless noted.
	 *
	 * @return array<string, array{0:callable}>
	 */
	public function malformed_links(): array {
		$resign = function ( array $b ) {
			$b['pass'] = vodia_call_signature( $b['user'], self::PASSWORD, $b['destnumber'], $b['time'], $b['duration'] );
			return $b;
		};
		return array(
			'pass not hex'                 => array( fn( $b ) => array_merge( $b, array( 'pass' => str_repeat( 'z', 32 ) ) ) ),
			'pass upper-case'              => array( fn( $b ) => array_merge( $b, array( 'pass' => strtoupper( $b['pass'] ) ) ) ),
			'time with leading zero'       => array( fn( $b ) => $resign( array_merge( $b, array( 'time' => '0' . $b['time'] ) ) ) ),
			'destnumber not a number'      => array( fn( $b ) => $resign( array_merge( $b, array( 'destnumber' => '100@evil' ) ) ) ),
			'user with a space'            => array( fn( $b ) => $resign( array_merge( $b, array( 'user' => '40 @127.0.0.1' ) ) ) ),
			'digit slide number into time' => array(
				fn( $b ) => array_merge(
					$b,
					array(
						'destnumber' => '10',
						'time'       => '0' . $b['time'],
						'uri'        => 'sip:10@127.0.0.1',
					)
				),
			),
		);
	}

	/**
	 * Each gets 400 malformed.
	 *
	 * @dataProvider malformed_links
	 * @param callable $change Changes a valid body.
	 */
	public function test_malformed_link( callable $change ): void {
		$this->configure();
		$response = $this->post( $change( $this->body() ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( array( 'code' => 'malformed' ), $response->get_data() );
	}

	/**
	 * The URI's user part may be percent-escaped (# must be); host case does not matter.
	 */
	public function test_uri_forms_accepted(): void {
		$settings = $this->configure();
		$link     = vodia_call_sign_link( '*97#', '', $settings );
		$body     = array_merge(
			$link,
			array(
				'method'    => 'INVITE',
				'uri'       => 'sip:*97%23@127.0.0.1',
				'status'    => 407,
				'challenge' => self::CHALLENGE,
			)
		);
		$this->assertSame( 200, $this->post( $body )->get_status() );
		$this->assertTrue( vodia_call_uri_is_destination( 'sip:100@PBX.Example.com', '100', 'pbx.example.com' ) );
		$this->assertTrue( vodia_call_uri_is_destination( 'sip:+4930@pbx.example.com', '+4930', 'pbx.example.com' ) );
		// A bracketed IPv6 SIP domain, as the settings take it; still no port.
		$this->assertTrue( vodia_call_uri_is_destination( 'sip:100@[2001:DB8::1]', '100', '[2001:db8::1]' ) );
		$this->assertFalse( vodia_call_uri_is_destination( 'sip:100@[2001:db8::1]:5060', '100', '[2001:db8::1]' ) );
		$this->assertFalse( vodia_call_uri_is_destination( 'sip:100@2001:db8::1', '100', '[2001:db8::1]' ) );
	}

	/**
	 * The rate limit counts every request per address; another address has its own budget.
	 */
	public function test_rate_limit(): void {
		$this->configure();
		$this->add_test_filter(
			'vodia_call_rate_limit',
			function () {
				return array(
					'requests' => 3,
					'window'   => 60,
				);
			}
		);
		$_SERVER['REMOTE_ADDR'] = '192.0.2.1';
		$this->assertSame( 200, $this->post( $this->body() )->get_status() );
		$this->assertSame( 403, $this->post( $this->body( array( 'method' => 'BYE' ) ) )->get_status() );
		$this->assertSame( 400, $this->post( 'x' )->get_status() );
		$limited = $this->post( $this->body() );
		$this->assertSame( 429, $limited->get_status() );
		$this->assertSame( array( 'code' => 'rate-limited' ), $limited->get_data() );
		$_SERVER['REMOTE_ADDR'] = '192.0.2.2';
		$this->assertSame( 200, $this->post( $this->body() )->get_status() );
	}

	/**
	 * Addresses and what the rate limit counts them as.
	 *
	 * @return array<string, array{0:string, 1:string}>
	 */
	public function rate_limit_groups(): array {
		return array(
			'IPv4 per address'                     => array( '192.0.2.1', '192.0.2.1' ),
			'IPv4 neighbour is another client'     => array( '192.0.2.2', '192.0.2.2' ),
			'IPv6 counts per /64'                  => array( '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64' ),
			'IPv6 same /64, other interface id'    => array( '2001:db8:1:2::1', '2001:db8:1:2::/64' ),
			'IPv6 written in full, upper case'     => array( '2001:0DB8:0001:0002:0000:0000:0000:0001', '2001:db8:1:2::/64' ),
			'IPv6 next /64 is another client'      => array( '2001:db8:1:3::1', '2001:db8:1:3::/64' ),
			'IPv6 loopback'                        => array( '::1', '::/64' ),
			'IPv4-mapped IPv6 counts as its IPv4'  => array( '::ffff:192.0.2.1', '192.0.2.1' ),
			'IPv4-mapped IPv6 in hex'              => array( '::ffff:c000:201', '192.0.2.1' ),
			'IPv4-mapped IPv6 written in full'     => array( '0:0:0:0:0:ffff:192.0.2.1', '192.0.2.1' ),
			'not IPv4-mapped: ::fffe:...'          => array( '::fffe:c000:201', '::/64' ),
			'surrounding spaces'                   => array( ' 192.0.2.1 ', '192.0.2.1' ),
			'unparsable counts as itself'          => array( 'proxy-client-7', 'proxy-client-7' ),
			'zone id: not an address, as itself'   => array( 'fe80::1%eth0', 'fe80::1%eth0' ),
			'empty'                                => array( '', '' ),
		);
	}

	/**
	 * IPv6 clients count per /64 prefix, IPv4 ones per address.
	 *
	 * @dataProvider rate_limit_groups
	 * @param string $ip    Address.
	 * @param string $group What the limit counts it as.
	 */
	public function test_rate_limit_group( string $ip, string $group ): void {
		$this->assertSame( $group, vodia_call_rate_limit_group( $ip ) );
	}

	/**
	 * Rotating through a /64 does not buy more tries; another /64 has its own budget; an IPv4 client reaching
	 * a dual-stack server shares its budget between both spellings of its address.
	 */
	public function test_rate_limit_shared_by_ipv6_prefix(): void {
		$this->add_test_filter(
			'vodia_call_rate_limit',
			function () {
				return array(
					'requests' => 2,
					'window'   => 60,
				);
			}
		);
		$this->assertTrue( vodia_call_rate_limit_allows( '2001:db8:5:6::1' ) );
		$this->assertTrue( vodia_call_rate_limit_allows( '2001:db8:5:6::2' ) );
		$this->assertFalse( vodia_call_rate_limit_allows( '2001:db8:5:6:ffff:ffff:ffff:fffe' ) );
		$this->assertTrue( vodia_call_rate_limit_allows( '2001:db8:5:7::1' ) );

		$this->assertTrue( vodia_call_rate_limit_allows( '198.51.100.7' ) );
		$this->assertTrue( vodia_call_rate_limit_allows( '::ffff:198.51.100.7' ) );
		$this->assertFalse( vodia_call_rate_limit_allows( '198.51.100.7' ) );
		$this->assertTrue( vodia_call_rate_limit_allows( '198.51.100.8' ) );
	}

	/**
	 * The default limit allows a normal visitor's calls.
	 */
	public function test_default_limit_allows_several_calls(): void {
		$this->configure();
		for ( $i = 0; $i < 10; $i++ ) {
			$this->assertSame( 200, $this->post( $this->body() )->get_status() );
		}
	}

	/**
	 * In vodia mode the PBX checks links itself; this endpoint answers nothing.
	 */
	public function test_disabled_in_vodia_mode(): void {
		$this->configure(
			array(
				'mode'    => 'vodia',
				'pbx_url' => 'https://pbx.example.com',
			)
		);
		$response = $this->post( $this->body() );
		$this->assertSame( 403, $response->get_status() );
		$this->assertSame( array( 'code' => 'disabled' ), $response->get_data() );
	}

	/**
	 * Without a stored password nothing is signed or answered.
	 */
	public function test_not_configured(): void {
		delete_option( VODIA_CALL_OPTION );
		$this->assertSame( 503, $this->post( array( 'x' => 1 ) )->get_status() );
	}

	/**
	 * The route is public (the signature is the authorization) and POST only.
	 */
	public function test_route_is_public_post_only(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( '/vodia-call/v1/authorize', $routes );
		$this->assertSame( array( 'POST' => true ), $routes['/vodia-call/v1/authorize'][0]['methods'] );
		$this->assertSame( '__return_true', $routes['/vodia-call/v1/authorize'][0]['permission_callback'] );
		$this->configure();
		$this->assertSame( 404, rest_do_request( new WP_REST_Request( 'GET', '/vodia-call/v1/authorize' ) )->get_status() );
	}
}

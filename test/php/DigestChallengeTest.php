<?php
/**
 * Which digest challenges the endpoint answers. Without qop the answer md5(HA1:nonce:HA2) equals the
 * MD5-sess session key for that nonce with cnonce = HA2, so a PBX that accepted a client-chosen MD5-sess would
 * accept requests keyed with it for any number and method. So: qop=auth offered, algorithm MD5 (or none), the
 * configured realm, and a nonce and opaque that hold no ":", quote, backslash or control character; challenges
 * without qop only when the administrator allows them, and then never MD5-sess either.
 *
 * @package VodiaClickToCall
 */

/**
 * Challenge rules.
 */
class DigestChallengeTest extends Vodia_Call_Test_Case {


	/**
	 * Published content offers the numbers the requests here call: the endpoint answers only for those.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->offer( '100' );
	}

	/**
	 * A valid request body for number 100, signed now, answering a challenge.
	 *
	 * @param string $challenge Challenge.
	 * @return array<string, mixed>
	 */
	private function body( string $challenge ): array {
		return array_merge(
			vodia_call_sign_link( '100', '', vodia_call_get_settings() ),
			array(
				'method'    => 'INVITE',
				'uri'       => 'sip:100@127.0.0.1',
				'status'    => 401,
				'challenge' => $challenge,
			)
		);
	}

	/**
	 * Posts a challenge to the endpoint.
	 *
	 * @param string $challenge Challenge.
	 */
	private function post( string $challenge ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', '/vodia-call/v1/authorize' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( (string) wp_json_encode( $this->body( $challenge ) ) );
		return rest_do_request( $request );
	}

	/**
	 * The parameters of a Digest answer.
	 *
	 * @param string $value Header value.
	 * @return array<string, string>
	 */
	private function params( string $value ): array {
		preg_match_all( '/(\w+)=(?:"([^"]*)"|([^,\s]+))/', substr( $value, 7 ), $m, PREG_SET_ORDER );
		$out = array();
		foreach ( $m as $p ) {
			$out[ $p[1] ] = isset( $p[3] ) && '' !== $p[3] ? $p[3] : $p[2];
		}
		return $out;
	}

	/**
	 * Challenges refused whatever the settings, and their codes.
	 *
	 * @return array<string, array{0:string, 1:string}>
	 */
	public function always_refused(): array {
		return array(
			'MD5-sess with qop'          => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", algorithm=MD5-sess', 'bad-algorithm' ),
			'MD5-sess lower case'        => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", algorithm=md5-sess', 'bad-algorithm' ),
			'MD5-sess quoted'            => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", algorithm="MD5-sess"', 'bad-algorithm' ),
			'MD5-sess without qop'       => array( 'Digest realm="127.0.0.1", nonce="n", algorithm=MD5-sess', 'bad-algorithm' ),
			'SHA-256'                    => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", algorithm=SHA-256', 'bad-algorithm' ),
			'SHA-512-256-sess'           => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", algorithm=SHA-512-256-sess', 'bad-algorithm' ),
			'empty algorithm'            => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", algorithm=""', 'bad-algorithm' ),
			'qop auth-int only'          => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth-int"', 'qop-required' ),
			'qop empty'                  => array( 'Digest realm="127.0.0.1", nonce="n", qop=""', 'qop-required' ),
			'qop authx'                  => array( 'Digest realm="127.0.0.1", nonce="n", qop="authx"', 'qop-required' ),
			'another realm'              => array( 'Digest realm="pbx", nonce="n", qop="auth"', 'wrong-realm' ),
			'realm with trailing space'  => array( 'Digest realm="127.0.0.1 ", nonce="n", qop="auth"', 'wrong-realm' ),
			'realm with quote'           => array( 'Digest realm="127.0.0.1\\", evil=\\"x", nonce="n", qop="auth"', 'wrong-realm' ),
			'empty realm'                => array( 'Digest realm="", nonce="n", qop="auth"', 'wrong-realm' ),
			'nonce with colon'           => array( 'Digest realm="127.0.0.1", nonce="abc:00000001:def", qop="auth"', 'bad-nonce' ),
			'nonce with quote'           => array( 'Digest realm="127.0.0.1", nonce="ab\\"c", qop="auth"', 'bad-nonce' ),
			'nonce with backslash'       => array( 'Digest realm="127.0.0.1", nonce="ab\\\\c", qop="auth"', 'bad-nonce' ),
			'nonce with tab'             => array( "Digest realm=\"127.0.0.1\", nonce=\"ab\tc\", qop=\"auth\"", 'bad-nonce' ),
			'nonce with non-ASCII'       => array( 'Digest realm="127.0.0.1", nonce="abé", qop="auth"', 'bad-nonce' ),
			'unquoted nonce with colon'  => array( 'Digest realm="127.0.0.1", nonce=ab:cd, qop="auth"', 'bad-nonce' ),
			'opaque with colon'          => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", opaque="0a:4f"', 'bad-opaque' ),
			'opaque with quote'          => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", opaque="0a\\"4f"', 'bad-opaque' ),
			'opaque with backslash'      => array( 'Digest realm="127.0.0.1", nonce="n", qop="auth", opaque="0a\\\\4f"', 'bad-opaque' ),
			'opaque with tab'            => array( "Digest realm=\"127.0.0.1\", nonce=\"n\", qop=\"auth\", opaque=\"0a\t4f\"", 'bad-opaque' ),
			'no qop, colon in the nonce' => array( 'Digest realm="127.0.0.1", nonce="n:x"', 'bad-nonce' ),
			'no qop, another realm'      => array( 'Digest realm="pbx", nonce="n"', 'wrong-realm' ),
			'no qop, opaque with colon'  => array( 'Digest realm="127.0.0.1", nonce="n", opaque="a:b"', 'bad-opaque' ),
		);
	}

	/**
	 * Each is refused with 403 and its code, by default and with challenges without qop allowed.
	 *
	 * @dataProvider always_refused
	 * @param string $challenge Challenge.
	 * @param string $code      Code.
	 */
	public function test_always_refused( string $challenge, string $code ): void {
		foreach ( array( false, true ) as $accept_no_qop ) {
			$this->configure( array( 'accept_no_qop' => $accept_no_qop ) );
			$response = $this->post( $challenge );
			$this->assertSame( 403, $response->get_status(), $accept_no_qop ? 'no-qop challenges allowed' : 'default' );
			$this->assertSame( array( 'code' => $code ), $response->get_data() );
		}
	}

	/**
	 * By default a challenge without qop is refused: its answer would be an MD5-sess session key.
	 */
	public function test_challenge_without_qop_is_refused_by_default(): void {
		$settings = $this->configure();
		$this->assertFalse( $settings['accept_no_qop'] );
		foreach ( array( 'Digest realm="127.0.0.1", nonce="n0nce"', 'Digest realm="127.0.0.1", nonce="n0nce", algorithm=MD5', 'Digest realm="127.0.0.1", nonce="n0nce", opaque="o"' ) as $challenge ) {
			$response = $this->post( $challenge );
			$this->assertSame( 403, $response->get_status(), $challenge );
			$this->assertSame( array( 'code' => 'qop-required' ), $response->get_data() );
		}
	}

	/**
	 * Allowed by the administrator, a challenge without qop gets the RFC 2069 answer (MD5, never MD5-sess).
	 */
	public function test_challenge_without_qop_when_allowed(): void {
		$this->configure( array( 'accept_no_qop' => '1' ) );
		$response = $this->post( 'Digest realm="127.0.0.1", nonce="n0nce", opaque="o"' );
		$this->assertSame( 200, $response->get_status() );
		$p = $this->params( $response->get_data()['value'] );
		$this->assertSame( array( 'username', 'realm', 'nonce', 'uri', 'response', 'algorithm', 'opaque' ), array_keys( $p ) );
		$this->assertSame( 'MD5', $p['algorithm'] );
		$this->assertSame( md5( md5( '40:127.0.0.1:' . self::PASSWORD ) . ':n0nce:' . md5( 'INVITE:sip:100@127.0.0.1' ) ), $p['response'] );
	}

	/**
	 * A qop list with auth in it is answered with qop=auth; so the answer is never md5(HA1:nonce:HA2), the
	 * session key an MD5-sess request with cnonce = HA2 would be signed with.
	 *
	 * @return array<string, array{0:string}>
	 */
	public function answered(): array {
		return array(
			'qop auth'                  => array( 'Digest realm="127.0.0.1", nonce="n0nce", qop="auth"' ),
			'qop auth, MD5'             => array( 'Digest realm="127.0.0.1", nonce="n0nce", qop="auth", algorithm=MD5' ),
			'qop list auth-int,auth'    => array( 'Digest realm="127.0.0.1", nonce="n0nce", qop="auth-int, auth"' ),
			'qop upper case'            => array( 'Digest realm="127.0.0.1", nonce="n0nce", qop="AUTH"' ),
			'unquoted qop, lower md5'   => array( 'digest realm="127.0.0.1", nonce="n0nce", qop=auth, algorithm=md5' ),
			'base64 nonce and opaque'   => array( 'Digest realm="127.0.0.1", nonce="aGVsbG8/d29y+bGQ=", qop="auth", opaque="Zm9v/YmFy="' ),
			'nonce with spaces, dashes' => array( 'Digest realm="127.0.0.1", nonce="n0 nce-1_2.3", qop="auth"' ),
		);
	}

	/**
	 * Each is answered with qop=auth and a response that is not the session key.
	 *
	 * @dataProvider answered
	 * @param string $challenge Challenge.
	 */
	public function test_answered_with_qop_auth( string $challenge ): void {
		$this->configure();
		$response = $this->post( $challenge );
		$this->assertSame( 200, $response->get_status() );
		$p     = $this->params( $response->get_data()['value'] );
		$nonce = $p['nonce'];
		$ha1   = md5( '40:127.0.0.1:' . self::PASSWORD );
		$ha2   = md5( 'INVITE:sip:100@127.0.0.1' );
		$this->assertSame( 'auth', $p['qop'] );
		$this->assertSame( 'MD5', $p['algorithm'] );
		$this->assertSame( md5( "$ha1:$nonce:{$p['nc']}:{$p['cnonce']}:auth:$ha2" ), $p['response'] );
		$this->assertNotSame( md5( "$ha1:$nonce:$ha2" ), $p['response'] );
	}

	/**
	 * The realm is the SIP domain unless the setting names another (Asterisk's default is "asterisk").
	 */
	public function test_realm_setting(): void {
		$settings = $this->configure( array( 'realm' => 'asterisk' ) );
		$this->assertSame( 'asterisk', $settings['realm'] );
		$this->assertSame( 'asterisk', vodia_call_digest_realm( $settings ) );
		$response = $this->post( 'Digest realm="asterisk", nonce="n0nce", qop="auth"' );
		$this->assertSame( 200, $response->get_status() );
		$p = $this->params( $response->get_data()['value'] );
		$this->assertSame( md5( md5( '40:asterisk:' . self::PASSWORD ) . ":n0nce:{$p['nc']}:{$p['cnonce']}:auth:" . md5( 'INVITE:sip:100@127.0.0.1' ) ), $p['response'] );
		$this->assertSame( array( 'code' => 'wrong-realm' ), $this->post( 'Digest realm="127.0.0.1", nonce="n0nce", qop="auth"' )->get_data() );

		$settings = $this->configure( array( 'realm' => '' ) );
		$this->assertSame( '127.0.0.1', vodia_call_digest_realm( $settings ) );
		$this->assertSame( array( 'code' => 'wrong-realm' ), $this->post( 'Digest realm="asterisk", nonce="n0nce", qop="auth"' )->get_data() );
	}

	/**
	 * The two settings: defaults, and what they accept.
	 */
	public function test_settings_defaults_and_cleaning(): void {
		$defaults = vodia_call_default_settings();
		$this->assertSame( '', $defaults['realm'] );
		$this->assertFalse( $defaults['accept_no_qop'] );

		$good = array(
			array( 'realm', ' Asterisk PBX ', 'Asterisk PBX' ),
			array( 'realm', 'sip.example.com', 'sip.example.com' ),
			array( 'realm', '', '' ),
			array( 'realm', "asterisk\r\n", 'asterisk' ),
			array( 'accept_no_qop', '1', true ),
			array( 'accept_no_qop', '0', false ),
			array( 'accept_no_qop', true, true ),
			array( 'accept_no_qop', false, false ),
			array( 'accept_no_qop', '', false ),
		);
		foreach ( $good as list( $field, $input, $expected ) ) {
			$errors = array();
			$this->assertSame( $expected, vodia_call_clean_settings( array( $field => $input ), vodia_call_default_settings(), $errors )[ $field ], "$field: " . var_export( $input, true ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions -- naming the case.
			$this->assertSame( array(), $errors );
		}
		$bad = array(
			array( 'realm', 'a"b' ),
			array( 'realm', 'a\\b' ),
			array( 'realm', "aster\tisk" ),
			array( 'realm', str_repeat( 'r', 129 ) ),
			array( 'realm', 'réalm' ),
			array( 'realm', array( 'x' ) ),
			array( 'accept_no_qop', 'yes' ),
			array( 'accept_no_qop', "1\n" ),
			array( 'accept_no_qop', array( '1' ) ),
		);
		foreach ( $bad as list( $field, $input ) ) {
			$errors = array();
			vodia_call_clean_settings( array( $field => $input ), vodia_call_default_settings(), $errors );
			$this->assertArrayHasKey( $field, $errors, "$field: " . wp_json_encode( $input ) );
		}
	}

	/**
	 * The settings page offers both, the checkbox off by default, with what each means; unticking it saves false.
	 */
	public function test_settings_page_fields(): void {
		$this->configure();
		$html = $this->settings_page_html();
		$this->assertMatchesRegularExpression( '/<input type="hidden" name="vodia_call_settings\[accept_no_qop\]" value="0">\s*<input type="checkbox" id="vodia_call_accept_no_qop" name="vodia_call_settings\[accept_no_qop\]" value="1">/', $html );
		$this->assertStringContainsString( 'MD5-sess', $html );
		$this->assertMatchesRegularExpression( '/<input type="text"[^>]*id="vodia_call_realm" name="vodia_call_settings\[realm\]" value=""/', $html );

		update_option( VODIA_CALL_OPTION, array_merge( get_option( VODIA_CALL_OPTION ), array( 'accept_no_qop' => '1' ) ) );
		$this->assertTrue( vodia_call_get_settings()['accept_no_qop'] );
		update_option( VODIA_CALL_OPTION, array_merge( get_option( VODIA_CALL_OPTION ), array( 'accept_no_qop' => '0' ) ) );
		$this->assertFalse( vodia_call_get_settings()['accept_no_qop'] );
	}
}

<?php
/**
 * The popup asks "Call N?" before dialling a signed link when the page that opened it (document.referrer) is
 * neither its own origin nor one of the config's trustedOrigins. So the popup page's config names the
 * site's own origin, where the popup's config parser accepts it (https://, or http:// on loopback), and the
 * redirect that signs the link keeps the opening page as the referrer.
 *
 * @package VodiaClickToCall
 */

/**
 * Trusted origin tests.
 */
class TrustedOriginTest extends Vodia_Call_Test_Case {

	/**
	 * Site addresses and the origin the popup may trust, or null when it must be left out (the popup's parser
	 * would refuse the whole config over an origin it does not accept exactly as written).
	 *
	 * @return array<string, array{0:string, 1:string|null}>
	 */
	public function home_urls(): array {
		return array(
			'https'                        => array( 'https://www.example.com', 'https://www.example.com' ),
			'https with path'              => array( 'https://www.example.com/blog/', 'https://www.example.com' ),
			'https default port dropped'   => array( 'https://www.example.com:443/', 'https://www.example.com' ),
			'https other port kept'        => array( 'https://www.example.com:8443', 'https://www.example.com:8443' ),
			'host lower-cased'             => array( 'https://WWW.Example.COM', 'https://www.example.com' ),
			'punycode host'                => array( 'https://xn--bcher-kva.example', 'https://xn--bcher-kva.example' ),
			'https IPv4'                   => array( 'https://192.0.2.10', 'https://192.0.2.10' ),
			'https IPv6'                   => array( 'https://[2001:db8::1]:8443', 'https://[2001:db8::1]:8443' ),
			'http on 127.0.0.1'            => array( 'http://127.0.0.1:18280', 'http://127.0.0.1:18280' ),
			'http on 127.0.0.1, port 80'   => array( 'http://127.0.0.1:80/', 'http://127.0.0.1' ),
			'http on localhost'            => array( 'http://localhost/wp', 'http://localhost' ),
			'http on [::1]'                => array( 'http://[::1]:8080', 'http://[::1]:8080' ),
			'plain http elsewhere'         => array( 'http://www.example.com', null ),
			'plain http on a LAN address'  => array( 'http://192.168.1.20', null ),
			'IPv6 not in canonical form'   => array( 'https://[2001:0db8::1]', null ),
			'IPv4 not in canonical form'   => array( 'https://127.1', null ),
			'IPv4 with a leading zero'     => array( 'https://192.0.2.010', null ),
			'non-ASCII host'               => array( 'https://bücher.example', null ),
			'trailing dot'                 => array( 'https://www.example.com.', null ),
			'numeric last label'           => array( 'https://www.example.123', null ),
			'not http'                     => array( 'ftp://www.example.com', null ),
			'credentials'                  => array( 'https://u:p@www.example.com', null ),
		);
	}

	/**
	 * The origin, or none.
	 *
	 * @dataProvider home_urls
	 * @param string      $url      Site address.
	 * @param string|null $expected Origin.
	 */
	public function test_trusted_origin( string $url, ?string $expected ): void {
		$this->assertSame( $expected, vodia_call_trusted_origin( $url ) );
	}

	/**
	 * The popup page's config: the site's origin as trustedOrigins when https:// or loopback http://, and no
	 * trustedOrigins key at all otherwise.
	 */
	public function test_popup_config_names_the_site(): void {
		$settings = $this->configure();
		// The test site itself: http on 127.0.0.1.
		$origin = 'http://' . wp_parse_url( home_url(), PHP_URL_HOST ) . ':' . wp_parse_url( home_url(), PHP_URL_PORT );
		$this->assertSame( array( $origin ), vodia_call_popup_config( 'en', $settings )['trustedOrigins'] );

		foreach ( array(
			'https://www.example.com' => array( 'https://www.example.com' ),
			'http://www.example.com'  => null,
		) as $home => $expected ) {
			$filter = function ( $url, $path ) use ( $home ) {
				return $home . '/' . ltrim( (string) $path, '/' );
			};
			add_filter( 'home_url', $filter, 10, 2 );
			try {
				$config = vodia_call_popup_config( 'en', $settings );
				$page   = vodia_call_popup_html( 'en', $settings );
			} finally {
				remove_filter( 'home_url', $filter, 10 );
			}
			if ( null === $expected ) {
				$this->assertArrayNotHasKey( 'trustedOrigins', $config, $home );
				$this->assertStringNotContainsString( 'trustedOrigins', $page );
			} else {
				$this->assertSame( $expected, $config['trustedOrigins'], $home );
				$this->assertStringContainsString( '"trustedOrigins":["https://www.example.com"]', $page );
			}
		}
	}

	/**
	 * The redirect that signs a link keeps the page that opened the popup as its referrer (a no-referrer policy on
	 * it would strip document.referrer, and the popup would ask before every call); the signed page itself, which
	 * carries the signature in its address, sends no referrer on.
	 */
	public function test_referrer_policy_per_response(): void {
		$settings = $this->configure();
		$this->offer( '100' );
		$redirect = vodia_call_popup_response( array( 'destnumber' => '100' ), $settings );
		$this->assertSame( 302, $redirect['status'] );
		$this->assertSame( 'strict-origin-when-cross-origin', vodia_call_popup_response_headers( $redirect )['Referrer-Policy'] );

		$query = array();
		wp_parse_str( (string) wp_parse_url( $redirect['redirect'], PHP_URL_QUERY ), $query );
		$page = vodia_call_popup_response( vodia_call_popup_query( $query ), $settings );
		$this->assertSame( 200, $page['status'] );
		$headers = vodia_call_popup_response_headers( $page );
		$this->assertSame( 'no-referrer', $headers['Referrer-Policy'] );
		$this->assertSame( $page['csp'], $headers['Content-Security-Policy'] );

		$error   = vodia_call_popup_response( array( 'destnumber' => '999' ), $settings );
		$headers = vodia_call_popup_response_headers( $error );
		$this->assertSame( 'no-referrer', $headers['Referrer-Policy'] );
		$this->assertSame( vodia_call_popup_headers()['Content-Security-Policy'], $headers['Content-Security-Policy'] );
	}
}

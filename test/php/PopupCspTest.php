<?php
/**
 * The popup page's Content-Security-Policy: nothing runs or loads but the plugin's own popup script and
 * stylesheet and the inline configuration (by its hash); it connects only to the PBX's WebSocket and this site's
 * digest endpoint; no base, no forms, no framing by other sites.
 *
 * @package VodiaClickToCall
 */

/**
 * CSP tests.
 */
class PopupCspTest extends Vodia_Call_Test_Case {

	/**
	 * A policy as directive => sources.
	 *
	 * @param string $policy Header value.
	 * @return array<string, string[]>
	 */
	private function directives( string $policy ): array {
		$out = array();
		foreach ( explode( ';', $policy ) as $part ) {
			$tokens = preg_split( '/\s+/', trim( $part ), -1, PREG_SPLIT_NO_EMPTY );
			if ( $tokens ) {
				$this->assertArrayNotHasKey( $tokens[0], $out, "directive {$tokens[0]} twice" );
				$out[ array_shift( $tokens ) ] = $tokens;
			}
		}
		return $out;
	}

	/**
	 * The served popup page (a signed link to a published number) and its policy.
	 */
	public function test_popup_page_policy(): void {
		$settings = $this->configure( array( 'server' => 'wss://pbx.example.com:8089/ws?transport=x' ) );
		$this->offer( '100' );
		$page = vodia_call_popup_response( vodia_call_sign_link( '100', '', $settings ), $settings );
		$this->assertSame( 200, $page['status'] );
		$this->assertArrayHasKey( 'csp', $page );
		$csp = $this->directives( $page['csp'] );

		$js  = plugins_url( 'assets/dist/makecall.js', VODIA_CALL_FILE );
		$css = plugins_url( 'assets/dist/makecall.css', VODIA_CALL_FILE );
		preg_match( '#<script>(window\.vodiaCallConfig = .*?)</script>#s', $page['html'], $inline );
		$hash = "'sha256-" . base64_encode( hash( 'sha256', $inline[1], true ) ) . "'"; // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- CSP hashes are base64.
		$this->assertSame(
			array(
				'default-src'     => array( "'none'" ),
				'script-src'      => array( $js, plugins_url( 'assets/dist/connection-check.js', VODIA_CALL_FILE ), $hash ),
				'style-src'       => array( $css ),
				'img-src'         => array( 'data:' ),
				'connect-src'     => array( 'wss://pbx.example.com:8089/ws', rest_url( 'vodia-call/v1/authorize' ), plugins_url( 'assets/dist/i18n/', VODIA_CALL_FILE ) ),
				'base-uri'        => array( "'none'" ),
				'form-action'     => array( "'none'" ),
				'frame-ancestors' => array( "'self'" ),
			),
			$csp
		);
		// Every script and stylesheet on the page is one the policy allows; nothing inline but the config.
		preg_match_all( '#<script([^>]*)>#', $page['html'], $scripts );
		$this->assertSame( array( '', ' src="' . esc_url( add_query_arg( 'ver', VODIA_CALL_VERSION, $js ) ) . '" defer' ), $scripts[1] );
		$this->assertStringNotContainsString( ' style=', $page['html'] );
		$this->assertDoesNotMatchRegularExpression( "/unsafe|\\*|https?:(?:\\s|;|\\z)/", $page['csp'] );
	}

	/**
	 * The hash follows the inline script: another configuration, another hash; the page never carries a script
	 * the header does not name.
	 */
	public function test_hash_follows_the_config(): void {
		$settings = $this->configure();
		$this->offer( '100' );
		$en = vodia_call_popup_response( vodia_call_sign_link( '100', 'en', $settings ), $settings );
		$de = vodia_call_popup_response( vodia_call_sign_link( '100', 'de', $settings ), $settings );
		$this->assertNotSame( $this->directives( $en['csp'] )['script-src'][2], $this->directives( $de['csp'] )['script-src'][2] );
		foreach ( array( $en, $de ) as $page ) {
			preg_match( '#<script>(.*?)</script>#s', $page['html'], $inline );
			$this->assertContains( "'sha256-" . base64_encode( hash( 'sha256', $inline[1], true ) ) . "'", $this->directives( $page['csp'] )['script-src'] ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- CSP hashes are base64.
		}
	}

	/**
	 * URLs as CSP sources: no query or fragment (CSP has no place for them), ";" and "," percent-encoded (they
	 * would end a directive or a policy), a query-only REST URL (plain permalinks) as its path.
	 *
	 * @return array<string, array{0:string, 1:string|null}>
	 */
	public function sources(): array {
		return array(
			'wss with path'                => array( 'wss://pbx.example.com/ws', 'wss://pbx.example.com/ws' ),
			'ws on loopback with port'     => array( 'ws://127.0.0.1:5066', 'ws://127.0.0.1:5066' ),
			'query and fragment dropped'   => array( 'wss://pbx.example.com/ws?a=b#c', 'wss://pbx.example.com/ws' ),
			'plain permalinks REST URL'    => array( 'https://www.example.com/index.php?rest_route=/vodia-call/v1/authorize', 'https://www.example.com/index.php' ),
			'semicolon and comma encoded'  => array( 'wss://pbx.example.com/a;b,c', 'wss://pbx.example.com/a%3Bb%2Cc' ),
			'IPv6 host'                    => array( 'wss://[2001:db8::1]:8089/ws', 'wss://[2001:db8::1]:8089/ws' ),
			'upper-case host'              => array( 'wss://PBX.Example.com/ws', 'wss://pbx.example.com/ws' ),
			'quote in path refused'        => array( "wss://pbx.example.com/a'b", null ),
			'space refused'                => array( 'wss://pbx.example.com/a b', null ),
			'no host'                      => array( 'wss:///ws', null ),
			'credentials refused'          => array( 'wss://u:p@pbx.example.com/ws', null ),
			'not a URL'                    => array( 'pbx.example.com', null ),
		);
	}

	/**
	 * Each URL's source expression.
	 *
	 * @dataProvider sources
	 * @param string      $url      URL.
	 * @param string|null $expected Source, or null when the URL cannot be one.
	 */
	public function test_source_expressions( string $url, ?string $expected ): void {
		$this->assertSame( $expected, vodia_call_csp_source( $url ) );
	}

	/**
	 * Error pages and redirects: nothing may load or run; the error page's one style element by its hash.
	 */
	public function test_error_page_and_redirect_policy(): void {
		$settings = $this->configure();
		$error    = vodia_call_popup_response( array( 'destnumber' => '999' ), $settings );
		$this->assertSame( 404, $error['status'] );
		$csp = $this->directives( vodia_call_popup_headers()['Content-Security-Policy'] );
		preg_match( '#<style>(.*?)</style>#s', $error['html'], $style );
		$this->assertSame(
			array(
				'default-src'     => array( "'none'" ),
				'style-src'       => array( "'sha256-" . base64_encode( hash( 'sha256', $style[1], true ) ) . "'" ), // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- CSP hashes are base64.
				'base-uri'        => array( "'none'" ),
				'form-action'     => array( "'none'" ),
				'frame-ancestors' => array( "'self'" ),
			),
			$csp
		);
		$this->assertArrayNotHasKey( 'csp', $error );
		$this->assertStringNotContainsString( ' style=', $error['html'] );
		$this->assertStringNotContainsString( '<script', $error['html'] );
	}

	/**
	 * Over HTTP from the real server: the policy header is there (the server answers with its own settings, here
	 * an error page, with the base policy).
	 */
	public function test_policy_over_http(): void {
		$response = wp_remote_get( home_url( '/?vodia_call_popup=1&destnumber=100' ), array( 'redirection' => 0 ) );
		$this->assertFalse( is_wp_error( $response ) );
		$this->assertSame( vodia_call_popup_headers()['Content-Security-Policy'], wp_remote_retrieve_header( $response, 'content-security-policy' ) );
		$this->assertStringContainsString( "default-src 'none'", wp_remote_retrieve_header( $response, 'content-security-policy' ) );
	}
}

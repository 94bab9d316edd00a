<?php
/**
 * Caller context (issue 11): the link's context text (shortcode and block), the binder's data-page-query, the
 * popup config's callerContext, and page/context surviving the signing redirect.
 *
 * @package VodiaClickToCall
 */

/**
 * Caller context tests.
 */
class CallerContextTest extends Vodia_Call_Test_Case {

	/**
	 * Hostile context texts, and what data-vodia-context must hold after escaping is undone by the parser.
	 *
	 * @return array<string, array{0:string, 1:string}>
	 */
	public function contexts(): array {
		return array(
			'plain'            => array( 'Sales, price list', 'Sales, price list' ),
			'quotes'           => array( 'He said "call" & \'now\'', 'He said "call" & \'now\'' ),
			'script'           => array( '"><script>alert(1)</script>', '"><script>alert(1)</script>' ),
			'CR LF'            => array( "Sales\r\nX-Evil: 1", 'Sales X-Evil: 1' ),
			'tab and NUL'      => array( "a\tb\0c", 'a b c' ),
			'C1 control'       => array( "a\u{85}b", 'a b' ),
			'outer space'      => array( "  Support \n", 'Support' ),
			'non-ASCII'        => array( 'Büro Zürich – 東京', 'Büro Zürich – 東京' ),
			'300 characters'   => array( str_repeat( 'é', 300 ), str_repeat( 'é', 256 ) ),
			'only a line feed' => array( "\n", '' ),
		);
	}

	/**
	 * The shortcode's context lands in data-vodia-context, cleaned and escaped; nothing runs.
	 *
	 * @dataProvider contexts
	 * @param string $context  Attribute as written.
	 * @param string $expected The attribute's value.
	 */
	public function test_shortcode_context( string $context, string $expected ): void {
		$html  = vodia_call_shortcode(
			array(
				'number'  => '100',
				'context' => $context,
			)
		);
		$links = $this->links( $html );
		$this->assertCount( 1, $links, $html );
		$this->assertSame( $expected, $links[0]->getAttribute( 'data-vodia-context' ) );
		$this->assertSame( '' !== $expected, $links[0]->hasAttribute( 'data-vodia-context' ), 'no empty attribute' );
		$this->assertNoActiveContent( $html );
		$this->assertDoesNotMatchRegularExpression( '/[\x00-\x1f]/', $html );
	}

	/**
	 * The same through a post's content, as a site owner writes it (WordPress's shortcode parser).
	 */
	public function test_context_in_post_content(): void {
		$html = do_shortcode( '[vodia_call number="+4930123" context="Price list &quot;2027&quot; <b>"]Call[/vodia_call]' );
		$this->assertMatchesRegularExpression( '/ data-vodia-context="[^"]*2027[^"]*"/', $html );
		$this->assertStringNotContainsString( '<b>', $html );
		$this->assertNoActiveContent( $html );
	}

	/**
	 * The block's context attribute: declared in block.json, registered, and rendered like the shortcode's.
	 */
	public function test_block_context(): void {
		$meta = wp_json_file_decode( VODIA_CALL_DIR . '/blocks/click-to-call/block.json', array( 'associative' => true ) );
		$this->assertSame(
			array(
				'type'    => 'string',
				'default' => '',
			),
			$meta['attributes']['context']
		);
		$this->assertArrayHasKey( 'context', WP_Block_Type_Registry::get_instance()->get_registered( VODIA_CALL_BLOCK_NAME )->attributes );

		$html  = vodia_call_render_block(
			array(
				'number'  => '100',
				'context' => "Block \"ctx\"\n<script>",
			)
		);
		$links = $this->links( $html );
		$this->assertCount( 1, $links, $html );
		$this->assertSame( 'Block "ctx" <script>', $links[0]->getAttribute( 'data-vodia-context' ) );
		$this->assertNoActiveContent( $html );

		$rendered = do_blocks( '<!-- wp:vodia-call/click-to-call {"number":"100","context":"From the block"} /-->' );
		$this->assertStringContainsString( 'data-vodia-context="From the block"', $rendered );
		$this->assertStringNotContainsString( 'data-vodia-context', vodia_call_render_block( array( 'number' => '100' ) ) );
	}

	/**
	 * The block editor has the field (index.js, built by the test run).
	 */
	public function test_block_editor_has_the_field(): void {
		$source = (string) file_get_contents( VODIA_CALL_DIR . '/blocks/click-to-call/index.js' ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- reading our own source.
		$this->assertMatchesRegularExpression( "/label: __\\( 'Context', 'vodia-click-to-call' \\)[\\s\\S]*?setAttributes\\( \\{ context: value \\} \\)/", $source );
	}

	/**
	 * data-page-query on the binder's tag only with the setting on (off by default).
	 */
	public function test_binder_tag_page_query(): void {
		$plain = '<script src="https://cdn.example/vodia-call.js" defer></script>';
		$this->configure();
		$this->assertStringNotContainsString( 'data-page-query', vodia_call_binder_tag( $plain, VODIA_CALL_BINDER_HANDLE ) );
		$this->configure( array( 'page_query' => '1' ) );
		$this->assertSame(
			'<script data-popup-url="' . esc_url( home_url( '/?vodia_call_popup=1' ) ) . '" data-page-query src="https://cdn.example/vodia-call.js" defer></script>',
			vodia_call_binder_tag( $plain, VODIA_CALL_BINDER_HANDLE )
		);
		$this->assertSame( '<script src="x.js"></script>', vodia_call_binder_tag( '<script src="x.js"></script>', 'other' ) );
	}

	/**
	 * callerContext in the popup's config: true by default, false when turned off.
	 */
	public function test_config_caller_context(): void {
		$this->assertTrue( vodia_call_popup_config( 'en', $this->configure() )['callerContext'] );
		$config = $this->page_config( $this->configure( array( 'caller_context' => '0' ) ) );
		$this->assertFalse( $config['callerContext'] );
	}

	/**
	 * The signing redirect carries page and context on, exactly, percent-encoded; the page it leads to is served.
	 */
	public function test_page_and_context_survive_the_signing_redirect(): void {
		$settings = $this->configure();
		$this->offer( '100' );
		$page     = 'https://shop.example.com/käse?x=1&y=a b#top';
		$context  = 'Sales "Ä" & <more>';
		$now      = time();
		$response = vodia_call_popup_response( $this->query( '100', $page, $context ), $settings, $now );
		$this->assertSame( 302, $response['status'] );
		$this->assertDoesNotMatchRegularExpression( '/[\s"<>]/', $response['redirect'] );
		wp_parse_str( (string) wp_parse_url( $response['redirect'], PHP_URL_QUERY ), $next );
		$this->assertSame( $page, $next['page'] );
		$this->assertSame( $context, $next['context'] );
		$this->assertSame( '', vodia_call_check_link( $next, $settings, $now ), 'still a signed link' );

		$served = vodia_call_popup_response( vodia_call_popup_query( $next ), $settings, $now );
		$this->assertSame( 200, $served['status'] );
		$this->assertStringContainsString( '<div id="vodia-call"></div>', $served['html'] );
	}

	/**
	 * Values the popup would refuse are dropped, not carried; the call still goes ahead. With caller context off
	 * neither is carried.
	 */
	public function test_bad_page_and_context_are_dropped(): void {
		$settings = $this->configure();
		$this->offer( '100' );
		$bad = array(
			array( 'javascript:alert(1)', "a\nb" ),
			array( 'ftp://example.com/', str_repeat( 'x', 257 ) ),
			array( "https://example.com/\r\nX: 1", "a\u{9b}b" ),
			array( '//example.com/', "\xff\xfe" ),
			array( 'https://example.com/' . str_repeat( 'a', 2048 ), "tab\there" ),
		);
		foreach ( $bad as $pair ) {
			$response = vodia_call_popup_response( $this->query( '100', $pair[0], $pair[1] ), $settings );
			$this->assertSame( 302, $response['status'] );
			$this->assertStringNotContainsString( '&page=', $response['redirect'], $pair[0] );
			$this->assertStringNotContainsString( '&context=', $response['redirect'], $pair[1] );
		}
		$longest = str_repeat( 'é', 256 );
		$this->assertStringContainsString( '&context=' . rawurlencode( $longest ), vodia_call_popup_response( $this->query( '100', '', $longest ), $settings )['redirect'] );

		$off      = $this->configure( array( 'caller_context' => '0' ) );
		$response = vodia_call_popup_response( $this->query( '100', 'https://example.com/', 'Sales' ), $off );
		$this->assertSame( 302, $response['status'] );
		$this->assertStringNotContainsString( 'page=', $response['redirect'] );
		$this->assertStringNotContainsString( 'context=', $response['redirect'] );
	}

	/**
	 * Vodia mode hands the PBX's own page only its link: page and context are this popup's business.
	 */
	public function test_vodia_mode_carries_no_context(): void {
		$settings = $this->configure(
			array(
				'mode'    => 'vodia',
				'pbx_url' => 'https://pbx.example.com',
			)
		);
		$this->offer( '100' );
		$response = vodia_call_popup_response( $this->query( '100', 'https://example.com/', 'Sales' ), $settings );
		$this->assertStringStartsWith( 'https://pbx.example.com/makecall.htm?destnumber=100&', $response['redirect'] );
		$this->assertStringNotContainsString( 'context=', $response['redirect'] );
	}

	/**
	 * A popup query as the binder makes it, decoded as PHP decodes $_GET.
	 *
	 * @param string $number  Number.
	 * @param string $page    The page parameter ('' for none).
	 * @param string $context The context parameter ('' for none).
	 * @return array<string, string>
	 */
	private function query( string $number, string $page, string $context ): array {
		$params = array_filter(
			array(
				'destnumber' => $number,
				'page'       => $page,
				'context'    => $context,
			),
			'strlen'
		);
		wp_parse_str( http_build_query( $params, '', '&', PHP_QUERY_RFC3986 ), $get );
		return vodia_call_popup_query( $get );
	}

	/**
	 * The config as the served popup page carries it (window.vodiaCallConfig), decoded.
	 *
	 * @param array<string, mixed> $settings Settings.
	 * @return array<string, mixed>
	 */
	private function page_config( array $settings ): array {
		$html = vodia_call_popup_html( 'en', $settings );
		$this->assertSame( 1, preg_match( '#<script>window\.vodiaCallConfig = (\{.*?\})</script>#', $html, $m ), $html );
		return json_decode( $m[1], true );
	}
}

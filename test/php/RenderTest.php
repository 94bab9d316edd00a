<?php
/**
 * The shortcode and the block: one renderer, a real link that works without JavaScript, escaping everywhere.
 *
 * @package VodiaClickToCall
 */

/**
 * Render tests.
 */
class RenderTest extends Vodia_Call_Test_Case {

	/**
	 * Both ways to write a link to 100, in German, labelled "Sales".
	 *
	 * @return array<string, array{0:string}>
	 */
	public function markups(): array {
		return array(
			'shortcode with label'   => array( '[vodia_call number="100" lang="de" label="Sales"]' ),
			'shortcode with content' => array( '[vodia_call number="100" lang="de"]Sales[/vodia_call]' ),
			'block'                  => array( '<!-- wp:vodia-call/click-to-call {"number":"100","lang":"de","label":"Sales"} /-->' ),
		);
	}

	/**
	 * Renders post content as a visitor would see it.
	 *
	 * @param string $markup Content.
	 */
	private function render( string $markup ): string {
		return do_shortcode( do_blocks( $markup ) );
	}

	/**
	 * The link: to the popup page for the number, new window, marked for the binder.
	 *
	 * @dataProvider markups
	 * @param string $markup Content.
	 */
	public function test_renders_a_real_link( string $markup ): void {
		$links = $this->links( $this->render( $markup ) );
		$this->assertCount( 1, $links );
		$a = $links[0];
		$this->assertSame( home_url( '/' ) . '?vodia_call_popup=1&destnumber=100&lang=de', $a->getAttribute( 'href' ) );
		$this->assertSame( '_blank', $a->getAttribute( 'target' ) );
		$this->assertSame( 'noopener', $a->getAttribute( 'rel' ) );
		$this->assertSame( '100', $a->getAttribute( 'data-vodia-call' ) );
		$this->assertSame( 'de', $a->getAttribute( 'data-lang' ) );
		$this->assertSame( 'Sales', $a->textContent );
		// The rendered page carries no signature: it may be cached for days.
		$this->assertStringNotContainsString( 'pass=', $a->getAttribute( 'href' ) );
	}

	/**
	 * Rendering a link enqueues the binder, deferred; a page without links does not.
	 */
	public function test_binder_enqueued_only_with_a_link(): void {
		$this->render( 'No calls here.' );
		$this->assertFalse( wp_script_is( VODIA_CALL_BINDER_HANDLE, 'enqueued' ) );
		$this->render( '[vodia_call number="100"] and [vodia_call number="101"]' );
		$this->assertTrue( wp_script_is( VODIA_CALL_BINDER_HANDLE, 'enqueued' ) );
		$this->assertSame( 'defer', wp_scripts()->get_data( VODIA_CALL_BINDER_HANDLE, 'strategy' ) );
		$this->assertStringEndsWith( 'assets/dist/vodia-call.js', wp_scripts()->registered[ VODIA_CALL_BINDER_HANDLE ]->src );
		$this->assertSame( 1, count( array_keys( wp_scripts()->queue, VODIA_CALL_BINDER_HANDLE, true ) ) );
	}

	/**
	 * The binder's tag names the popup page (data-popup-url, escaped): its origin is the one whose windows may
	 * report back, and data-vodia-call elements open through it; other scripts' tags are left alone.
	 */
	public function test_binder_tag_names_the_popup_page(): void {
		$tag = vodia_call_binder_tag( '<script src="https://cdn.example/vodia-call.js" defer></script>', VODIA_CALL_BINDER_HANDLE );
		$this->assertSame( '<script data-popup-url="' . esc_url( home_url( '/?vodia_call_popup=1' ) ) . '" src="https://cdn.example/vodia-call.js" defer></script>', $tag );
		$this->assertSame( '<script src="x.js"></script>', vodia_call_binder_tag( '<script src="x.js"></script>', 'other' ) );
		$this->render( '[vodia_call number="100"]' );
		ob_start();
		wp_scripts()->do_items( VODIA_CALL_BINDER_HANDLE );
		$this->assertMatchesRegularExpression( '#<script data-popup-url="[^"]+\?vodia_call_popup=1" src="[^"]+/assets/dist/vodia-call\.js\?ver=[^"]+" id="vodia-call-binder-js" defer data-wp-strategy="defer"></script>#', (string) ob_get_clean() );
	}

	/**
	 * The number alone when there is neither content nor label; + * # kept and percent-encoded in the href.
	 */
	public function test_number_as_text_and_encoded(): void {
		$links = $this->links( $this->render( '[vodia_call number="+49*30#1"]' ) );
		$this->assertSame( '+49*30#1', $links[0]->textContent );
		$this->assertSame( '+49*30#1', $links[0]->getAttribute( 'data-vodia-call' ) );
		$this->assertStringEndsWith( 'destnumber=%2B49%2A30%231', $links[0]->getAttribute( 'href' ) );
		$this->assertStringNotContainsString( 'data-lang', $this->render( '[vodia_call number="100"]' ) );
	}

	/**
	 * Invalid numbers: no link; visitors see the text, editors of the post see a notice.
	 *
	 * @return array<string, array{0:string}>
	 */
	public function invalid_numbers(): array {
		return array(
			'letters'            => array( 'abc' ),
			'empty'              => array( '' ),
			'sip uri'            => array( 'sip:100@evil.example.com' ),
			'space inside'       => array( '100 200' ),
			'33 digits'          => array( str_repeat( '9', 33 ) ),
			'html'               => array( '<b>100</b>' ),
			'quote breakout'     => array( '100" onmouseover="alert(1)' ),
			'newline'            => array( "100\n200" ),
		);
	}

	/**
	 * A visitor sees only the label.
	 *
	 * @dataProvider invalid_numbers
	 * @param string $number Number.
	 */
	public function test_invalid_number_visitor_sees_text( string $number ): void {
		$html = vodia_call_render_link( array( 'number' => $number, 'label' => 'Sales' ), '', $this->make_post( 'x' ) );
		$this->assertSame( 'Sales', $html );
		$this->assertFalse( wp_script_is( VODIA_CALL_BINDER_HANDLE, 'enqueued' ) );
	}

	/**
	 * Someone who can edit the post sees why there is no link.
	 *
	 * @dataProvider invalid_numbers
	 * @param string $number Number.
	 */
	public function test_invalid_number_editor_sees_notice( string $number ): void {
		$post_id = $this->make_post( 'x' );
		wp_set_current_user( $this->make_user( 'editor' ) );
		$html = vodia_call_render_link( array( 'number' => $number, 'label' => 'Sales' ), '', $post_id );
		$this->assertStringContainsString( 'class="vodia-call-notice"', $html );
		$this->assertStringContainsString( 'not a callable number', $html );
		$this->assertCount( 0, $this->links( $html ) );
		$this->assertNoActiveContent( $html );
	}

	/**
	 * A subscriber is a visitor here.
	 */
	public function test_subscriber_sees_no_notice(): void {
		$post_id = $this->make_post( 'x' );
		wp_set_current_user( $this->make_user( 'subscriber' ) );
		$this->assertSame( 'abc', vodia_call_render_link( array( 'number' => 'abc' ), '', $post_id ) );
	}

	/**
	 * Injection attempts, through every attribute of the shortcode and the block, and the content.
	 *
	 * @return array<string, array{0:string}>
	 */
	public function injections(): array {
		$img = '<img src=x onerror=alert(1)>';
		return array(
			'shortcode number breaks quote'  => array( '[vodia_call number=\'100" onmouseover="alert(1)\']x[/vodia_call]' ),
			'shortcode number script'        => array( '[vodia_call number="<script>alert(1)</script>"]' ),
			'shortcode lang breaks quote'    => array( '[vodia_call number="100" lang=\'de" onclick="alert(1)\']x[/vodia_call]' ),
			'shortcode lang script'          => array( '[vodia_call number="100" lang="<script>alert(1)</script>"]' ),
			'shortcode label html'           => array( '[vodia_call number="100" label="' . $img . '"]' ),
			'shortcode label script'         => array( '[vodia_call number="100" label="<script>alert(1)</script>"]' ),
			'shortcode content script'       => array( '[vodia_call number="100"]<script>alert(1)</script>[/vodia_call]' ),
			'shortcode content img onerror'  => array( '[vodia_call number="100"]' . $img . '[/vodia_call]' ),
			'shortcode content nested link'  => array( '[vodia_call number="100"]<a href="javascript:alert(1)">x</a>[/vodia_call]' ),
			'shortcode content style onload' => array( '[vodia_call number="100"]<svg onload=alert(1)>[/vodia_call]' ),
			'block number breaks quote'      => array( '<!-- wp:vodia-call/click-to-call {"number":"100\u0022 onmouseover=\u0022alert(1)"} /-->' ),
			'block lang breaks quote'        => array( '<!-- wp:vodia-call/click-to-call {"number":"100","lang":"de\u0022 onclick=\u0022alert(1)"} /-->' ),
			'block label html'               => array( '<!-- wp:vodia-call/click-to-call {"number":"100","label":"\u003cimg src=x onerror=alert(1)\u003e"} /-->' ),
			'block label script'             => array( '<!-- wp:vodia-call/click-to-call {"number":"100","label":"\u003c/a\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"} /-->' ),
			'block className breaks quote'   => array( '<!-- wp:vodia-call/click-to-call {"number":"100","className":"x\u0022 onclick=\u0022alert(1)"} /-->' ),
			'block number as object'         => array( '<!-- wp:vodia-call/click-to-call {"number":{"a":"\u003cscript\u003e"}} /-->' ),
		);
	}

	/**
	 * No injection gets through, for visitors and for editors (who see the notice).
	 *
	 * @dataProvider injections
	 * @param string $markup Content.
	 */
	public function test_injection_is_escaped( string $markup ): void {
		$post_id         = $this->make_post( $markup );
		$GLOBALS['post'] = get_post( $post_id ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride -- the loop's post for get_the_ID().
		$this->assertNoActiveContent( $this->render( $markup ) );
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$this->assertNoActiveContent( $this->render( $markup ) );
		foreach ( $this->links( $this->render( $markup ) ) as $a ) {
			$this->assertMatchesRegularExpression( '/^[0-9+*#]{1,32}$/', $a->getAttribute( 'data-vodia-call' ) );
			$this->assertStringStartsWith( home_url( '/' ) . '?vodia_call_popup=1&destnumber=', $a->getAttribute( 'href' ) );
			$this->assertContains( $a->getAttribute( 'data-lang' ), array( '', 'de' ) );
		}
	}

	/**
	 * The block's server render and the shortcode produce the same link.
	 */
	public function test_block_and_shortcode_share_the_renderer(): void {
		$block     = $this->render( '<!-- wp:vodia-call/click-to-call {"number":"100","label":"Sales"} /-->' );
		$shortcode = $this->render( '[vodia_call number="100" label="Sales"]' );
		$this->assertStringContainsString( $shortcode, $block );
		$this->assertStringContainsString( 'wp-block-vodia-call-click-to-call', $block );
	}

	/**
	 * Inline markup in the content survives; block elements do not.
	 */
	public function test_content_keeps_inline_markup(): void {
		$a = $this->links( $this->render( '[vodia_call number="100"]<strong>Call</strong> <em>us</em><div>x</div>[/vodia_call]' ) )[0];
		$this->assertSame( 1, $a->getElementsByTagName( 'strong' )->length );
		$this->assertSame( 1, $a->getElementsByTagName( 'em' )->length );
		$this->assertSame( 0, $a->getElementsByTagName( 'div' )->length );
	}

	/**
	 * The block is registered with its attributes and the server render.
	 */
	public function test_block_is_registered(): void {
		$type = WP_Block_Type_Registry::get_instance()->get_registered( 'vodia-call/click-to-call' );
		$this->assertInstanceOf( WP_Block_Type::class, $type );
		$this->assertSame( array( 'number', 'label', 'lang' ), array_slice( array_keys( $type->attributes ), 0, 3 ) );
		$this->assertTrue( $type->is_dynamic() );
		// A real block template: block.json names render.php, which the build copies beside it.
		$meta = wp_json_file_decode( VODIA_CALL_DIR . '/build/click-to-call/block.json', array( 'associative' => true ) );
		$this->assertSame( 'file:./render.php', $meta['render'] );
		$this->assertFileExists( VODIA_CALL_DIR . '/build/click-to-call/render.php' );
	}

	/**
	 * The template's output equals the renderer's: rendered through WordPress, through the template included
	 * directly (a registration without the build), and the shortcode's link inside it.
	 */
	public function test_block_template_renders_the_shared_link(): void {
		$this->configure();
		$block = $this->render( '<!-- wp:vodia-call/click-to-call {"number":"100","lang":"de","label":"Sales"} /-->' );
		$this->assertSame( '<p class="wp-block-vodia-call-click-to-call">' . vodia_call_render_link( array( 'number' => '100', 'lang' => 'de', 'label' => 'Sales' ) ) . '</p>', $block );
		$this->assertSame( $block, vodia_call_render_block( array( 'number' => '100', 'lang' => 'de', 'label' => 'Sales' ) ) );
	}
}

<?php
/**
 * Who may make a number callable. The Author role may publish: one published post with
 * [vodia_call number="0900..."] would let every anonymous visitor get signed links and digest answers for it.
 * So numbers count only from content whose author may edit others' posts (editors, administrators), unless the
 * administrator allows authors; a non-empty allow-list of numbers and prefixes restricts them further. The popup
 * page and the endpoint both decide at request time, so a number that leaves published content stops working
 * at once.
 *
 * @package VodiaClickToCall
 */

/**
 * Offered-number rules at request time.
 */
class OfferedNumbersTest extends Vodia_Call_Test_Case {

	/** A premium-rate number an author might slip in. */
	const PREMIUM = '0900123456';

	/**
	 * Publishes a post by a user of a role.
	 *
	 * @param string $role    Author's role.
	 * @param string $content Content.
	 * @param array  $extra   More post fields.
	 */
	private function publish_as( string $role, string $content, array $extra = array() ): int {
		$id = wp_insert_post(
			array_merge(
				array(
					'post_title'   => 'By an ' . $role,
					'post_content' => $content,
					'post_status'  => 'publish',
					'post_author'  => $this->make_user( $role ),
				),
				$extra
			),
			true
		);
		$this->assertIsInt( $id );
		return $id;
	}

	/**
	 * Asserts whether a number is callable everywhere: offered, the popup page signs it and serves a signed link,
	 * the endpoint answers; or refused by all three with the code.
	 *
	 * @param string $number Number.
	 * @param string $code   Empty when callable, else number-not-offered or number-not-allowed.
	 * @param string $label  What the case is.
	 */
	private function assertCallable( string $number, string $code, string $label = '' ): void {
		$settings = vodia_call_get_settings();
		$signed   = vodia_call_sign_link( $number, '', $settings );
		$unsigned = vodia_call_popup_response( array( 'destnumber' => $number ), $settings );
		$served   = vodia_call_popup_response( $signed, $settings );
		$answer   = $this->authorize_signed( $number );
		if ( '' === $code ) {
			$this->assertSame( 302, $unsigned['status'], "$label: the popup page signs" );
			$this->assertSame( 200, $served['status'], "$label: the popup page serves a signed link" );
			$this->assertSame( 200, $answer->get_status(), "$label: the endpoint answers" );
			return;
		}
		$this->assertSame( 404, $unsigned['status'], "$label: the popup page does not sign" );
		$this->assertArrayNotHasKey( 'redirect', $unsigned );
		$this->assertSame( 404, $served['status'], "$label: the popup page does not serve a signed link" );
		$this->assertSame( 403, $answer->get_status(), "$label: the endpoint refuses" );
		$this->assertSame( array( 'code' => $code ), $answer->get_data(), $label );
	}

	/**
	 * An author's published post offers nothing by default; an editor's and an administrator's do.
	 */
	public function test_only_editors_and_administrators_by_default(): void {
		$this->configure();
		$this->publish_as( 'author', '[vodia_call number="' . self::PREMIUM . '"]' );
		$this->assertFalse( vodia_call_is_number_offered( self::PREMIUM ) );
		$this->assertCallable( self::PREMIUM, 'number-not-offered', 'author' );

		$this->publish_as( 'editor', '[vodia_call number="200"]' );
		$this->assertCallable( '200', '', 'editor' );
		$this->publish_as( 'administrator', '<!-- wp:vodia-call/click-to-call {"number":"201"} /-->' );
		$this->assertCallable( '201', '', 'administrator' );
		$this->publish_as( 'author', '<!-- wp:vodia-call/click-to-call {"number":"202"} /-->', array( 'post_type' => 'wp_block' ) );
		$this->assertCallable( '202', 'number-not-offered', 'synced pattern by an author' );
		$this->assertFalse( vodia_call_get_settings()['allow_authors'] );
	}

	/**
	 * Ticking "allow authors" offers their numbers at once, without saving the posts again; unticking withdraws
	 * them at once.
	 */
	public function test_allow_authors_takes_effect_at_once(): void {
		$this->configure();
		$this->publish_as( 'author', '[vodia_call number="' . self::PREMIUM . '"]' );
		$this->configure( array( 'allow_authors' => '1' ) );
		$this->assertTrue( vodia_call_get_settings()['allow_authors'] );
		$this->assertCallable( self::PREMIUM, '', 'authors allowed' );
		$this->configure( array( 'allow_authors' => '0' ) );
		$this->assertCallable( self::PREMIUM, 'number-not-offered', 'authors no longer allowed' );
		// Contributors never: they cannot publish, so what they wrote reached "publish" some other way.
		$this->configure( array( 'allow_authors' => true ) );
		$this->publish_as( 'contributor', '[vodia_call number="203"]' );
		$this->assertCallable( '203', 'number-not-offered', 'contributor' );
	}

	/**
	 * An editor demoted to author: their posts stop offering numbers at once.
	 */
	public function test_demoted_editor(): void {
		$this->configure();
		$id = $this->publish_as( 'editor', '[vodia_call number="300"]' );
		$this->assertCallable( '300', '', 'editor' );
		$user = new WP_User( (int) get_post( $id )->post_author );
		$user->set_role( 'author' );
		clean_user_cache( $user );
		$this->assertCallable( '300', 'number-not-offered', 'demoted to author' );
	}

	/**
	 * A number that leaves published content stops being signable and answerable at once, signed links
	 * included: unpublished, edited away, trashed, deleted. A password-protected post still offers it.
	 */
	public function test_number_leaving_published_content(): void {
		$this->configure();
		$id = $this->make_post( '[vodia_call number="400"]' );
		$this->assertCallable( '400', '', 'published' );

		wp_update_post(
			array(
				'ID'          => $id,
				'post_status' => 'draft',
			)
		);
		$this->assertCallable( '400', 'number-not-offered', 'unpublished' );
		wp_publish_post( $id );
		$this->assertCallable( '400', '', 'published again' );

		wp_update_post(
			array(
				'ID'           => $id,
				'post_content' => '[vodia_call number="401"]',
			)
		);
		$this->assertCallable( '400', 'number-not-offered', 'edited away' );
		$this->assertCallable( '401', '', 'the new number' );

		wp_update_post(
			array(
				'ID'            => $id,
				'post_password' => 'secret',
			)
		);
		$this->assertCallable( '401', '', 'password-protected: still offered' );

		wp_update_post(
			array(
				'ID'          => $id,
				'post_status' => 'private',
			)
		);
		$this->assertCallable( '401', 'number-not-offered', 'private' );
		wp_publish_post( $id );
		wp_trash_post( $id );
		$this->assertCallable( '401', 'number-not-offered', 'trashed' );
		wp_untrash_post( $id );
		wp_publish_post( $id );
		$this->assertCallable( '401', '', 'restored' );
		wp_delete_post( $id, true );
		$this->assertCallable( '401', 'number-not-offered', 'deleted' );
	}

	/**
	 * The index is only a list of candidates: a post changed behind WordPress's back (a direct database
	 * update, no hooks) offers what it says now, not what it said when it was indexed.
	 */
	public function test_request_time_check_reads_the_post_as_it_is(): void {
		global $wpdb;
		$this->configure();
		$id = $this->make_post( '[vodia_call number="500"]' );
		$this->assertCallable( '500', '', 'published' );
		$wpdb->update( $wpdb->posts, array( 'post_status' => 'draft' ), array( 'ID' => $id ) );
		clean_post_cache( $id );
		$this->assertCallable( '500', 'number-not-offered', 'unpublished in the database' );
		$wpdb->update(
			$wpdb->posts,
			array(
				'post_status'  => 'publish',
				'post_content' => 'no link any more',
			),
			array( 'ID' => $id )
		);
		clean_post_cache( $id );
		$this->assertCallable( '500', 'number-not-offered', 'edited in the database' );
	}

	/**
	 * Widgets count (only administrators edit them), as long as they hold the number.
	 */
	public function test_widgets(): void {
		$this->configure();
		update_option( 'widget_block', array( 2 => array( 'content' => '<!-- wp:vodia-call/click-to-call {"number":"600"} /-->' ) ) );
		$this->assertCallable( '600', '', 'block widget' );
		update_option( 'widget_block', array( 2 => array( 'content' => 'nothing' ) ) );
		$this->assertCallable( '600', 'number-not-offered', 'widget emptied' );
	}

	/**
	 * Allow-list entries, and which numbers they let through.
	 *
	 * @return array<string, array{0:string, 1:string[], 2:bool}>
	 */
	public function allow_list(): array {
		return array(
			'empty list: no restriction'    => array( '', array( '100', '+4930123', self::PREMIUM ), true ),
			'exact number'                  => array( "100\n101", array( '100', '101' ), true ),
			'exact number, not its prefix'  => array( '100', array( '1000', '10' ), false ),
			'prefix'                        => array( '+4930*', array( '+4930', '+4930123456', '+4930*1' ), true ),
			'prefix, other numbers'         => array( '+4930*', array( '+4931', '4930123', '+493' ), false ),
			'premium number outside a list' => array( "100\r\n+4930*", array( self::PREMIUM ), false ),
			'feature code with star'        => array( '*97', array( '*97' ), true ),
			'comma and space separated'     => array( '100, 200 300', array( '100', '200', '300' ), true ),
		);
	}

	/**
	 * The allow-list, pure.
	 *
	 * @dataProvider allow_list
	 * @param string   $list    Setting as typed.
	 * @param string[] $numbers Numbers.
	 * @param bool     $allowed Whether they are allowed.
	 */
	public function test_allow_list( string $list, array $numbers, bool $allowed ): void {
		$settings = $this->configure( array( 'allowed_numbers' => $list ) );
		$this->assertSame( array(), get_settings_errors( VODIA_CALL_OPTION ) );
		foreach ( $numbers as $number ) {
			$this->assertSame( $allowed, vodia_call_number_is_allowed( $number, $settings ), $number );
		}
	}

	/**
	 * A number outside a non-empty allow-list is neither signed nor answered, though published content offers it
	 * and even if a filter says it is offered.
	 */
	public function test_allow_list_overrides_content_and_filter(): void {
		$this->configure( array( 'allowed_numbers' => "100\n+4930*" ) );
		$this->make_post( '[vodia_call number="100"] [vodia_call number="+4930123"] [vodia_call number="' . self::PREMIUM . '"]' );
		$this->assertCallable( '100', '', 'listed' );
		$this->assertCallable( '+4930123', '', 'under a listed prefix' );
		$this->assertCallable( self::PREMIUM, 'number-not-allowed', 'published but not listed' );
		$this->add_test_filter( 'vodia_call_number_is_offered', '__return_true' );
		$this->assertCallable( '999', 'number-not-allowed', 'offered by a filter but not listed' );
		$this->assertCallable( '+4930999', '', 'offered by a filter and listed' );
	}

	/**
	 * The new settings: defaults and cleaning.
	 */
	public function test_settings(): void {
		$defaults = vodia_call_default_settings();
		$this->assertFalse( $defaults['allow_authors'] );
		$this->assertSame( array(), $defaults['allowed_numbers'] );

		$good = array(
			array( "100\n+4930*\n\n*97#\n100", array( '100', '+4930*', '*97#' ) ),
			array( " 100 \r\n 200 ", array( '100', '200' ) ),
			array( '', array() ),
			array( array( '100', '+4930*' ), array( '100', '+4930*' ) ),
		);
		foreach ( $good as list( $input, $expected ) ) {
			$errors = array();
			$this->assertSame( $expected, vodia_call_clean_settings( array( 'allowed_numbers' => $input ), $defaults, $errors )['allowed_numbers'] );
			$this->assertSame( array(), $errors );
		}
		foreach ( array( '*', '100x', 'sip:100@pbx', str_repeat( '1', 33 ), "100\n0900-123", array( 100 ), array( "100\n" ), 42 ) as $bad ) {
			$errors = array();
			vodia_call_clean_settings( array( 'allowed_numbers' => $bad ), $defaults, $errors );
			$this->assertArrayHasKey( 'allowed_numbers', $errors, (string) wp_json_encode( $bad ) );
		}
		$errors = array();
		vodia_call_clean_settings( array( 'allowed_numbers' => implode( "\n", range( 1, 501 ) ) ), $defaults, $errors );
		$this->assertArrayHasKey( 'allowed_numbers', $errors, 'at most 500 entries' );
	}

	/**
	 * The settings page offers both, explained; the checkbox is off.
	 */
	public function test_settings_page(): void {
		$this->configure( array( 'allowed_numbers' => "100\n+4930*" ) );
		$html = $this->settings_page_html();
		$this->assertMatchesRegularExpression( '/<input type="checkbox" id="vodia_call_allow_authors" name="vodia_call_settings\[allow_authors\]" value="1">/', $html );
		$this->assertMatchesRegularExpression( '#<textarea[^>]*id="vodia_call_allowed_numbers" name="vodia_call_settings\[allowed_numbers\]"[^>]*>100\n\+4930\*</textarea>#', $html );
		$this->assertStringContainsString( 'password-protected', $html );
		$this->assertStringContainsString( 'edit others', $html );
	}
}

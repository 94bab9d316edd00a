<?php
/**
 * Which published content may offer numbers to the popup page: only allow-listed, viewable post types, and only
 * content whose author may publish it (a forum post or a form entry saved as a published post must not).
 *
 * @package VodiaClickToCall
 */

/**
 * Number index rules.
 */
class NumberIndexTest extends Vodia_Call_Test_Case {

	/** A post type that stores what visitors write, as forum and form plugins do: published, not public. */
	const HIDDEN_TYPE = 'vodia_test_entry';

	/** A public, viewable post type that is not on the allow-list (a forum's topics, a theme's portfolio). */
	const PUBLIC_TYPE = 'vodia_test_topic';

	/**
	 * Registers the test's post types.
	 */
	protected function setUp(): void {
		parent::setUp();
		register_post_type( self::HIDDEN_TYPE, array( 'public' => false ) );
		register_post_type(
			self::PUBLIC_TYPE,
			array(
				'public'          => true,
				'capability_type' => 'post',
			)
		);
	}

	/**
	 * Unregisters them.
	 */
	protected function tearDown(): void {
		unregister_post_type( self::HIDDEN_TYPE );
		unregister_post_type( self::PUBLIC_TYPE );
		parent::tearDown();
	}

	/**
	 * Inserts a published post of a type, by an author of a role (none: no author), with the plugin's hooks.
	 *
	 * @param string $type    Post type.
	 * @param string $role    Author's role, or '' for no author.
	 * @param string $content Content.
	 */
	private function insert( string $type, string $role, string $content = '[vodia_call number="0900123456"]' ): int {
		$id = wp_insert_post(
			array(
				'post_title'   => 'Entry',
				'post_type'    => $type,
				'post_content' => $content,
				'post_status'  => 'publish',
				'post_author'  => '' === $role ? 0 : $this->make_user( $role ),
			),
			true
		);
		$this->assertIsInt( $id );
		return $id;
	}

	/**
	 * Who published what, of which type, and whether its number is offered: by default, and when the
	 * administrator allows authors.
	 *
	 * @return array<string, array{0:string, 1:string, 2:bool, 3:bool, 4?:string[]}>
	 */
	public function sources(): array {
		$extra = array( 'post', 'page', 'wp_block', 'wp_template', 'wp_template_part', self::PUBLIC_TYPE, self::HIDDEN_TYPE );
		return array(
			'post by an author'                        => array( 'post', 'author', false, true ),
			'post by an editor'                        => array( 'post', 'editor', true, true ),
			'post by an administrator'                 => array( 'post', 'administrator', true, true ),
			'page by an editor'                        => array( 'page', 'editor', true, true ),
			'synced pattern by an author'              => array( 'wp_block', 'author', false, true ),
			'synced pattern by an editor'              => array( 'wp_block', 'editor', true, true ),
			'template by an administrator'             => array( 'wp_template', 'administrator', true, true ),
			'template part by an administrator'        => array( 'wp_template_part', 'administrator', true, true ),
			'published post by a contributor'          => array( 'post', 'contributor', false, false ),
			'published post by a subscriber'           => array( 'post', 'subscriber', false, false ),
			'published post without an author'         => array( 'post', '', false, false ),
			'page by an author (cannot publish pages)' => array( 'page', 'author', false, false ),
			'template by an editor (no theme rights)'  => array( 'wp_template', 'editor', false, false ),
			'non-public type, by an administrator'     => array( self::HIDDEN_TYPE, 'administrator', false, false ),
			'non-public type, even when allow-listed'  => array( self::HIDDEN_TYPE, 'administrator', false, false, $extra ),
			'public type not on the allow-list'        => array( self::PUBLIC_TYPE, 'administrator', false, false ),
			'public type on the allow-list'            => array( self::PUBLIC_TYPE, 'editor', true, true, $extra ),
			'allow-listed public type by an author'    => array( self::PUBLIC_TYPE, 'author', false, true, $extra ),
			'allow-listed public type by contributor'  => array( self::PUBLIC_TYPE, 'contributor', false, false, $extra ),
		);
	}

	/**
	 * Saving content offers its number only under the rules; rebuilding on activation applies the same rules;
	 * allowing authors takes effect without saving again.
	 *
	 * @dataProvider sources
	 * @param string        $type          Post type.
	 * @param string        $role          Author's role.
	 * @param bool          $offered       Whether the number is offered.
	 * @param bool          $with_authors  Whether it is offered when authors are allowed.
	 * @param string[]|null $types         Allow-list, when filtered.
	 */
	public function test_who_may_offer_numbers( string $type, string $role, bool $offered, bool $with_authors, ?array $types = null ): void {
		if ( null !== $types ) {
			$this->add_test_filter(
				'vodia_call_indexed_post_types',
				function () use ( $types ) {
					return $types;
				}
			);
		}
		$settings = $this->configure();
		$this->insert( $type, $role );
		$this->assertSame( $offered, vodia_call_is_number_offered( '0900123456' ), 'on save' );
		$this->assertSame( $offered ? 302 : 404, vodia_call_popup_response( array( 'destnumber' => '0900123456' ), $settings )['status'] );

		update_option( VODIA_CALL_INDEX_OPTION, array( '0900123456' => array( 'post:0' ) ), false );
		vodia_call_rebuild_number_index();
		$this->assertSame( $offered, vodia_call_is_number_offered( '0900123456' ), 'after a rebuild' );

		$settings = $this->configure( array( 'allow_authors' => true ) );
		$this->assertSame( $with_authors, vodia_call_is_number_offered( '0900123456' ), 'authors allowed' );
		$this->assertSame( $with_authors ? 302 : 404, vodia_call_popup_response( array( 'destnumber' => '0900123456' ), $settings )['status'] );
	}

	/**
	 * The rebuild finds posts of every indexed type that were published while the plugin was inactive, and skips
	 * the rest, in one pass.
	 */
	public function test_rebuild_finds_only_allowed_content(): void {
		remove_action( 'wp_after_insert_post', 'vodia_call_on_after_insert_post' );
		remove_action( 'transition_post_status', 'vodia_call_on_transition_post_status', 10 );
		try {
			$this->insert( 'post', 'author', '[vodia_call number="601"]' );
			$this->insert( 'page', 'editor', '<!-- wp:vodia-call/click-to-call {"number":"602"} /-->' );
			$this->insert( 'wp_block', 'author', '[vodia_call number="603"]' );
			$this->insert( self::HIDDEN_TYPE, 'subscriber', '[vodia_call number="604"]' );
			$this->insert( 'post', 'contributor', '[vodia_call number="605"]' );
			$this->insert( self::PUBLIC_TYPE, 'author', '[vodia_call number="606"]' );
		} finally {
			add_action( 'wp_after_insert_post', 'vodia_call_on_after_insert_post' );
			add_action( 'transition_post_status', 'vodia_call_on_transition_post_status', 10, 3 );
		}
		vodia_call_activate();
		// Candidates: content whose author may publish it. Whether an author's content counts is decided at
		// request time.
		$this->assertSame( array( '601', '602', '603' ), array_map( 'strval', array_keys( vodia_call_get_number_index() ) ) );
		$this->assertFalse( vodia_call_is_number_offered( '601' ), 'an author\'s post' );
		$this->assertTrue( vodia_call_is_number_offered( '602' ), 'an editor\'s page' );
	}

	/**
	 * A post leaves the index when its type stops counting, at its next save.
	 */
	public function test_type_removed_from_allow_list_drops_at_next_save(): void {
		$id = $this->insert( 'page', 'editor', '[vodia_call number="700"]' );
		$this->assertTrue( vodia_call_is_number_offered( '700' ) );
		$this->add_test_filter(
			'vodia_call_indexed_post_types',
			function () {
				return array( 'post' );
			}
		);
		wp_update_post(
			array(
				'ID'         => $id,
				'post_title' => 'Changed',
			)
		);
		$this->assertFalse( vodia_call_is_number_offered( '700' ) );
	}

	/**
	 * Defaults and the capability each type takes.
	 */
	public function test_defaults(): void {
		$this->assertSame( array( 'post', 'page', 'wp_block', 'wp_template', 'wp_template_part' ), vodia_call_indexed_post_types() );
		$this->assertSame( 'publish_posts', vodia_call_publish_capability( 'post' ) );
		$this->assertSame( 'publish_pages', vodia_call_publish_capability( 'page' ) );
		$this->assertSame( 'publish_posts', vodia_call_publish_capability( 'wp_block' ) );
		$this->assertSame( 'edit_theme_options', vodia_call_publish_capability( 'wp_template' ) );
		$this->assertFalse( vodia_call_post_type_is_indexed( 'attachment' ) );
		$this->assertFalse( vodia_call_post_type_is_indexed( 'no_such_type' ) );
	}
}

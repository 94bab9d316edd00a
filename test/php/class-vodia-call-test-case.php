<?php
/**
 * Base test case: one database transaction per test, rolled back; caches and globals reset.
 *
 * @package VodiaClickToCall
 */

use PHPUnit\Framework\TestCase;

/**
 * Base for the plugin's tests.
 */
abstract class Vodia_Call_Test_Case extends TestCase {

	/** The test PBX password the fixtures use. */
	const PASSWORD = 'correct horse battery staple 7Q!';

	/**
	 * Filters added by the test, removed afterwards.
	 *
	 * @var array<int, array{0:string, 1:callable, 2:int}>
	 */
	private $added_filters = array();

	/**
	 * Starts the transaction.
	 */
	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		$wpdb->suppress_errors( false );
		$wpdb->query( 'START TRANSACTION' );
		$this->reset_globals();
	}

	/**
	 * Rolls back.
	 */
	protected function tearDown(): void {
		global $wpdb;
		foreach ( $this->added_filters as $filter ) {
			remove_filter( $filter[0], $filter[1], $filter[2] );
		}
		$this->added_filters = array();
		$wpdb->query( 'ROLLBACK' );
		$this->reset_globals();
		parent::tearDown();
	}

	/**
	 * Resets what WordPress keeps in memory between calls.
	 */
	private function reset_globals(): void {
		global $wp_settings_errors, $post;
		wp_cache_flush();
		$wp_settings_errors     = array();
		$post                   = null; // phpcs:ignore WordPress.WP.GlobalVariablesOverride -- reset between tests.
		$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
		wp_set_current_user( 0 );
		wp_dequeue_script( VODIA_CALL_BINDER_HANDLE );
	}

	/**
	 * Adds a filter for this test only.
	 *
	 * @param string   $hook     Hook.
	 * @param callable $callback Callback.
	 * @param int      $priority Priority.
	 */
	protected function add_test_filter( string $hook, callable $callback, int $priority = 10 ): void {
		add_filter( $hook, $callback, $priority, 99 );
		$this->added_filters[] = array( $hook, $callback, $priority );
	}

	/**
	 * Stores working popup-mode settings (through the sanitize callback, as the settings page would).
	 *
	 * @param array<string, mixed> $overrides Values to change.
	 * @return array<string, mixed> The cleaned settings.
	 */
	protected function configure( array $overrides = array() ): array {
		update_option(
			VODIA_CALL_OPTION,
			array_merge(
				array(
					'server'    => 'ws://127.0.0.1:5066/ws',
					'domain'    => '127.0.0.1',
					'extension' => '40',
					'password'  => self::PASSWORD,
					'duration'  => 3600,
					'lang'      => '',
					'mode'      => 'popup',
					'dtmf'      => 'rfc4733',
				),
				$overrides
			)
		);
		return vodia_call_get_settings();
	}

	/**
	 * The endpoint's answer to a valid request for a link to `$number` signed now (as the popup page would have
	 * signed it), through WordPress's REST server.
	 *
	 * @param string $number Number.
	 */
	protected function authorize_signed( string $number = '100' ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', '/vodia-call/v1/authorize' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body(
			(string) wp_json_encode(
				array_merge(
					vodia_call_sign_link( $number, '', vodia_call_get_settings() ),
					array(
						'method'    => 'INVITE',
						'uri'       => 'sip:' . rawurlencode( $number ) . '@127.0.0.1',
						'status'    => 407,
						'challenge' => 'Digest realm="127.0.0.1", nonce="n0nce", qop="auth"',
					)
				)
			)
		);
		return rest_do_request( $request );
	}

	/**
	 * The settings page as an administrator sees it, for the current settings.
	 */
	protected function settings_page_html(): string {
		wp_set_current_user( $this->make_user( 'administrator' ) );
		$GLOBALS['title'] = 'Vodia Click-to-Call'; // phpcs:ignore WordPress.WP.GlobalVariablesOverride -- get_admin_page_title() reads it.
		vodia_call_add_settings_fields();
		ob_start();
		vodia_call_render_settings_page();
		return (string) ob_get_clean();
	}

	/**
	 * Creates a user with a role; rolled back with the test.
	 *
	 * @param string $role Role.
	 */
	protected function make_user( string $role ): int {
		$id = wp_insert_user(
			array(
				'user_login' => $role . '_' . wp_generate_password( 6, false ),
				'user_pass'  => wp_generate_password( 20 ),
				'user_email' => $role . wp_generate_password( 6, false ) . '@example.com',
				'role'       => $role,
			)
		);
		$this->assertIsInt( $id );
		return $id;
	}

	/**
	 * Publishes a post; rolled back with the test.
	 *
	 * @param string $content Content.
	 * @param string $status  Status.
	 */
	protected function make_post( string $content, string $status = 'publish' ): int {
		$id = wp_insert_post(
			array(
				'post_title'   => 'Call us',
				'post_content' => $content,
				'post_status'  => $status,
				'post_author'  => 1,
			),
			true
		);
		$this->assertIsInt( $id );
		return $id;
	}

	/**
	 * Publishes a post by the administrator linking to numbers, so the popup page signs them and the endpoint
	 * answers for them; rolled back with the test.
	 *
	 * @param string ...$numbers Numbers.
	 */
	protected function offer( string ...$numbers ): void {
		$content = '';
		foreach ( $numbers as $number ) {
			$content .= '[vodia_call number="' . $number . '"] ';
		}
		$this->make_post( $content );
	}

	/**
	 * Asserts that HTML holds no script, no event handler attribute and no javascript: URL.
	 *
	 * @param string $html HTML.
	 */
	protected function assertNoActiveContent( string $html ): void {
		$dom = new DOMDocument();
		libxml_use_internal_errors( true );
		$dom->loadHTML( '<!doctype html><html><body>' . $html . '</body></html>' );
		libxml_clear_errors();
		$this->assertSame( 0, $dom->getElementsByTagName( 'script' )->length, "script element in: $html" );
		foreach ( $dom->getElementsByTagName( '*' ) as $element ) {
			foreach ( $element->attributes as $attribute ) {
				$this->assertStringStartsNotWith( 'on', strtolower( $attribute->name ), "event handler in: $html" );
				$this->assertStringNotContainsStringIgnoringCase( 'javascript:', $attribute->value, "javascript: URL in: $html" );
			}
		}
	}

	/**
	 * The <a> elements of some HTML.
	 *
	 * @param string $html HTML.
	 * @return DOMElement[]
	 */
	protected function links( string $html ): array {
		$dom = new DOMDocument();
		libxml_use_internal_errors( true );
		$dom->loadHTML( '<!doctype html><html><meta charset="utf-8"><body>' . $html . '</body></html>' );
		libxml_clear_errors();
		return iterator_to_array( $dom->getElementsByTagName( 'a' ) );
	}
}

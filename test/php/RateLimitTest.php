<?php
/**
 * The endpoint's rate limits behind a reverse proxy or CDN: the client is the last untrusted hop of
 * X-Forwarded-For when the request comes from a trusted proxy, not the proxy; counting is atomic; a flood of
 * distinct /64s cannot grow the options table without bound; and a number answered for too many calls in a
 * short window gets 429 whoever asks.
 *
 * @package VodiaClickToCall
 */

/**
 * Rate limit tests.
 */
class RateLimitTest extends Vodia_Call_Test_Case {

	/**
	 * Resets what the tests here change in $_SERVER.
	 */
	protected function tearDown(): void {
		unset( $_SERVER['HTTP_X_FORWARDED_FOR'] );
		parent::tearDown();
	}

	/**
	 * Sets a limit for this test.
	 *
	 * @param string $hook     Filter: vodia_call_rate_limit or vodia_call_number_limit.
	 * @param int    $requests Requests per window.
	 * @param int    $window   Seconds.
	 */
	private function limit( string $hook, int $requests, int $window = 60 ): void {
		$this->add_test_filter(
			$hook,
			function () use ( $requests, $window ) {
				return array(
					'requests' => $requests,
					'window'   => $window,
				);
			}
		);
	}

	/**
	 * The rate-limit rows in the options table (per client, per number).
	 *
	 * @param string $kind Kind: rl (per client) or nl (per number).
	 * @return string[]
	 */
	private function bucket_rows( string $kind = 'rl' ): array {
		global $wpdb;
		return $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s", $wpdb->esc_like( "vodia_call_{$kind}_" ) . '%', '%' . $wpdb->esc_like( "_transient_vodia_call_{$kind}_" ) . '%' ) );
	}

	/**
	 * REMOTE_ADDR, X-Forwarded-For and trusted proxies, and the client they name.
	 *
	 * @return array<string, array{0:string, 1:string|null, 2:string, 3:string}>
	 */
	public function forwarded(): array {
		return array(
			'no trusted proxies: the header is ignored'   => array( '203.0.113.9', '198.51.100.7', '', '203.0.113.9' ),
			'remote not trusted: the header is ignored'   => array( '203.0.113.9', '198.51.100.7', '10.0.0.0/8', '203.0.113.9' ),
			'one trusted proxy'                           => array( '10.0.0.2', '198.51.100.7', '10.0.0.0/8', '198.51.100.7' ),
			'proxy given as an address'                   => array( '10.0.0.2', '198.51.100.7', '10.0.0.2', '198.51.100.7' ),
			'spoofed entries left of the real client'     => array( '10.0.0.2', '1.2.3.4, 198.51.100.7', '10.0.0.0/8', '198.51.100.7' ),
			'two trusted proxies in a chain'              => array( '10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.3', '10.0.0.0/8', '198.51.100.7' ),
			'CDN range and a local proxy'                 => array( '127.0.0.1', '198.51.100.7, 173.245.48.10', "127.0.0.1\n173.245.48.0/20", '198.51.100.7' ),
			'garbage is skipped'                          => array( '10.0.0.2', '198.51.100.7, unknown, 10.0.0.3', '10.0.0.0/8', '198.51.100.7' ),
			'garbage only: the proxy'                     => array( '10.0.0.2', 'unknown, <script>', '10.0.0.0/8', '10.0.0.2' ),
			'empty header: the proxy'                     => array( '10.0.0.2', '', '10.0.0.0/8', '10.0.0.2' ),
			'no header: the proxy'                        => array( '10.0.0.2', null, '10.0.0.0/8', '10.0.0.2' ),
			'only trusted hops: the farthest'             => array( '10.0.0.2', '10.0.0.4, 10.0.0.3', '10.0.0.0/8', '10.0.0.4' ),
			'IPv4 with a port'                            => array( '10.0.0.2', '198.51.100.7:51234', '10.0.0.0/8', '198.51.100.7' ),
			'IPv6 in brackets with a port'                => array( '10.0.0.2', '[2001:DB8::1]:443', '10.0.0.0/8', '2001:db8::1' ),
			'IPv6 client, IPv6 proxy range'               => array( '2001:db8:ffff::2', '2001:db8:1:2::9', '2001:db8:ffff::/48', '2001:db8:1:2::9' ),
			'IPv4-mapped proxy address'                   => array( '::ffff:10.0.0.2', '198.51.100.7', '10.0.0.0/8', '198.51.100.7' ),
			'IPv4-mapped client'                          => array( '10.0.0.2', '::ffff:198.51.100.7', '10.0.0.0/8', '198.51.100.7' ),
			'proxy outside a narrower range'              => array( '10.1.0.2', '198.51.100.7', '10.0.0.0/16', '10.1.0.2' ),
			'header with a line break (garbage)'          => array( '10.0.0.2', "198.51.100.7\n, 198.51.100.8", '10.0.0.0/8', '198.51.100.8' ),
			'many hops: only the last ones are read'      => array( '10.0.0.2', str_repeat( '10.0.0.9, ', 100 ) . '198.51.100.7', '10.0.0.0/8', '198.51.100.7' ),
		);
	}

	/**
	 * The client address the limit counts against.
	 *
	 * @dataProvider forwarded
	 * @param string      $remote   REMOTE_ADDR.
	 * @param string|null $header   X-Forwarded-For, or null for none.
	 * @param string      $proxies  Trusted proxies setting.
	 * @param string      $expected Client.
	 */
	public function test_client_address( string $remote, ?string $header, string $proxies, string $expected ): void {
		$this->configure( array( 'trusted_proxies' => $proxies ) );
		$this->assertSame( array(), get_settings_errors( VODIA_CALL_OPTION ) );
		$_SERVER['REMOTE_ADDR'] = $remote;
		if ( null === $header ) {
			unset( $_SERVER['HTTP_X_FORWARDED_FOR'] );
		} else {
			$_SERVER['HTTP_X_FORWARDED_FOR'] = $header;
		}
		$this->assertSame( $expected, vodia_call_client_ip() );
	}

	/**
	 * Behind a trusted proxy, each visitor has their own budget: thirty visitors are not one.
	 */
	public function test_visitors_behind_a_proxy_have_their_own_budgets(): void {
		$this->configure( array( 'trusted_proxies' => '10.0.0.0/8' ) );
		$this->offer( '100' );
		$this->limit( 'vodia_call_rate_limit', 2 );
		$_SERVER['REMOTE_ADDR'] = '10.0.0.2';
		for ( $visitor = 1; $visitor <= 5; $visitor++ ) {
			$_SERVER['HTTP_X_FORWARDED_FOR'] = "198.51.100.$visitor";
			$this->assertSame( 200, $this->authorize_signed()->get_status(), "visitor $visitor, first call" );
			$this->assertSame( 200, $this->authorize_signed()->get_status(), "visitor $visitor, second call" );
		}
		$_SERVER['HTTP_X_FORWARDED_FOR'] = '198.51.100.1';
		$this->assertSame( 429, $this->authorize_signed()->get_status(), 'visitor 1 over the limit' );
		// A visitor who puts a fake address in front of the real one is still counted as themselves.
		$_SERVER['HTTP_X_FORWARDED_FOR'] = '192.0.2.77, 198.51.100.1';
		$this->assertSame( 429, $this->authorize_signed()->get_status(), 'visitor 1 behind a fake address' );
	}

	/**
	 * Without a persistent object cache, buckets are option rows; a flood of distinct /64s creates at most the
	 * cap of them per window, the rest share one overflow bucket (with the same limit), and rows of past
	 * windows go when new ones come.
	 */
	public function test_bucket_cap_without_object_cache(): void {
		$this->assertFalse( (bool) wp_using_ext_object_cache() );
		$this->add_test_filter(
			'vodia_call_rate_limit_max_buckets',
			function () {
				return 5;
			}
		);
		$this->limit( 'vodia_call_rate_limit', 3, 300 );
		$now = 1764153600;
		for ( $i = 1; $i <= 100; $i++ ) {
			$allowed = vodia_call_rate_limit_allows( sprintf( '2001:db8:%x::1', $i ), $now );
			// The first five prefixes have buckets of their own; the other 95 share one, which allows three:
			// prefixes 6 to 8.
			$this->assertSame( $i <= 8, $allowed, "prefix $i" );
		}
		$this->assertCount( 6, $this->bucket_rows(), 'five buckets and the overflow bucket' );
		$this->assertFalse( vodia_call_rate_limit_allows( '2001:db8:63::1', $now ), 'an overflowing prefix stays limited' );
		$this->assertTrue( vodia_call_rate_limit_allows( '2001:db8:1::1', $now ), 'a prefix with its own bucket keeps its budget' );

		// The next window: the old rows go as soon as a new bucket is made.
		$this->assertTrue( vodia_call_rate_limit_allows( '2001:db8:63::1', $now + 300 ) );
		$this->assertCount( 1, $this->bucket_rows() );
	}

	/**
	 * With a persistent object cache, counting is wp_cache_add() + wp_cache_incr(): atomic in Redis and
	 * Memcached, and nothing goes to the options table.
	 */
	public function test_object_cache_counts_atomically(): void {
		// wp_using_ext_object_cache( null ) would not restore a null: put the global back as it was.
		$previous = $GLOBALS['_wp_using_ext_object_cache'] ?? null;
		wp_using_ext_object_cache( true );
		try {
			$this->limit( 'vodia_call_rate_limit', 3, 300 );
			$now = 1764153600;
			$this->assertTrue( vodia_call_rate_limit_allows( '192.0.2.5', $now ) );
			$this->assertTrue( vodia_call_rate_limit_allows( '192.0.2.5', $now + 10 ) );
			$this->assertSame( 2, wp_cache_get( 'rl_' . $now . '_' . md5( '192.0.2.5' ), 'vodia_call' ) );
			$this->assertTrue( vodia_call_rate_limit_allows( '192.0.2.5', $now + 20 ) );
			$this->assertFalse( vodia_call_rate_limit_allows( '192.0.2.5', $now + 30 ) );
			$this->assertTrue( vodia_call_rate_limit_allows( '192.0.2.6', $now + 30 ) );
			$this->assertTrue( vodia_call_rate_limit_allows( '192.0.2.5', $now + 300 ), 'the next window' );
			$this->assertSame( array(), $this->bucket_rows() );
		} finally {
			$GLOBALS['_wp_using_ext_object_cache'] = $previous; // phpcs:ignore WordPress.WP.GlobalVariablesOverride -- restoring it.
		}
	}

	/**
	 * Concurrent requests to the real server (PHP's built-in server with several workers) never get more than
	 * the limit through: the options-table counter is one atomic UPDATE, not a read and a write.
	 */
	public function test_concurrent_requests_never_exceed_the_limit(): void {
		global $wpdb;
		$clear = function () use ( $wpdb ) {
			// The server counts in its own connection: clear its rows for real (committed), then go on in a
			// transaction as every test does.
			$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE 'vodia\\_call\\_rl\\_%' OR option_name LIKE '\\_transient\\_%vodia\\_call\\_rl\\_%'" );
			$wpdb->query( 'COMMIT' );
			$wpdb->query( 'START TRANSACTION' );
		};
		$clear();
		try {
			// Not across a window boundary (windows of 300 s start at multiples of 300): on a busy machine the
			// 45 requests can take many seconds, so a batch that crossed one is sent again in the new window.
			for ( $attempt = 0; $attempt < 2; $attempt++ ) {
				if ( time() % 300 > 290 ) {
					sleep( 300 - time() % 300 + 1 );
				}
				$window   = intdiv( time(), 300 );
				$statuses = $this->concurrent_authorize_statuses( 45 );
				if ( intdiv( time(), 300 ) === $window ) {
					break;
				}
				$clear();
			}
			$counts = array_count_values( $statuses );
			$this->assertSame( 30, $counts['counted'] ?? 0, 'the default limit is 30 per 300 s: ' . wp_json_encode( $counts ) );
			$this->assertSame( 15, $counts['limited'] ?? 0 );
		} finally {
			$clear();
		}
	}

	/**
	 * Sends `$n` requests to the endpoint at once; each status as 'counted' or 'limited'.
	 *
	 * @param int $n How many.
	 * @return string[]
	 */
	private function concurrent_authorize_statuses( int $n ): array {
		$requests = array();
		for ( $i = 0; $i < $n; $i++ ) {
			$requests[] = array(
				'url'     => rest_url( 'vodia-call/v1/authorize' ),
				'type'    => 'POST',
				'headers' => array( 'Content-Type' => 'application/json' ),
				'data'    => '{}',
			);
		}
		$responses = WpOrg\Requests\Requests::request_multiple( $requests, array( 'timeout' => 60 ) );
		$statuses  = array();
		foreach ( $responses as $response ) {
			$this->assertInstanceOf( WpOrg\Requests\Response::class, $response );
			$statuses[] = 429 === $response->status_code ? 'limited' : 'counted';
		}
		return $statuses;
	}

	/**
	 * A number answered for more than N calls in a minute gets 429, whoever asks; refusals do not count;
	 * other numbers are not affected.
	 */
	public function test_per_number_limit(): void {
		$this->configure( array( 'number_limit' => 3 ) );
		$this->offer( '100', '101' );
		for ( $i = 1; $i <= 3; $i++ ) {
			$_SERVER['REMOTE_ADDR'] = "192.0.2.$i";
			$this->assertSame( 200, $this->authorize_signed()->get_status(), "answer $i" );
		}
		$_SERVER['REMOTE_ADDR'] = '192.0.2.9';
		$limited                = $this->authorize_signed();
		$this->assertSame( 429, $limited->get_status() );
		$this->assertSame( array( 'code' => 'number-rate-limited' ), $limited->get_data() );
		$this->assertSame( 200, $this->authorize_signed( '101' )->get_status(), 'another number' );
	}

	/**
	 * Refused requests do not use up a number's budget.
	 */
	public function test_refusals_do_not_count_for_the_number(): void {
		$this->configure( array( 'number_limit' => 1 ) );
		$this->offer( '100' );
		$request = new WP_REST_Request( 'POST', '/vodia-call/v1/authorize' );
		$request->set_header( 'Content-Type', 'application/json' );
		$body           = vodia_call_sign_link( '100', '', vodia_call_get_settings() );
		$body['method'] = 'BYE';
		$request->set_body( (string) wp_json_encode( $body + array( 'uri' => 'sip:100@127.0.0.1', 'status' => 407, 'challenge' => 'Digest realm="127.0.0.1", nonce="n", qop="auth"' ) ) );
		$this->assertSame( 403, rest_do_request( $request )->get_status() );
		$this->assertSame( 200, $this->authorize_signed()->get_status() );
		$this->assertSame( 429, $this->authorize_signed()->get_status() );
	}

	/**
	 * The per-number limit's default, and the filter that changes its window.
	 */
	public function test_per_number_limit_default_and_filter(): void {
		$settings = $this->configure();
		$this->assertSame( 20, $settings['number_limit'] );
		$this->assertSame(
			array(
				'requests' => 20,
				'window'   => 60,
			),
			vodia_call_number_limit( $settings )
		);
		$this->limit( 'vodia_call_number_limit', 1, 10 );
		$this->offer( '100' );
		$this->assertSame( 200, $this->authorize_signed()->get_status() );
		$this->assertSame( 429, $this->authorize_signed()->get_status() );
		$this->assertCount( 1, $this->bucket_rows( 'nl' ) );
	}

	/**
	 * The settings: defaults and cleaning.
	 */
	public function test_settings(): void {
		$defaults = vodia_call_default_settings();
		$this->assertSame( array(), $defaults['trusted_proxies'] );
		$this->assertSame( 20, $defaults['number_limit'] );
		$good = array(
			array( 'trusted_proxies', "10.0.0.2\n10.0.0.0/8\r\n2001:DB8::/32, 173.245.48.0/20 ::1", array( '10.0.0.2', '10.0.0.0/8', '2001:db8::/32', '173.245.48.0/20', '::1' ) ),
			array( 'trusted_proxies', '10.1.2.3/8', array( '10.0.0.0/8' ) ),
			array( 'trusted_proxies', '10.0.0.2/32 2001:db8::5/128', array( '10.0.0.2', '2001:db8::5' ) ),
			array( 'trusted_proxies', '::ffff:10.0.0.2', array( '10.0.0.2' ) ),
			array( 'trusted_proxies', '', array() ),
			array( 'trusted_proxies', array( '10.0.0.0/8' ), array( '10.0.0.0/8' ) ),
			array( 'number_limit', '5', 5 ),
			array( 'number_limit', 10000, 10000 ),
			array( 'number_limit', "50\n", 50 ),
		);
		foreach ( $good as list( $field, $input, $expected ) ) {
			$errors = array();
			$this->assertSame( $expected, vodia_call_clean_settings( array( $field => $input ), $defaults, $errors )[ $field ], $field . ': ' . wp_json_encode( $input ) );
			$this->assertSame( array(), $errors );
		}
		$bad = array(
			array( 'trusted_proxies', 'proxy.example.com' ),
			array( 'trusted_proxies', '10.0.0.0/33' ),
			array( 'trusted_proxies', '10.0.0.0/x' ),
			array( 'trusted_proxies', '0.0.0.0/0' ),
			array( 'trusted_proxies', '10.0.0.0/7' ),
			array( 'trusted_proxies', '::/0' ),
			array( 'trusted_proxies', '2001:db8::/15' ),
			array( 'trusted_proxies', 'fe80::1%eth0' ),
			array( 'trusted_proxies', array( 42 ) ),
			array( 'trusted_proxies', array( "10.0.0.2\n" ) ),
			array( 'trusted_proxies', implode( ' ', array_map( 'long2ip', range( ip2long( '10.0.0.1' ), ip2long( '10.0.0.101' ) ) ) ) ),
			array( 'number_limit', 0 ),
			array( 'number_limit', '10001' ),
			array( 'number_limit', '5x' ),
			array( 'number_limit', '-1' ),
		);
		foreach ( $bad as list( $field, $input ) ) {
			$errors = array();
			vodia_call_clean_settings( array( $field => $input ), $defaults, $errors );
			$this->assertArrayHasKey( $field, $errors, $field . ': ' . wp_json_encode( $input ) );
		}
	}

	/**
	 * The settings page offers both, explained.
	 */
	public function test_settings_page(): void {
		$this->configure( array( 'trusted_proxies' => "10.0.0.0/8\n173.245.48.0/20" ) );
		$html = $this->settings_page_html();
		$this->assertMatchesRegularExpression( '#<textarea[^>]*id="vodia_call_trusted_proxies" name="vodia_call_settings\[trusted_proxies\]"[^>]*>10\.0\.0\.0/8\n173\.245\.48\.0/20</textarea>#', $html );
		$this->assertStringContainsString( 'X-Forwarded-For', $html );
		$this->assertMatchesRegularExpression( '/<input type="number"[^>]*id="vodia_call_number_limit" name="vodia_call_settings\[number_limit\]" value="20"/', $html );
	}
}

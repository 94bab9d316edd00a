<?php
/**
 * Uninstall removes everything the plugin stored.
 *
 * @package VodiaClickToCall
 */

/**
 * Uninstall test.
 */
class UninstallTest extends Vodia_Call_Test_Case {

	/**
	 * Settings, the number index, the rate-limit counters (per client and per number, and the transients older
	 * versions kept) are gone; other options stay.
	 */
	public function test_uninstall_removes_everything(): void {
		global $wpdb;
		$settings = $this->configure();
		$this->make_post( '[vodia_call number="100"]' );
		vodia_call_rate_limit_allows( '192.0.2.9' );
		vodia_call_number_limit_allows( '100', $settings );
		set_transient( 'vodia_call_rl_' . md5( '192.0.2.10' ), array( 'start' => time(), 'count' => 1 ), 300 );
		update_option( 'vodia_call_unrelated_neighbour_test', 'x' );
		$this->assertNotEmpty( get_option( VODIA_CALL_INDEX_OPTION ) );
		$this->assertCount( 1, $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE 'vodia\\_call\\_rl\\_%'" ) );
		$this->assertCount( 1, $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE 'vodia\\_call\\_nl\\_%'" ) );
		$this->assertCount( 2, $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_%vodia\\_call\\_rl\\_%'" ) );

		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'vodia-click-to-call/vodia-click-to-call.php' );
		}
		include VODIA_CALL_DIR . '/uninstall.php';
		wp_cache_flush();

		$left = $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%vodia\\_call%'" );
		$this->assertSame( array( 'vodia_call_unrelated_neighbour_test' ), $left );
		$this->assertSame( vodia_call_default_settings(), vodia_call_get_settings() );
	}
}

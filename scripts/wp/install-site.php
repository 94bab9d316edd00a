<?php
/**
 * Installs the test site (there is no wp-cli here): php install-site.php SITE_DIR URL SITE_JSON
 *
 * Creates the admin (random password) and a subscriber, sets pretty permalinks so the REST API lives at
 * /wp-json/, activates the plugin, and writes the logins to SITE_JSON for the tests.
 *
 * @package VodiaClickToCall
 */

if ( 'cli' !== PHP_SAPI || $argc < 4 ) {
	fwrite( STDERR, "usage: php install-site.php SITE_DIR URL SITE_JSON\n" );
	exit( 2 );
}
list( , $vodia_call_site, $vodia_call_url, $vodia_call_json ) = $argv;

$vodia_call_parts       = parse_url( $vodia_call_url );
$_SERVER['HTTP_HOST']   = $vodia_call_parts['host'] . ( isset( $vodia_call_parts['port'] ) ? ':' . $vodia_call_parts['port'] : '' );
$_SERVER['SERVER_NAME'] = $vodia_call_parts['host'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PORT'] = isset( $vodia_call_parts['port'] ) ? (string) $vodia_call_parts['port'] : '80';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
define( 'WP_INSTALLING', true );

require $vodia_call_site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

// Installing sends the admin a mail; there is no mail here.
add_filter( 'pre_wp_mail', '__return_false' );

$vodia_call_admin_pass = wp_generate_password( 24, false );
$vodia_call_result     = wp_install( 'Vodia Click-to-Call test', 'admin', 'admin@example.com', false, '', $vodia_call_admin_pass );
if ( is_wp_error( $vodia_call_result ) || empty( $vodia_call_result['user_id'] ) ) {
	fwrite( STDERR, "wp_install failed\n" );
	exit( 1 );
}

$vodia_call_sub_pass = wp_generate_password( 24, false );
$vodia_call_sub_id   = wp_insert_user(
	array(
		'user_login' => 'subscriber',
		'user_pass'  => $vodia_call_sub_pass,
		'user_email' => 'subscriber@example.com',
		'role'       => 'subscriber',
	)
);
if ( is_wp_error( $vodia_call_sub_id ) ) {
	fwrite( STDERR, 'subscriber: ' . $vodia_call_sub_id->get_error_message() . "\n" );
	exit( 1 );
}

update_option( 'permalink_structure', '/%postname%/' );
switch_theme( 'twentytwentyfive' );
flush_rewrite_rules( false );

$vodia_call_activated = activate_plugin( 'vodia-click-to-call/vodia-click-to-call.php' );
if ( is_wp_error( $vodia_call_activated ) ) {
	fwrite( STDERR, 'activate: ' . $vodia_call_activated->get_error_message() . "\n" );
	exit( 1 );
}

file_put_contents(
	$vodia_call_json,
	json_encode(
		array(
			'url'        => $vodia_call_url,
			'dir'        => $vodia_call_site,
			'version'    => get_bloginfo( 'version' ),
			'admin'      => array(
				'user'     => 'admin',
				'password' => $vodia_call_admin_pass,
			),
			'subscriber' => array(
				'user'     => 'subscriber',
				'password' => $vodia_call_sub_pass,
			),
			'plugin'     => 'vodia-click-to-call/vodia-click-to-call.php',
		),
		JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES
	) . "\n"
);
chmod( $vodia_call_json, 0600 );
fwrite( STDERR, "installed WordPress " . get_bloginfo( 'version' ) . " at $vodia_call_url\n" );

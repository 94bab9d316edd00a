<?php
/**
 * The demo's WordPress (scripts/demo.sh): sets the plugin up against the demo PBX and publishes a page of
 * call links, through WordPress's own API as the settings form and the editor would.
 *   php configure-wp.php SITE_DIR SITE_JSON OUT_JSON
 * The PBX comes from the environment (VODIA_DEMO_WP_SERVER, _DOMAIN, _EXTENSION, _PASSWORD, _NUMBERS: a JSON
 * object such as {"echo":"100"}), not the command line, so the password shows in no process list.
 * Writes OUT_JSON: the page's URL and the admin login, for the demo's banner and its check.
 *
 * @package VodiaClickToCall
 */

if ( 'cli' !== PHP_SAPI || $argc < 4 ) {
	fwrite( STDERR, "usage: php configure-wp.php SITE_DIR SITE_JSON OUT_JSON\n" );
	exit( 2 );
}
list( , $vodia_demo_site, $vodia_demo_site_json, $vodia_demo_out ) = $argv;
$vodia_demo_info    = json_decode( file_get_contents( $vodia_demo_site_json ), true );
$vodia_demo_numbers = json_decode( (string) getenv( 'VODIA_DEMO_WP_NUMBERS' ), true );
if ( ! is_array( $vodia_demo_numbers ) || empty( $vodia_demo_numbers['echo'] ) ) {
	fwrite( STDERR, "VODIA_DEMO_WP_NUMBERS must be a JSON object with at least an echo number\n" );
	exit( 2 );
}

$vodia_demo_parts       = parse_url( $vodia_demo_info['url'] );
$_SERVER['HTTP_HOST']   = $vodia_demo_parts['host'] . ':' . $vodia_demo_parts['port'];
$_SERVER['SERVER_NAME'] = $vodia_demo_parts['host'];
$_SERVER['REQUEST_URI'] = '/';
define( 'WP_USE_THEMES', false );
require $vodia_demo_site . '/wp-load.php';
wp_set_current_user( 1 );

// The sanitize callback cleans and encrypts as on the settings page; a value it refuses shows up as an
// admin notice there, so compare what was stored with what was asked.
$vodia_demo_wanted = array(
	'server'    => (string) getenv( 'VODIA_DEMO_WP_SERVER' ),
	'domain'    => (string) getenv( 'VODIA_DEMO_WP_DOMAIN' ),
	'extension' => (string) getenv( 'VODIA_DEMO_WP_EXTENSION' ),
	'password'  => (string) getenv( 'VODIA_DEMO_WP_PASSWORD' ),
	'mode'      => 'popup',
);
update_option( 'vodia_call_settings', $vodia_demo_wanted );
$vodia_demo_stored = get_option( 'vodia_call_settings' );
foreach ( array( 'server', 'domain', 'extension' ) as $vodia_demo_key ) {
	if ( ( $vodia_demo_stored[ $vodia_demo_key ] ?? null ) !== $vodia_demo_wanted[ $vodia_demo_key ] ) {
		fwrite( STDERR, "the plugin refused the demo's $vodia_demo_key: {$vodia_demo_wanted[ $vodia_demo_key ]}\n" );
		exit( 1 );
	}
}

// Shortcodes and the block, each link inside a sentence (WordPress unwraps a paragraph that holds only a
// shortcode, and the theme then sets the bare link outside the text column); the `context` text goes with the call to the PBX (X-Call-Context).
$vodia_demo_n       = $vodia_demo_numbers;
$vodia_demo_content = implode(
	"\n\n",
	array_filter(
		array(
			'<!-- wp:paragraph --><p>Each link below is made by the Vodia Click-to-Call plugin and places a real WebRTC call through the demo PBX. No login is asked: this site signs each call.</p><!-- /wp:paragraph -->',
			'<!-- wp:heading --><h2 class="wp-block-heading">Shortcodes</h2><!-- /wp:heading -->',
			"<!-- wp:paragraph --><p>Hear yourself: [vodia_call number=\"{$vodia_demo_n['echo']}\"]Echo test[/vodia_call] (keypad digits work too).</p><!-- /wp:paragraph -->",
			"<!-- wp:paragraph --><p>Questions about our prices? [vodia_call number=\"{$vodia_demo_n['echo']}\" context=\"Pricing page\"]Call sales[/vodia_call]</p><!-- /wp:paragraph -->",
			isset( $vodia_demo_n['tone'] ) ? "<!-- wp:paragraph --><p>Or listen to [vodia_call number=\"{$vodia_demo_n['tone']}\" label=\"a steady tone\"].</p><!-- /wp:paragraph -->" : '',
			'<!-- wp:heading --><h2 class="wp-block-heading">The block</h2><!-- /wp:heading -->',
			'<!-- wp:vodia-call/click-to-call ' . wp_json_encode(
				array(
					'number'  => $vodia_demo_n['hangup'] ?? $vodia_demo_n['echo'],
					'label'   => isset( $vodia_demo_n['hangup'] ) ? 'Answers, then hangs up after 3 s' : 'Echo test (block)',
					'context' => 'Demo block',
				)
			) . ' /-->',
		)
	)
);

$vodia_demo_page = wp_insert_post(
	array(
		'post_type'    => 'page',
		'post_title'   => 'Call us',
		'post_name'    => 'call-us',
		'post_status'  => 'publish',
		'post_author'  => 1,
		'post_content' => $vodia_demo_content,
	),
	true
);
if ( is_wp_error( $vodia_demo_page ) ) {
	fwrite( STDERR, 'page: ' . $vodia_demo_page->get_error_message() . "\n" );
	exit( 1 );
}

file_put_contents(
	$vodia_demo_out,
	wp_json_encode(
		array(
			'url'   => $vodia_demo_info['url'],
			'page'  => get_permalink( $vodia_demo_page ),
			'admin' => $vodia_demo_info['admin'],
		),
		JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES
	) . "\n"
);
chmod( $vodia_demo_out, 0600 );

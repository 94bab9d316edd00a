<?php
/**
 * PHPUnit bootstrap: loads the test site's real WordPress (started by scripts/wp/wp-stack.sh), with the plugin
 * active. Each test runs in a database transaction that is rolled back (see Vodia_Call_Test_Case).
 *
 * @package VodiaClickToCall
 */

// PHPUnit includes this file inside a function, so WordPress's top-level variables would be locals here:
// declare the ones WordPress reads back as globals before loading it.
global $wpdb, $table_prefix, $wp_version, $wp_db_version, $tinymce_version, $required_php_version,
	$required_mysql_version, $required_php_extensions, $wp_local_package, $blog_id, $wp_filter, $wp_actions,
	$wp_current_filter, $wp_textdomain_registry, $wp_locale, $wp_locale_switcher, $locale, $wp_embed, $wp_rewrite,
	$wp, $wp_query, $wp_the_query, $wp_widget_factory, $wp_roles, $wp_plugin_paths, $shortcode_tags, $wp_scripts,
	$wp_styles, $current_user, $post, $pagenow, $wp_theme_directories, $wp_post_types, $wp_taxonomies,
	$wp_settings_errors, $allowedposttags, $allowedtags, $allowedentitynames, $wp_rest_server, $l10n,
	$wp_registered_settings, $new_allowed_options, $wp_settings_sections, $wp_settings_fields, $title;

$vodia_call_repo = dirname( __DIR__, 2 );
$vodia_call_site = getenv( 'VODIA_WP_DIR' ) ? getenv( 'VODIA_WP_DIR' ) : $vodia_call_repo . '/.run/wp/site';
if ( ! is_file( $vodia_call_site . '/wp-config.php' ) ) {
	fwrite( STDERR, "No test site at $vodia_call_site: start it with scripts/wp/wp-stack.sh start (or run scripts/wp/test-wp.sh).\n" );
	exit( 1 );
}
$vodia_call_json = json_decode( (string) file_get_contents( dirname( $vodia_call_site ) . '/site.json' ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- a local file, read before WordPress loads.
$vodia_call_url  = vodia_call_test_parse_url( (string) ( $vodia_call_json['url'] ?? 'http://127.0.0.1' ) );

/**
 * Host and port of the site URL (WordPress is not loaded yet, so no wp_parse_url()).
 *
 * @param string $url Site URL.
 * @return array<string, string>
 */
function vodia_call_test_parse_url( string $url ): array {
	$parts = parse_url( $url ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- WordPress is not loaded yet.
	return array(
		'host' => (string) ( $parts['host'] ?? '127.0.0.1' ),
		'port' => isset( $parts['port'] ) ? (string) $parts['port'] : '80',
	);
}

$_SERVER['HTTP_HOST']   = $vodia_call_url['host'] . ':' . $vodia_call_url['port'];
$_SERVER['SERVER_NAME'] = $vodia_call_url['host'];
$_SERVER['SERVER_PORT'] = $vodia_call_url['port'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

require $vodia_call_site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';

// Whatever else WordPress left in this function's scope belongs to the global scope.
foreach ( get_defined_vars() as $vodia_call_name => $vodia_call_value ) {
	if ( ! array_key_exists( $vodia_call_name, $GLOBALS ) ) {
		$GLOBALS[ $vodia_call_name ] = $vodia_call_value;
	}
}

if ( ! function_exists( 'vodia_call_render_link' ) ) {
	fwrite( STDERR, "The plugin is not active on the test site.\n" );
	exit( 1 );
}

define( 'VODIA_CALL_TEST_REPO', $vodia_call_repo );
require __DIR__ . '/class-vodia-call-test-case.php';

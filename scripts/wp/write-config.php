<?php
/**
 * Writes wp-config.php for the test site: php write-config.php FILE URL SOCKET DB_PASSWORD DEBUG_LOG
 *
 * @package VodiaClickToCall
 */

if ( 'cli' !== PHP_SAPI || $argc < 6 ) {
	fwrite( STDERR, "usage: php write-config.php FILE URL SOCKET DB_PASSWORD DEBUG_LOG\n" );
	exit( 2 );
}
list( , $vodia_call_file, $vodia_call_url, $vodia_call_sock, $vodia_call_db_pass, $vodia_call_log ) = $argv;

$vodia_call_lines = array(
	'<?php',
	'// Written by scripts/wp/write-config.php for a throwaway test site on loopback.',
	"define( 'DB_NAME', 'wordpress' );",
	"define( 'DB_USER', 'wp' );",
	'define( \'DB_PASSWORD\', ' . var_export( $vodia_call_db_pass, true ) . ' );',
	'define( \'DB_HOST\', ' . var_export( 'localhost:' . $vodia_call_sock, true ) . ' );',
	"define( 'DB_CHARSET', 'utf8mb4' );",
	"define( 'DB_COLLATE', '' );",
);
// Fresh salts per site: the plugin derives its password-encryption key from them.
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $vodia_call_name ) {
	$vodia_call_lines[] = "define( '$vodia_call_name', '" . bin2hex( random_bytes( 32 ) ) . "' );";
}
$vodia_call_lines = array_merge(
	$vodia_call_lines,
	array(
		'$table_prefix = \'wp_\';',
		'define( \'WP_HOME\', ' . var_export( $vodia_call_url, true ) . ' );',
		'define( \'WP_SITEURL\', ' . var_export( $vodia_call_url, true ) . ' );',
		"define( 'WP_DEBUG', true );",
		'define( \'WP_DEBUG_LOG\', ' . var_export( $vodia_call_log, true ) . ' );',
		"define( 'WP_DEBUG_DISPLAY', false );",
		"define( 'WP_ENVIRONMENT_TYPE', 'local' );",
		// No internet here: refuse outside HTTP at once instead of waiting on update checks.
		"define( 'WP_HTTP_BLOCK_EXTERNAL', true );",
		"define( 'AUTOMATIC_UPDATER_DISABLED', true );",
		"define( 'DISABLE_WP_CRON', true );",
		"define( 'FS_METHOD', 'direct' );",
		"if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }",
		"require_once ABSPATH . 'wp-settings.php';",
		'',
	)
);
file_put_contents( $vodia_call_file, implode( "\n", $vodia_call_lines ) );

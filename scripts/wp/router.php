<?php
/**
 * Router for `php -S`: serves existing static files as they are and everything else through WordPress,
 * as Apache's rewrite rules would (pretty permalinks, /wp-json/).
 *
 * @package VodiaClickToCall
 */

$vodia_call_root = $_SERVER['DOCUMENT_ROOT'];
$vodia_call_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
$vodia_call_file = realpath( $vodia_call_root . $vodia_call_path );

// Directories with an index.php (/wp-admin/) run it; PHP files run themselves; other files are static.
if ( false !== $vodia_call_file && is_dir( $vodia_call_file ) && is_file( $vodia_call_file . '/index.php' ) ) {
	$vodia_call_file .= '/index.php';
}
if ( false !== $vodia_call_file && is_file( $vodia_call_file ) ) {
	if ( '.php' !== substr( $vodia_call_file, -4 ) ) {
		return false;
	}
	$_SERVER['SCRIPT_NAME']     = substr( $vodia_call_file, strlen( realpath( $vodia_call_root ) ) );
	$_SERVER['SCRIPT_FILENAME'] = $vodia_call_file;
	$_SERVER['PHP_SELF']        = $_SERVER['SCRIPT_NAME'];
	chdir( dirname( $vodia_call_file ) );
	require $vodia_call_file;
	return true;
}
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $vodia_call_root . '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
chdir( $vodia_call_root );
require $vodia_call_root . '/index.php';

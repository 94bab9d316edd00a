<?php
/**
 * Prints POT entries that xgettext cannot see: the plugin header (shown translated in the plugin list) and
 * block.json's title, description and keywords (translated by WordPress with these contexts).
 *   php pot-extras.php PLUGIN_DIR
 *
 * @package VodiaClickToCall
 */

if ( 'cli' !== PHP_SAPI || $argc < 2 ) {
	fwrite( STDERR, "usage: php pot-extras.php PLUGIN_DIR\n" );
	exit( 2 );
}
$vodia_call_dir = rtrim( $argv[1], '/' );

/**
 * A PO string literal.
 *
 * @param string $text Text.
 */
function vodia_call_po_quote( string $text ): string {
	return '"' . addcslashes( $text, "\\\"\n\t" ) . '"';
}

/**
 * One POT entry.
 *
 * @param string      $msgid     Text.
 * @param string      $reference File reference.
 * @param string|null $context   Context.
 * @param string|null $comment   Comment for translators.
 */
function vodia_call_pot_entry( string $msgid, string $reference, ?string $context = null, ?string $comment = null ): string {
	$out = '';
	if ( null !== $comment ) {
		$out .= "#. $comment\n";
	}
	$out .= "#: $reference\n";
	if ( null !== $context ) {
		$out .= 'msgctxt ' . vodia_call_po_quote( $context ) . "\n";
	}
	return $out . 'msgid ' . vodia_call_po_quote( $msgid ) . "\nmsgstr \"\"\n\n";
}

$vodia_call_out = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n";

$vodia_call_main = (string) file_get_contents( $vodia_call_dir . '/vodia-click-to-call.php' );
foreach ( array(
	'Plugin Name' => 'Plugin Name of the plugin',
	'Description' => 'Description of the plugin',
	'Author'      => 'Author of the plugin',
) as $vodia_call_header => $vodia_call_comment ) {
	if ( preg_match( '/^[ \t\/*#@]*' . preg_quote( $vodia_call_header, '/' ) . ':(.*)$/mi', $vodia_call_main, $vodia_call_m ) ) {
		$vodia_call_out .= vodia_call_pot_entry( trim( $vodia_call_m[1] ), 'vodia-click-to-call.php', null, $vodia_call_comment );
	}
}

foreach ( glob( $vodia_call_dir . '/blocks/*/block.json' ) as $vodia_call_file ) {
	$vodia_call_ref  = substr( $vodia_call_file, strlen( $vodia_call_dir ) + 1 );
	$vodia_call_meta = json_decode( (string) file_get_contents( $vodia_call_file ), true );
	if ( ! empty( $vodia_call_meta['title'] ) ) {
		$vodia_call_out .= vodia_call_pot_entry( $vodia_call_meta['title'], $vodia_call_ref, 'block title' );
	}
	if ( ! empty( $vodia_call_meta['description'] ) ) {
		$vodia_call_out .= vodia_call_pot_entry( $vodia_call_meta['description'], $vodia_call_ref, 'block description' );
	}
	foreach ( isset( $vodia_call_meta['keywords'] ) ? $vodia_call_meta['keywords'] : array() as $vodia_call_keyword ) {
		$vodia_call_out .= vodia_call_pot_entry( $vodia_call_keyword, $vodia_call_ref, 'block keyword' );
	}
}
echo $vodia_call_out; // phpcs:ignore WordPress.Security.EscapeOutput -- a POT file on stdout, not HTML.

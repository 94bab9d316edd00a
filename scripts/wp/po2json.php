<?php
/**
 * Writes the Jed JSON that wp_set_script_translations() loads for the block's editor script, from the entries
 * of a .po file that JavaScript files use.
 *   php po2json.php PO_FILE SCRIPT_PATH_IN_PLUGIN OUT_DIR DOMAIN
 * The file name carries md5(SCRIPT_PATH_IN_PLUGIN), as WordPress looks it up (load_script_textdomain()).
 *
 * @package VodiaClickToCall
 */

if ( 'cli' !== PHP_SAPI || $argc < 5 ) {
	fwrite( STDERR, "usage: php po2json.php PO_FILE SCRIPT_PATH_IN_PLUGIN OUT_DIR DOMAIN\n" );
	exit( 2 );
}
list( , $vodia_call_po, $vodia_call_script, $vodia_call_out_dir, $vodia_call_domain ) = $argv;

/**
 * Decodes a PO string literal's content.
 *
 * @param string $text Text between the quotes.
 */
function vodia_call_po_unquote( string $text ): string {
	return stripcslashes( $text );
}

$vodia_call_entries = array();
$vodia_call_headers = '';
// Entries are separated by blank lines; each has #: references, optional msgctxt, msgid, msgstr (or plurals).
foreach ( preg_split( '/\n\s*\n/', (string) file_get_contents( $vodia_call_po ) ) as $vodia_call_block ) {
	$vodia_call_refs  = '';
	$vodia_call_field = null;
	$vodia_call_e     = array();
	$vodia_call_fuzzy = false;
	foreach ( explode( "\n", $vodia_call_block ) as $vodia_call_line ) {
		if ( 0 === strpos( $vodia_call_line, '#:' ) ) {
			$vodia_call_refs .= $vodia_call_line;
		} elseif ( 0 === strpos( $vodia_call_line, '#,' ) && false !== strpos( $vodia_call_line, 'fuzzy' ) ) {
			$vodia_call_fuzzy = true;
		} elseif ( preg_match( '/^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$/', $vodia_call_line, $vodia_call_m ) ) {
			$vodia_call_field                  = $vodia_call_m[1];
			$vodia_call_e[ $vodia_call_field ] = vodia_call_po_unquote( $vodia_call_m[2] );
		} elseif ( null !== $vodia_call_field && preg_match( '/^"(.*)"$/', $vodia_call_line, $vodia_call_m ) ) {
			$vodia_call_e[ $vodia_call_field ] .= vodia_call_po_unquote( $vodia_call_m[1] );
		}
	}
	if ( isset( $vodia_call_e['msgid'] ) && '' === $vodia_call_e['msgid'] ) {
		$vodia_call_headers = $vodia_call_e['msgstr'] ?? '';
		continue;
	}
	if ( $vodia_call_fuzzy || ! isset( $vodia_call_e['msgid'] ) || ! preg_match( '/\.js:\d+/', $vodia_call_refs ) ) {
		continue;
	}
	$vodia_call_key = ( isset( $vodia_call_e['msgctxt'] ) ? $vodia_call_e['msgctxt'] . "\4" : '' ) . $vodia_call_e['msgid'];
	$vodia_call_tr  = array();
	foreach ( $vodia_call_e as $vodia_call_name => $vodia_call_value ) {
		if ( 0 === strpos( $vodia_call_name, 'msgstr' ) ) {
			$vodia_call_tr[] = $vodia_call_value;
		}
	}
	if ( '' !== implode( '', $vodia_call_tr ) ) {
		$vodia_call_entries[ $vodia_call_key ] = $vodia_call_tr;
	}
}

preg_match( '/^Language: (.*)$/mi', $vodia_call_headers, $vodia_call_lang );
preg_match( '/^Plural-Forms: (.*)$/mi', $vodia_call_headers, $vodia_call_plural );
$vodia_call_locale = trim( $vodia_call_lang[1] ?? '' );
if ( '' === $vodia_call_locale ) {
	fwrite( STDERR, "po2json: no Language header in $vodia_call_po\n" );
	exit( 1 );
}
$vodia_call_json = array(
	'domain'      => 'messages',
	'locale_data' => array(
		'messages' => array_merge(
			array(
				'' => array(
					'domain'       => 'messages',
					'lang'         => $vodia_call_locale,
					'plural-forms' => trim( $vodia_call_plural[1] ?? 'nplurals=2; plural=(n != 1);' ),
				),
			),
			$vodia_call_entries
		),
	),
);
$vodia_call_file = sprintf( '%s/%s-%s-%s.json', rtrim( $vodia_call_out_dir, '/' ), $vodia_call_domain, $vodia_call_locale, md5( $vodia_call_script ) );
file_put_contents( $vodia_call_file, json_encode( $vodia_call_json, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ) . "\n" );
fwrite( STDERR, 'po2json: ' . count( $vodia_call_entries ) . " JavaScript strings -> $vodia_call_file\n" );

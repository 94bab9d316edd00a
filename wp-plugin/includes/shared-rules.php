<?php
/**
 * The rules this plugin shares with the popup (TypeScript), from their one source, src/core/shared-rules.ts: the
 * build (build.mjs) writes them into generated/shared-rules.php, which ships with the plugin. Nothing in the
 * plugin keeps a copy of them; it asks vodia_call_shared_rules().
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The shared rules, read once per request from generated/shared-rules.php.
 *
 * Patterns are PCRE, anchored with ^ and \z (the build turns the TypeScript's $ into \z, so a final "\n" fails).
 *
 * @return array{version:string, destnumber_pattern:string, user_pattern:string, canonical_number_pattern:string,
 *               domain_pattern:string, ice_server_url_pattern:string, max_future_skew:int, max_duration:int,
 *               languages:string[]}
 * @throws RuntimeException When the file is missing or lacks a rule: the plugin was not built (node build.mjs).
 */
function vodia_call_shared_rules(): array {
	static $rules = null;
	if ( null === $rules ) {
		$file   = VODIA_CALL_DIR . '/generated/shared-rules.php';
		$loaded = is_readable( $file ) ? include $file : null;
		$needed = array( 'version', 'destnumber_pattern', 'user_pattern', 'canonical_number_pattern', 'domain_pattern', 'ice_server_url_pattern', 'max_future_skew', 'max_duration', 'languages' );
		if ( ! is_array( $loaded ) || array_diff( $needed, array_keys( $loaded ) ) ) {
			throw new RuntimeException( 'Vodia Click-to-Call: generated/shared-rules.php is missing or out of date; build the plugin (node build.mjs).' );
		}
		$rules = $loaded;
	}
	return $rules;
}

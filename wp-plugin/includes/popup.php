<?php
/**
 * The popup page, served by the plugin at /?vodia_call_popup=1&destnumber=NUMBER[&lang=xx].
 *
 * Rendered pages (maybe cached for days) link here unsigned. This page is never cached: for a number that
 * published content offers now (see vodia_call_number_problem()) it signs a link now and redirects to itself with the signed parameters (popup
 * mode) or to the PBX's makecall.htm (vodia mode). With valid signed parameters it serves the popup's HTML,
 * which reads the link from its own address and the PBX settings from window.vodiaCallConfig.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Makes the popup's switch a public query variable.
 *
 * @param string[] $vars Query variables.
 * @return string[]
 */
function vodia_call_query_vars( $vars ): array {
	$vars   = is_array( $vars ) ? $vars : array();
	$vars[] = 'vodia_call_popup';
	return $vars;
}
add_filter( 'query_vars', 'vodia_call_query_vars' );

/**
 * Serves the popup page before WordPress runs its main query.
 *
 * @param WP $wp The request.
 */
function vodia_call_maybe_serve_popup( $wp ): void {
	if ( ! $wp instanceof WP || empty( $wp->query_vars['vodia_call_popup'] ) ) {
		return;
	}
	// phpcs:ignore WordPress.Security.NonceVerification -- a public GET page; the signature, not a nonce, protects it.
	$query = vodia_call_popup_query( wp_unslash( $_GET ) ); // phpcs:ignore WordPress.Security -- validated field by field in vodia_call_popup_response().
	vodia_call_send_popup_response( vodia_call_popup_response( $query, vodia_call_get_settings() ) );
	exit;
}
add_action( 'parse_request', 'vodia_call_maybe_serve_popup', 1 );

/**
 * The link fields of the popup page's query (as PHP decoded it into $_GET, unslashed): strings only, nothing
 * else. Not yet validated; vodia_call_popup_response() does that.
 *
 * @param array<string, mixed> $get Decoded query.
 * @return array<string, string>
 */
function vodia_call_popup_query( array $get ): array {
	$query = array();
	foreach ( array( 'destnumber', 'user', 'pass', 'time', 'duration', 'lang' ) as $field ) {
		if ( isset( $get[ $field ] ) && is_string( $get[ $field ] ) ) {
			$query[ $field ] = $get[ $field ];
		}
	}
	return $query;
}

/**
 * Decides what the popup page answers. Pure apart from reading the clock and the number index, for tests.
 *
 * @param array<string, string> $query    Link fields: destnumber[, user, pass, time, duration][, lang].
 * @param array<string, mixed>  $settings Settings.
 * @param int|null              $now      Clock, for tests.
 * @return array{status:int, redirect?:string, html?:string}
 */
function vodia_call_popup_response( array $query, array $settings, ?int $now = null ): array {
	$now = $now ?? time();
	if ( ! vodia_call_is_configured( $settings ) ) {
		return vodia_call_popup_error( 503, __( 'Calls are not set up on this site yet.', 'vodia-click-to-call' ) );
	}
	$dest = $query['destnumber'] ?? '';
	if ( ! vodia_call_is_valid_number( $dest ) ) {
		return vodia_call_popup_error( 400, __( 'This link does not name a number that can be called.', 'vodia-click-to-call' ) );
	}
	$lang = $query['lang'] ?? '';
	$lang = vodia_call_is_valid_lang( $lang ) ? $lang : vodia_call_default_lang( $settings );

	// Only a number that published content offers now (and the allow-list allows), signed link or not: a link
	// signed before its number was unpublished stops working with it.
	if ( '' !== vodia_call_number_problem( $dest, $settings ) ) {
		return vodia_call_popup_error( 404, __( 'This number cannot be called from this site.', 'vodia-click-to-call' ) );
	}
	if ( 'popup' === $settings['mode'] && isset( $query['pass'] ) && '' === vodia_call_check_link( $query, $settings, $now ) ) {
		return array(
			'status' => 200,
			'html'   => vodia_call_popup_html( $lang, $settings ),
		);
	}
	// Unsigned, expired or otherwise invalid: sign afresh.
	$signed = vodia_call_sign_link( $dest, $lang, $settings, $now );
	if ( 'vodia' === $settings['mode'] ) {
		return array(
			'status'   => 302,
			'redirect' => vodia_call_add_params( vodia_call_makecall_url( $settings['pbx_url'] ), $signed ),
		);
	}
	return array(
		'status'   => 302,
		'redirect' => vodia_call_add_params( vodia_call_add_params( home_url( '/' ), array( 'vodia_call_popup' => '1' ) ), $signed ),
	);
}

/**
 * The Vodia PBX's own makecall page under the configured PBX address.
 *
 * @param string $pbx_url PBX web address, or the page itself.
 */
function vodia_call_makecall_url( string $pbx_url ): string {
	$path = (string) wp_parse_url( $pbx_url, PHP_URL_PATH );
	if ( preg_match( '/\.html?\z/', $path ) ) {
		return $pbx_url;
	}
	return untrailingslashit( $pbx_url ) . '/makecall.htm';
}

/**
 * The popup's language when the link names none: the setting, else the site's language.
 *
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_default_lang( array $settings ): string {
	if ( '' !== $settings['lang'] ) {
		return $settings['lang'];
	}
	$lang = strtolower( substr( determine_locale(), 0, 2 ) );
	return vodia_call_is_valid_lang( $lang ) ? $lang : 'en';
}

/**
 * The configuration the popup reads: where the PBX is and how to reach it, never the password.
 *
 * @param string               $lang     Language code.
 * @param array<string, mixed> $settings Settings.
 * @return array<string, mixed>
 */
function vodia_call_popup_config( string $lang, array $settings ): array {
	return array(
		'server'       => $settings['server'],
		'domain'       => $settings['domain'],
		'iceServers'   => vodia_call_visitor_ice_servers( $settings, time() ),
		'dtmf'         => $settings['dtmf'],
		'authorizeUrl' => rest_url( 'vodia-call/v1/authorize' ),
		'lang'         => $lang,
	);
}

/**
 * The popup page's HTML: a standalone document, no theme.
 *
 * @param string               $lang     Language code.
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_popup_html( string $lang, array $settings ): string {
	// JSON_HEX_TAG keeps "</script>" in any value from ending the script element.
	$config = wp_json_encode( vodia_call_popup_config( $lang, $settings ), JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES );
	$css    = add_query_arg( 'ver', VODIA_CALL_VERSION, plugins_url( 'assets/dist/makecall.css', VODIA_CALL_FILE ) );
	$js     = add_query_arg( 'ver', VODIA_CALL_VERSION, plugins_url( 'assets/dist/makecall.js', VODIA_CALL_FILE ) );
	return '<!doctype html>' . "\n"
		. '<html lang="' . esc_attr( $lang ) . '">' . "\n"
		. '<head>' . "\n"
		. '<meta charset="utf-8">' . "\n"
		. '<meta name="viewport" content="width=device-width">' . "\n"
		. '<meta name="robots" content="noindex, nofollow">' . "\n"
		. '<title>' . esc_html__( 'Call', 'vodia-click-to-call' ) . '</title>' . "\n"
		. '<link rel="stylesheet" href="' . esc_url( $css ) . '">' . "\n" // phpcs:ignore WordPress.WP.EnqueuedResources -- a standalone page without wp_head().
		. '</head>' . "\n"
		. '<body>' . "\n"
		. '<div id="vodia-call"></div>' . "\n"
		. '<script>window.vodiaCallConfig = ' . $config . '</script>' . "\n"
		. '<script src="' . esc_url( $js ) . '" defer></script>' . "\n" // phpcs:ignore WordPress.WP.EnqueuedResources -- a standalone page without wp_head().
		. '</body>' . "\n"
		. '</html>' . "\n";
}

/**
 * A small error page in the popup's size.
 *
 * @param int    $status  HTTP status.
 * @param string $message What went wrong, for the visitor.
 * @return array{status:int, html:string}
 */
function vodia_call_popup_error( int $status, string $message ): array {
	return array(
		'status' => $status,
		'html'   => '<!doctype html>' . "\n"
			. '<html lang="' . esc_attr( substr( determine_locale(), 0, 2 ) ) . '"><head><meta charset="utf-8">'
			. '<meta name="viewport" content="width=device-width"><meta name="robots" content="noindex, nofollow">'
			. '<title>' . esc_html__( 'Call', 'vodia-click-to-call' ) . '</title></head>'
			. '<body style="font:16px/1.4 system-ui,sans-serif;margin:1em">'
			. '<p role="alert" data-error="link-invalid">' . esc_html( $message ) . '</p>'
			. '</body></html>' . "\n",
	);
}

/**
 * The headers every popup response carries besides nocache_headers(): never indexed, no Referer with the
 * signed link in it, and never framed by another site (a page elsewhere could frame the call window and trick
 * a visitor into clicking its buttons; CSP for current browsers, X-Frame-Options for old ones).
 *
 * @return array<string, string> Header name => value.
 */
function vodia_call_popup_headers(): array {
	return array(
		'X-Robots-Tag'            => 'noindex, nofollow',
		'Referrer-Policy'         => 'no-referrer',
		'X-Content-Type-Options'  => 'nosniff',
		'Content-Security-Policy' => "frame-ancestors 'self'",
		'X-Frame-Options'         => 'SAMEORIGIN',
	);
}

/**
 * Sends a popup response: never cached (it may carry a fresh signature), with vodia_call_popup_headers().
 *
 * @param array{status:int, redirect?:string, html?:string} $response Response.
 */
function vodia_call_send_popup_response( array $response ): void {
	nocache_headers();
	foreach ( vodia_call_popup_headers() as $name => $value ) {
		header( $name . ': ' . $value );
	}
	if ( isset( $response['redirect'] ) ) {
		// The PBX address is the administrator's own setting, so an outside host is intended in vodia mode.
		wp_redirect( $response['redirect'], $response['status'], 'Vodia Click-to-Call' ); // phpcs:ignore WordPress.Security.SafeRedirect -- target built from settings, never from the request.
		return;
	}
	status_header( $response['status'] );
	header( 'Content-Type: text/html; charset=utf-8' );
	echo $response['html']; // phpcs:ignore WordPress.Security.EscapeOutput -- built from escaped parts in vodia_call_popup_html()/vodia_call_popup_error().
}

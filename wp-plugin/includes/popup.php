<?php
/**
 * The popup page, served by the plugin at /?vodia_call_popup=1&destnumber=NUMBER[&lang=xx][&page=URL&context=TEXT],
 * and its connection test at /?vodia_call_popup=1&check.
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
	foreach ( array( 'destnumber', 'user', 'pass', 'time', 'duration', 'lang', 'page', 'context', 'check' ) as $field ) {
		if ( isset( $get[ $field ] ) && is_string( $get[ $field ] ) ) {
			$query[ $field ] = $get[ $field ];
		}
	}
	return $query;
}

/**
 * Decides what the popup page answers. Pure apart from reading the clock and the number index, for tests.
 *
 * With `check` (any value, or none) it serves the call window's connection test: the page and its config, for
 * no number, so nothing is looked up or signed.
 *
 * @param array<string, string> $query    Link fields: destnumber[, user, pass, time, duration][, lang][, page,
 *                                        context] or check[, lang].
 * @param array<string, mixed>  $settings Settings.
 * @param int|null              $now      Clock, for tests.
 * @return array{status:int, redirect?:string, html?:string, csp?:string} csp: the page's own policy, replacing
 *                                                                         the default one.
 */
function vodia_call_popup_response( array $query, array $settings, ?int $now = null ): array {
	$now = $now ?? time();
	if ( ! vodia_call_is_configured( $settings ) || ( isset( $query['check'] ) && '' === $settings['server'] ) ) {
		return vodia_call_popup_error( 503, __( 'Calls are not set up on this site yet.', 'vodia-click-to-call' ) );
	}
	if ( isset( $query['check'] ) ) {
		$lang = $query['lang'] ?? '';
		return array( 'status' => 200 ) + vodia_call_popup_page( vodia_call_is_valid_lang( $lang ) ? $lang : vodia_call_default_lang( $settings ), $settings );
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
		return array( 'status' => 200 ) + vodia_call_popup_page( $lang, $settings );
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
		'redirect' => vodia_call_add_params( vodia_call_add_params( home_url( '/' ), array( 'vodia_call_popup' => '1' ) ), $signed + vodia_call_caller_context( $query, $settings ) ),
	);
}

/**
 * The caller context the binder added to the popup's address (page, context), as the signing redirect carries
 * it on to the popup, which sends it in X-Call-Page and X-Call-Context. A value the popup would refuse (not
 * http(s), too long, a control character, not UTF-8) is dropped rather than carried: the call goes ahead without
 * it. Nothing with caller context off, as the popup would not send it.
 *
 * @param array<string, string> $query    Popup page query.
 * @param array<string, mixed>  $settings Settings.
 * @return array<string, string> page and context, where present and acceptable.
 */
function vodia_call_caller_context( array $query, array $settings ): array {
	if ( ! $settings['caller_context'] ) {
		return array();
	}
	$extra = array();
	foreach ( array(
		'page'    => 2048,
		'context' => VODIA_CALL_MAX_CONTEXT,
	) as $field => $max ) {
		$value = $query[ $field ] ?? '';
		if ( '' === $value || ! wp_check_invalid_utf8( $value ) || mb_strlen( $value, 'UTF-8' ) > $max || preg_match( '/[\x00-\x1f\x7f]|\xc2[\x80-\x9f]/', $value ) ) {
			continue;
		}
		if ( 'page' === $field && ! preg_match( '#^https?://[^/?\#]#i', $value ) ) {
			continue;
		}
		$extra[ $field ] = $value;
	}
	return $extra;
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
 * The configuration the popup reads: where the PBX is and how to reach it, never the password. trustedOrigins
 * names this site's origin (see vodia_call_trusted_origin()): the popup dials a signed link without asking
 * "Call N?" only when the page that opened it is of its own origin or a trusted one.
 *
 * @param string               $lang     Language code.
 * @param array<string, mixed> $settings Settings.
 * @return array<string, mixed>
 */
function vodia_call_popup_config( string $lang, array $settings ): array {
	$config = array(
		'server'       => $settings['server'],
		'domain'       => $settings['domain'],
		'iceServers'   => vodia_call_visitor_ice_servers( $settings, time() ),
		'dtmf'         => $settings['dtmf'],
		'authorizeUrl' => rest_url( 'vodia-call/v1/authorize' ),
		'lang'         => $lang,
	);
	// Whether the popup sends the page and the link's context to the PBX; office hours and the fallback contact
	// only when set.
	$config['callerContext'] = (bool) $settings['caller_context'];
	$office_hours            = vodia_call_office_hours( $settings );
	if ( null !== $office_hours ) {
		$config['officeHours'] = $office_hours;
	}
	$fallback = vodia_call_fallback( $settings );
	if ( null !== $fallback ) {
		$config['fallback'] = $fallback;
	}
	$origin = vodia_call_trusted_origin( home_url( '/' ) );
	if ( null !== $origin ) {
		$config['trustedOrigins'] = array( $origin );
	}
	return $config;
}

/**
 * The origin of a site address as the popup's config parser accepts it in trustedOrigins, exactly as a browser
 * serializes it (lower-case host, no default port), or null. The parser refuses the whole config over one
 * origin it does not take as written, and takes only https://, or http:// on a loopback host (localhost,
 * 127.x.x.x, [::1]); so anything this cannot write canonically is left out (an IPv4 address not in dotted
 * quad form, an IPv6 address not in its shortest form, a host that is not plain ASCII, a trailing dot).
 *
 * @param string $url Site address (home_url()).
 */
function vodia_call_trusted_origin( string $url ): ?string {
	$parts = wp_parse_url( $url );
	if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
		return null;
	}
	$scheme = strtolower( $parts['scheme'] );
	$host   = strtolower( $parts['host'] );
	if ( '[' === $host[0] ) {
		$ip = substr( $host, 1, -1 );
		if ( ']' !== substr( $host, -1 ) || false === filter_var( $ip, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) || false !== strpos( $ip, '.' )
			|| inet_ntop( (string) inet_pton( $ip ) ) !== $ip ) {
			return null;
		}
	} elseif ( preg_match( '/^[0-9.]+\z/', $host ) ) {
		if ( ! preg_match( '/^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\z/', $host ) ) {
			return null;
		}
	} elseif ( strlen( $host ) > 253 || ! preg_match( '/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\z/', $host )
		|| preg_match( '/(?:^|\.)[0-9]+\z/', $host ) ) {
		return null; // A last label of digits makes browsers read the host as an IPv4 address.
	}
	if ( 'https' !== $scheme && ! ( 'http' === $scheme && vodia_call_is_loopback_host( $host ) ) ) {
		return null;
	}
	$port = isset( $parts['port'] ) ? (int) $parts['port'] : null;
	if ( ( 'https' === $scheme && 443 === $port ) || ( 'http' === $scheme && 80 === $port ) ) {
		$port = null;
	}
	return $scheme . '://' . $host . ( null === $port ? '' : ':' . $port );
}

/**
 * The popup page's HTML: a standalone document, no theme.
 *
 * @param string               $lang     Language code.
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_popup_html( string $lang, array $settings ): string {
	return vodia_call_popup_page( $lang, $settings )['html'];
}

/**
 * The popup page: its HTML and its Content-Security-Policy, made together because the policy names the inline
 * configuration script by its hash.
 *
 * @param string               $lang     Language code.
 * @param array<string, mixed> $settings Settings.
 * @return array{html:string, csp:string}
 */
function vodia_call_popup_page( string $lang, array $settings ): array {
	// JSON_HEX_TAG keeps "</script>" in any value from ending the script element.
	$config = wp_json_encode( vodia_call_popup_config( $lang, $settings ), JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES );
	$inline = 'window.vodiaCallConfig = ' . $config;
	$css    = plugins_url( 'assets/dist/makecall.css', VODIA_CALL_FILE );
	$js     = plugins_url( 'assets/dist/makecall.js', VODIA_CALL_FILE );
	// makecall.js loads the connection test (?check) from this file beside it, in that mode only.
	$check = plugins_url( 'assets/dist/connection-check.js', VODIA_CALL_FILE );
	$html  = '<!doctype html>' . "\n"
		. '<html lang="' . esc_attr( $lang ) . '">' . "\n"
		. '<head>' . "\n"
		. '<meta charset="utf-8">' . "\n"
		. '<meta name="viewport" content="width=device-width">' . "\n"
		. '<meta name="robots" content="noindex, nofollow">' . "\n"
		. '<title>' . esc_html__( 'Call', 'vodia-click-to-call' ) . '</title>' . "\n"
		. '<link rel="stylesheet" href="' . esc_url( add_query_arg( 'ver', VODIA_CALL_VERSION, $css ) ) . '">' . "\n" // phpcs:ignore WordPress.WP.EnqueuedResources -- a standalone page without wp_head().
		. '</head>' . "\n"
		. '<body>' . "\n"
		. '<div id="vodia-call"></div>' . "\n"
		. '<script>' . $inline . '</script>' . "\n"
		. '<script src="' . esc_url( add_query_arg( 'ver', VODIA_CALL_VERSION, $js ) ) . '" defer></script>' . "\n" // phpcs:ignore WordPress.WP.EnqueuedResources -- a standalone page without wp_head().
		. '</body>' . "\n"
		. '</html>' . "\n";
	// The popup loads the visitor's language (every one but English) from the folder beside its script.
	$i18n    = plugins_url( 'assets/dist/i18n/', VODIA_CALL_FILE );
	$connect = array_filter( array( vodia_call_csp_source( $settings['server'] ), vodia_call_csp_source( rest_url( 'vodia-call/v1/authorize' ) ), vodia_call_csp_source( $i18n ) ) );
	$csp     = array(
		'default-src'     => array( "'none'" ),
		// The popup's own script (and its connection test), and the inline configuration by its hash: nothing else runs.
		'script-src'      => array_filter( array( vodia_call_csp_source( $js ), vodia_call_csp_source( $check ), vodia_call_csp_hash( $inline ) ) ),
		// The plugin's stylesheet by its URL rather than 'self': plugins_url() may be on another host (a CDN,
		// WordPress in its own subdomain) than the page.
		'style-src'       => array_filter( array( vodia_call_csp_source( $css ) ) ),
		// No image today; data: images cannot send anything anywhere, and an icon in the stylesheet would need them.
		'img-src'         => array( 'data:' ),
		// The PBX's WebSocket, this site's digest endpoint and the popup's language files. (WebRTC media is
		// not governed by CSP.)
		'connect-src'     => $connect ? array_values( $connect ) : array( "'none'" ),
		'base-uri'        => array( "'none'" ),
		'form-action'     => array( "'none'" ),
		'frame-ancestors' => array( "'self'" ),
	);
	return array(
		'html' => $html,
		'csp'  => vodia_call_csp_header( $csp ),
	);
}

/**
 * A policy header from directive => sources.
 *
 * @param array<string, string[]> $directives Directives.
 */
function vodia_call_csp_header( array $directives ): string {
	$parts = array();
	foreach ( $directives as $name => $sources ) {
		$parts[] = $name . ' ' . implode( ' ', $sources );
	}
	return implode( '; ', $parts );
}

/**
 * A CSP hash source for an inline script or style element's exact text.
 *
 * @param string $text Element text.
 */
function vodia_call_csp_hash( string $text ): string {
	return "'sha256-" . base64_encode( hash( 'sha256', $text, true ) ) . "'"; // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- CSP hashes are base64.
}

/**
 * A URL as a CSP source expression: scheme, host (lower case), port and path; no query or fragment, which CSP
 * has no place for (matching ignores them). ";" and "," in the path are percent-encoded, as they would end a
 * directive or a policy. Null for anything that is not a plain absolute URL.
 *
 * @param string $url URL.
 */
function vodia_call_csp_source( string $url ): ?string {
	if ( preg_match( '/[\x00-\x20"\'<>\\\\\x7f]/', $url ) ) {
		return null;
	}
	$parts = wp_parse_url( $url );
	if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) || isset( $parts['user'] ) || isset( $parts['pass'] )
		|| ! preg_match( '/^[a-z][a-z0-9+.-]*\z/i', $parts['scheme'] ) || ! preg_match( '/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])\z/', $parts['host'] ) ) {
		return null;
	}
	$path = str_replace( array( ';', ',' ), array( '%3B', '%2C' ), $parts['path'] ?? '' );
	return strtolower( $parts['scheme'] ) . '://' . strtolower( $parts['host'] ) . ( isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '' ) . $path;
}

/** The error page's only style, allowed by its hash. */
const VODIA_CALL_ERROR_STYLE = 'body{font:16px/1.4 system-ui,sans-serif;margin:1em}';

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
			. '<title>' . esc_html__( 'Call', 'vodia-click-to-call' ) . '</title><style>' . VODIA_CALL_ERROR_STYLE . '</style></head>'
			. '<body>'
			. '<p role="alert" data-error="link-invalid">' . esc_html( $message ) . '</p>'
			. '</body></html>' . "\n",
	);
}

/**
 * The headers every popup response carries besides nocache_headers(): never indexed, no Referer with the
 * signed link in it, and never framed by another site (a page elsewhere could frame the call window and trick
 * a visitor into clicking its buttons; CSP for current browsers, X-Frame-Options for old ones). The policy
 * here is the one for error pages and redirects: nothing loads or runs but the error page's style; the popup
 * page itself sends its own (vodia_call_popup_page()).
 *
 * @return array<string, string> Header name => value.
 */
function vodia_call_popup_headers(): array {
	return array(
		'X-Robots-Tag'            => 'noindex, nofollow',
		'Referrer-Policy'         => 'no-referrer',
		'X-Content-Type-Options'  => 'nosniff',
		'Content-Security-Policy' => vodia_call_csp_header(
			array(
				'default-src'     => array( "'none'" ),
				'style-src'       => array( vodia_call_csp_hash( VODIA_CALL_ERROR_STYLE ) ),
				'base-uri'        => array( "'none'" ),
				'form-action'     => array( "'none'" ),
				'frame-ancestors' => array( "'self'" ),
			)
		),
		'X-Frame-Options'         => 'SAMEORIGIN',
	);
}

/**
 * The headers of one popup response: vodia_call_popup_headers(), the page's own policy if it has one, and for
 * a redirect a referrer policy that keeps the page the visitor came from. The redirect's own address carries
 * no signature, but a no-referrer policy on it would strip the referrer of the page it leads to: the popup
 * would no longer know that this site opened it, and would ask before every call.
 *
 * @param array{status:int, redirect?:string, html?:string, csp?:string} $response Response.
 * @return array<string, string>
 */
function vodia_call_popup_response_headers( array $response ): array {
	$headers = vodia_call_popup_headers();
	if ( isset( $response['csp'] ) ) {
		$headers['Content-Security-Policy'] = $response['csp'];
	}
	if ( isset( $response['redirect'] ) ) {
		$headers['Referrer-Policy'] = 'strict-origin-when-cross-origin';
	}
	return $headers;
}

/**
 * Sends a popup response: never cached (it may carry a fresh signature), with
 * vodia_call_popup_response_headers().
 *
 * @param array{status:int, redirect?:string, html?:string, csp?:string} $response Response.
 */
function vodia_call_send_popup_response( array $response ): void {
	nocache_headers();
	foreach ( vodia_call_popup_response_headers( $response ) as $name => $value ) {
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

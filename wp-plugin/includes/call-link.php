<?php
/**
 * The call link as pages carry it: vodia_call_render_link(), which the [vodia_call] shortcode and the "Click to
 * Call" block (block.php) share, the shortcode itself, and the link binder script a rendered link enqueues.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Script handle of the link binder. */
const VODIA_CALL_BINDER_HANDLE = 'vodia-call-binder';

/**
 * Registers the binder: deferred, in the footer; enqueued only by a rendered link.
 */
function vodia_call_register_binder(): void {
	wp_register_script(
		VODIA_CALL_BINDER_HANDLE,
		plugins_url( 'assets/dist/vodia-call.js', VODIA_CALL_FILE ),
		array(),
		VODIA_CALL_VERSION,
		array(
			'strategy'  => 'defer',
			'in_footer' => true,
		)
	);
}
add_action( 'init', 'vodia_call_register_binder' );

/**
 * Tells the binder where the popup page is (data-popup-url): its origin is the one whose call windows may
 * report back (window.opener), and `data-vodia-call` elements without a plugin link open through it.
 * Without it the binder would assume makecall.html beside its script, which the plugin does not serve, and
 * with the plugin's files on another host (a CDN) it would open none of the site's links as call windows.
 *
 * @param string $tag    The script tag.
 * @param string $handle Its handle.
 */
function vodia_call_binder_tag( string $tag, string $handle ): string {
	if ( VODIA_CALL_BINDER_HANDLE !== $handle ) {
		return $tag;
	}
	$popup = vodia_call_add_params( home_url( '/' ), array( 'vodia_call_popup' => '1' ) );
	$attrs = ' data-popup-url="' . esc_url( $popup ) . '"';
	// The binder passes the page's address to the popup without its query unless told otherwise: a query may
	// hold what a visitor searched for or a tracking ID. Read from the option as stored (the sanitize callback
	// stores a bool): vodia_call_get_settings() would decrypt the secrets on every page with a link.
	$stored = get_option( VODIA_CALL_OPTION, array() );
	if ( is_array( $stored ) && true === ( $stored['page_query'] ?? false ) ) {
		$attrs .= ' data-page-query';
	}
	return preg_replace( '/<script\b/', '<script' . $attrs, $tag, 1 ) ?? $tag;
}
add_filter( 'script_loader_tag', 'vodia_call_binder_tag', 10, 2 );

/**
 * The popup page's unsigned URL for a number. Safe to cache: it signs nothing (see README-cache.md).
 *
 * @param string $number Number (validated).
 * @param string $lang   Language code or ''.
 */
function vodia_call_popup_url( string $number, string $lang = '' ): string {
	$params = array(
		'vodia_call_popup' => '1',
		'destnumber'       => $number,
	);
	if ( '' !== $lang ) {
		$params['lang'] = $lang;
	}
	return vodia_call_add_params( home_url( '/' ), $params );
}

/**
 * Inline HTML allowed inside a link: the shortcode's content may carry emphasis or an icon, never another
 * link or a block element.
 *
 * @return array<string, array<string, bool>>
 */
function vodia_call_allowed_link_html(): array {
	$common = array(
		'class' => true,
		'id'    => true,
		'title' => true,
		'lang'  => true,
	);
	return array(
		'strong' => $common,
		'em'     => $common,
		'b'      => $common,
		'i'      => $common,
		'span'   => $common,
		'br'     => array(),
		'img'    => array_merge(
			$common,
			array(
				'src'    => true,
				'alt'    => true,
				'width'  => true,
				'height' => true,
			)
		),
	);
}

/** The longest context text a link carries (the popup refuses longer ones). */
const VODIA_CALL_MAX_CONTEXT = 256;

/**
 * A link's context text (data-vodia-context) as the popup takes it: control characters removed (a line break
 * must never reach a SIP header), white space trimmed, at most VODIA_CALL_MAX_CONTEXT characters. Invalid
 * UTF-8 gives ''.
 *
 * @param mixed $context The site owner's text.
 */
function vodia_call_clean_context( $context ): string {
	if ( ! is_scalar( $context ) || ! wp_check_invalid_utf8( (string) $context ) ) {
		return '';
	}
	$context = trim( (string) preg_replace( '/[\x00-\x1f\x7f\x{80}-\x{9f}]+/u', ' ', (string) $context ) );
	return trim( mb_substr( $context, 0, VODIA_CALL_MAX_CONTEXT, 'UTF-8' ) );
}

/**
 * Renders a call link: a real <a> to the popup page that works without JavaScript, marked for the binder.
 * An invalid number renders no link: visitors see the text, people who may edit the content see a notice.
 *
 * @param array<string, mixed> $atts    Attributes: number, lang, label, context.
 * @param string               $content Link content (HTML from the post); the label, then the number, if empty.
 * @param int                  $post_id The post the link belongs to (0 outside a post), for the editor notice.
 */
function vodia_call_render_link( array $atts, string $content = '', int $post_id = 0 ): string {
	$number = isset( $atts['number'] ) && is_scalar( $atts['number'] ) ? trim( (string) $atts['number'] ) : '';
	$lang   = isset( $atts['lang'] ) && is_string( $atts['lang'] ) ? strtolower( trim( $atts['lang'] ) ) : '';
	$label  = isset( $atts['label'] ) && is_scalar( $atts['label'] ) ? trim( (string) $atts['label'] ) : '';
	$ctx    = vodia_call_clean_context( $atts['context'] ?? '' );
	if ( ! vodia_call_is_valid_lang( $lang ) ) {
		$lang = '';
	}

	$content = trim( $content );
	if ( '' !== $content ) {
		$text = wp_kses( $content, vodia_call_allowed_link_html() );
	} elseif ( '' !== $label ) {
		$text = esc_html( $label );
	} else {
		$text = esc_html( $number );
	}

	if ( ! vodia_call_is_valid_number( $number ) ) {
		$can_edit = $post_id ? current_user_can( 'edit_post', $post_id ) : current_user_can( 'edit_theme_options' );
		if ( ! $can_edit ) {
			return $text;
		}
		return sprintf(
			'<span class="vodia-call-notice" style="outline:2px dashed #d63638">%1$s</span> %2$s',
			esc_html(
				sprintf(
					/* translators: %s: the number as written in the content */
					__( 'Click-to-Call: "%s" is not a callable number (use 1 to 32 of the characters 0-9 + * #). Visitors see only the text.', 'vodia-click-to-call' ),
					$number
				)
			),
			$text
		);
	}

	wp_enqueue_script( VODIA_CALL_BINDER_HANDLE );
	$html = sprintf(
		'<a class="vodia-call-link" href="%1$s" target="_blank" rel="noopener" data-vodia-call="%2$s"%3$s%4$s>%5$s</a>',
		esc_url( vodia_call_popup_url( $number, $lang ) ),
		esc_attr( $number ),
		'' !== $lang ? ' data-lang="' . esc_attr( $lang ) . '"' : '',
		'' !== $ctx ? ' data-vodia-context="' . esc_attr( $ctx ) . '"' : '',
		$text
	);
	/**
	 * Filters a rendered call link.
	 *
	 * @param string $html   The <a> element.
	 * @param string $number The number.
	 * @param string $lang   The language code or ''.
	 */
	return (string) apply_filters( 'vodia_call_link_html', $html, $number, $lang );
}

/**
 * The [vodia_call number="..." lang="..." label="..." context="..."]Content[/vodia_call] shortcode.
 *
 * @param array<string, mixed>|string $atts    Attributes ('' when none).
 * @param string|null                 $content Enclosed content.
 */
function vodia_call_shortcode( $atts, $content = null ): string {
	$atts = shortcode_atts(
		array(
			'number'  => '',
			'lang'    => '',
			'label'   => '',
			'context' => '',
		),
		is_array( $atts ) ? $atts : array(),
		'vodia_call'
	);
	return vodia_call_render_link( $atts, null === $content ? '' : do_shortcode( $content ), (int) get_the_ID() );
}

/**
 * Registers the shortcode.
 */
function vodia_call_register_shortcode(): void {
	add_shortcode( 'vodia_call', 'vodia_call_shortcode' );
}
add_action( 'init', 'vodia_call_register_shortcode' );

<?php
/**
 * The "Click to Call" block: its name and its registration. It renders on the server through its template,
 * blocks/click-to-call/render.php: the same link as the shortcode's, in the block's wrapper.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The block's name. */
const VODIA_CALL_BLOCK_NAME = 'vodia-call/click-to-call';

/**
 * Renders the block through its template (blocks/click-to-call/render.php), for a registration without the
 * built block.json, which names the template itself. Output as WordPress's own template render gives it.
 *
 * @param array<string, mixed> $attributes Block attributes.
 * @param string               $content    Inner content (unused: the block is dynamic).
 * @param WP_Block|null        $block      Block instance.
 */
function vodia_call_render_block( $attributes, $content = '', $block = null ): string {
	ob_start();
	require VODIA_CALL_DIR . '/blocks/click-to-call/render.php';
	return (string) ob_get_clean();
}

/**
 * Registers the block from its built metadata (wp-plugin/build/click-to-call/, made by scripts/wp/build-block.sh),
 * whose "render" names the template. Without that build the block still renders on the server through the same
 * template; only the editor UI is missing.
 */
function vodia_call_register_block(): void {
	$built = VODIA_CALL_DIR . '/build/click-to-call';
	if ( file_exists( $built . '/block.json' ) ) {
		register_block_type( $built );
		wp_set_script_translations( 'vodia-call-click-to-call-editor-script', 'vodia-click-to-call', VODIA_CALL_DIR . '/languages' );
		return;
	}
	$meta = wp_json_file_decode( VODIA_CALL_DIR . '/blocks/click-to-call/block.json', array( 'associative' => true ) );
	register_block_type(
		VODIA_CALL_BLOCK_NAME,
		array(
			'attributes'      => is_array( $meta ) && isset( $meta['attributes'] ) ? $meta['attributes'] : array(),
			'uses_context'    => array( 'postId' ),
			'render_callback' => 'vodia_call_render_block',
		)
	);
}
add_action( 'init', 'vodia_call_register_block' );

<?php
/**
 * The "Click to Call" block: its registration, and its server-side render (the same link as the shortcode's, in
 * the block's wrapper).
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The block's name. */
const VODIA_CALL_BLOCK_NAME = 'vodia-call/click-to-call';

/**
 * The block's server-side render: the same link, in the block's wrapper.
 *
 * @param array<string, mixed> $attributes Block attributes.
 * @param string               $content    Inner content (unused: the block is dynamic).
 * @param WP_Block|null        $block      Block instance.
 */
function vodia_call_render_block( $attributes, $content = '', $block = null ): string {
	$post_id = ( $block instanceof WP_Block && isset( $block->context['postId'] ) ) ? (int) $block->context['postId'] : (int) get_the_ID();
	$link    = vodia_call_render_link( is_array( $attributes ) ? $attributes : array(), '', $post_id );
	if ( '' === $link ) {
		return '';
	}
	// The wrapper attributes exist only while WP_Block::render() runs; direct calls (tests) get a plain class.
	$wrapper = WP_Block_Supports::$block_to_render ? get_block_wrapper_attributes() : 'class="wp-block-vodia-call-click-to-call"';
	return '<p ' . $wrapper . '>' . $link . '</p>';
}

/**
 * Registers the block from its built metadata (wp-plugin/build/click-to-call/). Without a build (a plain
 * checkout) the block still renders on the server; only the editor UI is missing.
 */
function vodia_call_register_block(): void {
	$built = VODIA_CALL_DIR . '/build/click-to-call';
	if ( file_exists( $built . '/block.json' ) ) {
		register_block_type( $built, array( 'render_callback' => 'vodia_call_render_block' ) );
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

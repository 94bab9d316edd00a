<?php
/**
 * The "Click to Call" block's template (block.json "render", WordPress 6.1+): the link the [vodia_call] shortcode
 * renders too (vodia_call_render_link() in includes/call-link.php), in the block's wrapper. WordPress includes it
 * with $attributes, $content and $block set; the block is dynamic, so $content is empty.
 *
 * @package VodiaClickToCall
 *
 * @var array<string, mixed> $attributes Block attributes.
 * @var WP_Block|null        $block      Block instance.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

// The post the link belongs to, for the notice that people who may edit it see about an invalid number.
$vodia_call_post_id = ( isset( $block ) && $block instanceof WP_Block && isset( $block->context['postId'] ) ) ? (int) $block->context['postId'] : (int) get_the_ID();
$vodia_call_link    = vodia_call_render_link( isset( $attributes ) && is_array( $attributes ) ? $attributes : array(), '', $vodia_call_post_id );
if ( '' !== $vodia_call_link ) {
	// The wrapper attributes exist only while WP_Block::render() runs; an include outside it gets a plain class.
	$vodia_call_wrapper = WP_Block_Supports::$block_to_render ? get_block_wrapper_attributes() : 'class="wp-block-vodia-call-click-to-call"';
	echo '<p ' . $vodia_call_wrapper . '>' . $vodia_call_link . '</p>'; // phpcs:ignore WordPress.Security.EscapeOutput -- WordPress escapes the wrapper's attributes; the link is built from escaped parts.
}

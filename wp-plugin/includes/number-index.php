<?php
/**
 * The index of numbers that published content offers.
 *
 * Pages may be served from a full-page cache long after they were rendered, so they carry only unsigned
 * links; the popup page signs at request time, and the endpoint answers, only for a number that published
 * content offers now. The index maps each number to the sources that may offer it ("post:ID", "widget_block",
 * "widget_text") and is kept current as content is saved, published, unpublished, trashed or deleted;
 * activation rebuilds it. Whether a source offers its number is decided again at each request (see
 * vodia_call_source_offers()): only content that the site's own editors publish counts, as anything else a
 * visitor or an author could fill with numbers of their choosing.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Option holding the index: number => list of sources. Not autoloaded; only the popup page reads it. */
const VODIA_CALL_INDEX_OPTION = 'vodia_call_number_index';

/**
 * Valid numbers that content links to through the shortcode or the block.
 *
 * @param string $content Post content (raw, as stored).
 * @return string[]
 */
function vodia_call_numbers_in_content( string $content ): array {
	$numbers = array();
	if ( false !== strpos( $content, '[vodia_call' ) && preg_match_all( '/' . get_shortcode_regex( array( 'vodia_call' ) ) . '/s', $content, $matches, PREG_SET_ORDER ) ) {
		foreach ( $matches as $match ) {
			if ( '[' === $match[1] && ']' === $match[6] ) {
				continue; // [[vodia_call]] is an escaped shortcode: printed, not rendered.
			}
			$atts = shortcode_parse_atts( $match[3] );
			if ( is_array( $atts ) && isset( $atts['number'] ) ) {
				$numbers[] = trim( (string) $atts['number'] );
			}
		}
	}
	if ( false !== strpos( $content, '<!-- wp:' . VODIA_CALL_BLOCK_NAME ) ) {
		$numbers = array_merge( $numbers, vodia_call_numbers_in_blocks( parse_blocks( $content ) ) );
	}
	return array_values( array_unique( array_filter( $numbers, 'vodia_call_is_valid_number' ) ) );
}

/**
 * Numbers in parsed blocks, nested ones included.
 *
 * @param array<int, array<string, mixed>> $blocks Parsed blocks.
 * @return string[]
 */
function vodia_call_numbers_in_blocks( array $blocks ): array {
	$numbers = array();
	foreach ( $blocks as $block ) {
		if ( VODIA_CALL_BLOCK_NAME === $block['blockName'] && isset( $block['attrs']['number'] ) && is_string( $block['attrs']['number'] ) ) {
			$numbers[] = trim( $block['attrs']['number'] );
		}
		if ( ! empty( $block['innerBlocks'] ) ) {
			$numbers = array_merge( $numbers, vodia_call_numbers_in_blocks( $block['innerBlocks'] ) );
		}
	}
	return $numbers;
}

/**
 * The index as stored.
 *
 * @return array<string, string[]>
 */
function vodia_call_get_number_index(): array {
	$index = get_option( VODIA_CALL_INDEX_OPTION, array() );
	return is_array( $index ) ? $index : array();
}

/**
 * Sets the numbers one source offers, replacing what it offered before.
 *
 * @param string   $source  Source key.
 * @param string[] $numbers Its numbers (none to drop the source).
 */
function vodia_call_index_set_source( string $source, array $numbers ): void {
	$index   = vodia_call_get_number_index();
	$changed = false;
	foreach ( $index as $number => $sources ) {
		if ( in_array( $source, $sources, true ) && ! in_array( (string) $number, $numbers, true ) ) {
			$index[ $number ] = array_values( array_diff( $sources, array( $source ) ) );
			if ( ! $index[ $number ] ) {
				unset( $index[ $number ] );
			}
			$changed = true;
		}
	}
	foreach ( $numbers as $number ) {
		if ( ! isset( $index[ $number ] ) || ! in_array( $source, $index[ $number ], true ) ) {
			$index[ $number ][] = $source;
			$changed            = true;
		}
	}
	if ( $changed ) {
		update_option( VODIA_CALL_INDEX_OPTION, $index, false );
	}
}

/**
 * Post types whose site-wide parts WordPress renders into viewable pages, though the types themselves are not
 * viewable: synced patterns (reusable blocks), and block-theme templates and template parts.
 */
const VODIA_CALL_RENDERED_PART_TYPES = array( 'wp_block', 'wp_template', 'wp_template_part' );

/**
 * The post types whose published content may offer numbers.
 *
 * Only an allow-list: plugins such as forums, form builders or booking systems store what members or visitors
 * write as published posts of their own types, and a [vodia_call] shortcode typed there must not make the
 * popup page sign links for its number (a premium-rate number, say). Other viewable types (a theme's
 * "portfolio", a shop's "product") are indexed only when a site owner adds them with the filter; then
 * deactivate and reactivate the plugin to rebuild the index.
 *
 * @return string[]
 */
function vodia_call_indexed_post_types(): array {
	/**
	 * Filters the post types whose published content offers numbers to the popup page. A type counts only if
	 * it is viewable (is_post_type_viewable()) or one of wp_block, wp_template, wp_template_part, and only for
	 * content whose author may publish that type. Add only types whose content your own editors write.
	 *
	 * @param string[] $types Post types. Default: post, page, wp_block, wp_template, wp_template_part.
	 */
	$types = apply_filters( 'vodia_call_indexed_post_types', array_merge( array( 'post', 'page' ), VODIA_CALL_RENDERED_PART_TYPES ) );
	return array_values( array_filter( is_array( $types ) ? $types : array(), 'is_string' ) );
}

/**
 * Whether content of a post type may offer numbers: allow-listed, registered, and viewable (or a part that
 * WordPress renders into viewable pages).
 *
 * @param string $post_type Post type.
 */
function vodia_call_post_type_is_indexed( string $post_type ): bool {
	return in_array( $post_type, vodia_call_indexed_post_types(), true ) && post_type_exists( $post_type )
		&& ( is_post_type_viewable( $post_type ) || in_array( $post_type, VODIA_CALL_RENDERED_PART_TYPES, true ) );
}

/**
 * The capability that publishing content of a post type takes: publish_posts for posts, the type's own
 * publish capability otherwise (publish_pages for pages, edit_theme_options for templates). Synced patterns
 * map theirs to a capability no role has (publish_blocks); WordPress lets whoever may publish posts create
 * them, so that is the capability for them too.
 *
 * @param string $post_type Post type (registered).
 */
function vodia_call_publish_capability( string $post_type ): string {
	if ( 'post' === $post_type || 'wp_block' === $post_type ) {
		return 'publish_posts';
	}
	$object = get_post_type_object( $post_type );
	return $object && isset( $object->cap->publish_posts ) ? (string) $object->cap->publish_posts : 'publish_posts';
}

/**
 * Whether a post's numbers go into the index: status "publish" (password-protected posts included: the password
 * hides the post, not the number), an indexed post type, and an author who may publish content of that type.
 * The author rule keeps out content that reached "publish" some other way (a plugin publishing what a
 * contributor or a visitor wrote); a contributor's post that an editor published counts once someone who may
 * publish is its author. The index holds candidates: whether a candidate's numbers are offered is decided at
 * request time by vodia_call_post_offers_numbers().
 *
 * @param WP_Post $post Post.
 */
function vodia_call_post_may_be_indexed( WP_Post $post ): bool {
	return 'publish' === $post->post_status && vodia_call_post_type_is_indexed( $post->post_type )
		&& (int) $post->post_author > 0 && user_can( (int) $post->post_author, vodia_call_publish_capability( $post->post_type ) );
}

/**
 * Whether an author's content may make numbers callable: users who may edit others' posts (editors,
 * administrators), or, when the administrator allows it, anyone who may publish. The Author role may publish
 * its own posts without review, so one author's post with [vodia_call number="0900..."] would otherwise let
 * every visitor call that number through the PBX.
 *
 * @param int                  $author_id User ID.
 * @param array<string, mixed> $settings  Settings.
 */
function vodia_call_author_is_trusted( int $author_id, array $settings ): bool {
	return $author_id > 0 && ( ! empty( $settings['allow_authors'] ) || user_can( $author_id, 'edit_others_posts' ) );
}

/**
 * Whether a post offers its numbers now: it may be indexed (vodia_call_post_may_be_indexed()) and its author
 * is trusted (vodia_call_author_is_trusted()).
 *
 * @param WP_Post                   $post     Post.
 * @param array<string, mixed>|null $settings Settings, or null to read them.
 */
function vodia_call_post_offers_numbers( WP_Post $post, ?array $settings = null ): bool {
	return vodia_call_post_may_be_indexed( $post )
		&& vodia_call_author_is_trusted( (int) $post->post_author, $settings ?? vodia_call_get_settings() );
}

/**
 * Re-indexes one post.
 *
 * @param int $post_id Post ID.
 */
function vodia_call_index_post( int $post_id ): void {
	$post = get_post( $post_id );
	if ( ! $post instanceof WP_Post ) {
		vodia_call_index_set_source( 'post:' . $post_id, array() );
		return;
	}
	if ( 'revision' === $post->post_type ) {
		return; // Revisions never offer numbers, and they must not touch their parent's entry.
	}
	$numbers = vodia_call_post_may_be_indexed( $post ) ? vodia_call_numbers_in_content( $post->post_content ) : array();
	vodia_call_index_set_source( 'post:' . $post_id, $numbers );
}

/**
 * After a post is saved (its terms and meta too), including status changes and scheduled publishing.
 *
 * @param int $post_id Post ID.
 */
function vodia_call_on_after_insert_post( $post_id ): void {
	vodia_call_index_post( (int) $post_id );
}
add_action( 'wp_after_insert_post', 'vodia_call_on_after_insert_post' );

/**
 * A status change outside wp_insert_post() paths (a plugin calling wp_transition_post_status() itself).
 *
 * @param string  $new_status New status.
 * @param string  $old_status Old status.
 * @param WP_Post $post       Post.
 */
function vodia_call_on_transition_post_status( $new_status, $old_status, $post ): void {
	if ( $new_status !== $old_status && $post instanceof WP_Post ) {
		vodia_call_index_post( (int) $post->ID );
	}
}
add_action( 'transition_post_status', 'vodia_call_on_transition_post_status', 10, 3 );

/**
 * A post is trashed or deleted: it offers nothing any more.
 *
 * @param int $post_id Post ID.
 */
function vodia_call_on_post_gone( $post_id ): void {
	vodia_call_index_set_source( 'post:' . (int) $post_id, array() );
}
add_action( 'trashed_post', 'vodia_call_on_post_gone' );
add_action( 'deleted_post', 'vodia_call_on_post_gone' );

/** The widget options whose content may hold shortcodes or blocks (block and text widgets), and their field. */
const VODIA_CALL_WIDGET_SOURCES = array(
	'widget_block' => 'content',
	'widget_text'  => 'text',
);

/**
 * The numbers the widgets stored in one option link to.
 *
 * @param string $option The option: widget_block or widget_text.
 * @return string[]
 */
function vodia_call_widget_numbers( string $option ): array {
	$field     = VODIA_CALL_WIDGET_SOURCES[ $option ] ?? '';
	$numbers   = array();
	$instances = '' === $field ? array() : get_option( $option, array() );
	foreach ( is_array( $instances ) ? $instances : array() as $instance ) {
		if ( is_array( $instance ) && isset( $instance[ $field ] ) && is_string( $instance[ $field ] ) ) {
			$numbers = array_merge( $numbers, vodia_call_numbers_in_content( $instance[ $field ] ) );
		}
	}
	return array_values( array_unique( $numbers ) );
}

/**
 * Re-indexes the widgets whose content may hold shortcodes or blocks (block and text widgets).
 */
function vodia_call_index_widgets(): void {
	foreach ( array_keys( VODIA_CALL_WIDGET_SOURCES ) as $option ) {
		vodia_call_index_set_source( $option, vodia_call_widget_numbers( $option ) );
	}
}
add_action( 'update_option_widget_block', 'vodia_call_index_widgets' );
add_action( 'add_option_widget_block', 'vodia_call_index_widgets' );
add_action( 'update_option_widget_text', 'vodia_call_index_widgets' );
add_action( 'add_option_widget_text', 'vodia_call_index_widgets' );

/**
 * Rebuilds the whole index from published content (on activation, when content changed while the plugin was
 * inactive).
 */
function vodia_call_rebuild_number_index(): void {
	global $wpdb;
	update_option( VODIA_CALL_INDEX_OPTION, array(), false );
	$types = array_values( array_filter( vodia_call_indexed_post_types(), 'vodia_call_post_type_is_indexed' ) );
	if ( $types ) {
		// One query for candidates; the LIKE only narrows, vodia_call_index_post() decides (same rules as on save).
		// Not cached: runs on activation only.
		$ids = $wpdb->get_col( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- a one-off scan on activation.
			$wpdb->prepare(
				"SELECT ID FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_type IN (" . implode( ', ', array_fill( 0, count( $types ), '%s' ) ) . ') AND (post_content LIKE %s OR post_content LIKE %s)', // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- one %s per type.
				array_merge(
					$types,
					array(
						'%' . $wpdb->esc_like( '[vodia_call' ) . '%',
						'%' . $wpdb->esc_like( '<!-- wp:' . VODIA_CALL_BLOCK_NAME ) . '%',
					)
				)
			)
		);
	} else {
		$ids = array();
	}
	foreach ( $ids as $id ) {
		vodia_call_index_post( (int) $id );
	}
	vodia_call_index_widgets();
}

/**
 * Whether a source in the index offers a number now: a post that offers numbers (vodia_call_post_offers_numbers())
 * and still holds this one, or a block or text widget that holds it (only administrators edit widgets). Read
 * at request time, so a post unpublished, trashed, edited, or whose author lost the right, stops offering at
 * once, even if something changed it without the hooks that keep the index current.
 *
 * @param string               $source   Source key ("post:ID", "widget_block", "widget_text").
 * @param string               $number   Number.
 * @param array<string, mixed> $settings Settings.
 */
function vodia_call_source_offers( string $source, string $number, array $settings ): bool {
	if ( 0 === strpos( $source, 'post:' ) ) {
		$post = get_post( (int) substr( $source, 5 ) );
		return $post instanceof WP_Post && vodia_call_post_offers_numbers( $post, $settings )
			&& in_array( $number, vodia_call_numbers_in_content( $post->post_content ), true );
	}
	return isset( VODIA_CALL_WIDGET_SOURCES[ $source ] ) && in_array( $number, vodia_call_widget_numbers( $source ), true );
}

/**
 * Whether published content offers a number now, so the popup page may sign a link for it and the endpoint may
 * answer for it.
 *
 * @param string                    $number   Number (already validated).
 * @param array<string, mixed>|null $settings Settings, or null to read them.
 */
function vodia_call_is_number_offered( string $number, ?array $settings = null ): bool {
	$settings = $settings ?? vodia_call_get_settings();
	$index    = vodia_call_get_number_index();
	$offered  = false;
	foreach ( $index[ $number ] ?? array() as $source ) {
		if ( is_string( $source ) && vodia_call_source_offers( $source, $number, $settings ) ) {
			$offered = true;
			break;
		}
	}
	/**
	 * Filters whether the popup page may sign a link for a number, and the endpoint answer for it. Use it for
	 * numbers printed by theme templates or other places the index cannot see. Returning true for arbitrary
	 * numbers lets anyone place calls to them through your PBX. The allow-list on the settings page, when not
	 * empty, still applies.
	 *
	 * @param bool   $offered Whether published content offers the number.
	 * @param string $number  The number.
	 */
	return (bool) apply_filters( 'vodia_call_number_is_offered', $offered, $number );
}

/**
 * Whether a number may be called now, and if not, why: not on a non-empty allow-list, or not offered by
 * published content.
 *
 * @param string               $number   Number (already validated).
 * @param array<string, mixed> $settings Settings.
 * @return string '', number-not-allowed or number-not-offered.
 */
function vodia_call_number_problem( string $number, array $settings ): string {
	if ( ! vodia_call_number_is_allowed( $number, $settings ) ) {
		return 'number-not-allowed';
	}
	return vodia_call_is_number_offered( $number, $settings ) ? '' : 'number-not-offered';
}

/**
 * Activation: rebuild the number index, as content may have changed while the plugin was inactive.
 *
 * @param bool $network_wide Whether activated for the whole network.
 */
function vodia_call_activate( $network_wide = false ): void {
	if ( is_multisite() && $network_wide ) {
		foreach ( get_sites(
			array(
				'fields' => 'ids',
				'number' => 0,
			)
		) as $site_id ) {
			switch_to_blog( (int) $site_id );
			vodia_call_rebuild_number_index();
			restore_current_blog();
		}
		return;
	}
	vodia_call_rebuild_number_index();
}
register_activation_hook( VODIA_CALL_FILE, 'vodia_call_activate' );

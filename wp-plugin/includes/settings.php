<?php
/**
 * Settings → Vodia Click-to-Call: one array option through the Settings API. The password is write-only: no
 * page, field, REST response or log ever carries it; it is stored encrypted (see password-crypto.php).
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Settings page slug. */
const VODIA_CALL_PAGE = 'vodia-click-to-call';

/** Settings API option group. */
const VODIA_CALL_GROUP = 'vodia_call';

/**
 * Sanitize callback of the option: cleans, reports each rejected value, keeps the stored one in its place.
 *
 * @param mixed $input Submitted value.
 * @return array<string, mixed>
 */
function vodia_call_sanitize_settings( $input ): array {
	$stored   = get_option( VODIA_CALL_OPTION, array() );
	$previous = is_array( $stored ) ? $stored : array();
	$errors   = array();
	if ( ! is_array( $input ) ) {
		$errors['form'] = __( 'The settings could not be read; nothing was changed.', 'vodia-click-to-call' );
		$input          = array();
	}
	$clean = vodia_call_clean_settings( $input, $previous, $errors );
	if ( 'vodia' === $clean['mode'] && '' === $clean['pbx_url'] && ! isset( $errors['pbx_url'] ) ) {
		$errors['pbx_url'] = __( 'Links to the PBX\'s own makecall page need the PBX web address.', 'vodia-click-to-call' );
	}
	if ( $clean['office_hours'] && '' === vodia_call_office_time_zone( $clean ) && ! isset( $errors['time_zone'] ) ) {
		// Hours without a zone would mean something else in every visitor's browser: keep them off until one is set.
		$clean['office_hours'] = false;
		$errors['time_zone']   = __( 'Office hours need a named time zone such as Europe/Berlin (this site\'s own is an offset from UTC); they stay off until one is set.', 'vodia-click-to-call' );
	}
	// add_settings_error() exists only in the admin; outside it (update_option() from code) the values are
	// still cleaned, only the messages have nowhere to go.
	if ( function_exists( 'add_settings_error' ) ) {
		foreach ( $errors as $field => $message ) {
			add_settings_error( VODIA_CALL_OPTION, 'vodia_call_' . $field, $message, 'error' );
		}
	}
	return $clean;
}

/**
 * Registers the option and the page's sections and fields.
 */
function vodia_call_register_settings(): void {
	register_setting(
		VODIA_CALL_GROUP,
		VODIA_CALL_OPTION,
		array(
			'type'              => 'object',
			'description'       => __( 'Vodia Click-to-Call settings.', 'vodia-click-to-call' ),
			'sanitize_callback' => 'vodia_call_sanitize_settings',
			'default'           => vodia_call_default_settings(),
			// Never through REST: the option holds the (encrypted) PBX password.
			'show_in_rest'      => false,
		)
	);
}
add_action( 'init', 'vodia_call_register_settings' );

/**
 * Adds the page's sections and fields.
 */
function vodia_call_add_settings_fields(): void {
	add_settings_section( 'vodia_call_pbx', __( 'PBX account', 'vodia-click-to-call' ), 'vodia_call_render_pbx_section', VODIA_CALL_PAGE );
	add_settings_section( 'vodia_call_links', __( 'Links', 'vodia-click-to-call' ), '__return_false', VODIA_CALL_PAGE );
	add_settings_section( 'vodia_call_visitors', __( 'Caller context and office hours', 'vodia-click-to-call' ), '__return_false', VODIA_CALL_PAGE );
	add_settings_section( 'vodia_call_security', __( 'Security', 'vodia-click-to-call' ), 'vodia_call_render_security_section', VODIA_CALL_PAGE );

	foreach ( vodia_call_settings_fields() as $key => $field ) {
		add_settings_field(
			'vodia_call_' . $key,
			$field['label'],
			'vodia_call_render_field',
			VODIA_CALL_PAGE,
			$field['section'],
			array(
				'key'       => $key,
				'label_for' => 'vodia_call_' . $key,
			)
		);
	}
}
add_action( 'admin_init', 'vodia_call_add_settings_fields' );

/**
 * Adds the page under Settings.
 */
function vodia_call_add_settings_page(): void {
	add_options_page(
		__( 'Vodia Click-to-Call', 'vodia-click-to-call' ),
		__( 'Vodia Click-to-Call', 'vodia-click-to-call' ),
		'manage_options',
		VODIA_CALL_PAGE,
		'vodia_call_render_settings_page'
	);
}
add_action( 'admin_menu', 'vodia_call_add_settings_page' );

/**
 * A "Settings" link in the plugin list.
 *
 * @param string[] $links Action links.
 * @return string[]
 */
function vodia_call_plugin_action_links( $links ): array {
	$links   = is_array( $links ) ? $links : array();
	$links[] = sprintf( '<a href="%s">%s</a>', esc_url( admin_url( 'options-general.php?page=' . VODIA_CALL_PAGE ) ), esc_html__( 'Settings', 'vodia-click-to-call' ) );
	return $links;
}
add_filter( 'plugin_action_links_' . plugin_basename( VODIA_CALL_FILE ), 'vodia_call_plugin_action_links' );

/**
 * The page.
 */
function vodia_call_render_settings_page(): void {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'Sorry, you are not allowed to manage these settings.', 'vodia-click-to-call' ), 403 );
	}
	?>
	<div class="wrap">
		<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
		<?php vodia_call_render_password_advice( vodia_call_settings_page_view( true ) ); ?>
		<form action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>" method="post">
			<?php
			settings_fields( VODIA_CALL_GROUP );
			do_settings_sections( VODIA_CALL_PAGE );
			submit_button();
			?>
		</form>
		<?php vodia_call_render_check_link(); ?>
	</div>
	<?php
}

/**
 * The popup page's address for the connection test (?check): no number, nothing signed.
 */
function vodia_call_check_url(): string {
	return vodia_call_add_params( home_url( '/' ), array( 'vodia_call_popup' => '1' ) ) . '&check';
}

/**
 * "Test the connection": opens the call window's connection test with the saved settings. Only on the settings
 * page, which only administrators reach; the page itself is public, as the call window is.
 */
function vodia_call_render_check_link(): void {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	printf(
		'<p><a class="button" id="vodia-call-check" href="%1$s" target="_blank" rel="noopener">%2$s</a></p><p class="description">%3$s</p>',
		esc_url( vodia_call_check_url() ),
		esc_html__( 'Test the connection', 'vodia-click-to-call' ),
		esc_html__( 'Opens the call window\'s connection test with the settings saved above, in a new tab. It places no call.', 'vodia-click-to-call' )
	);
}

/**
 * Text above the account fields.
 */
function vodia_call_render_pbx_section(): void {
	echo '<p>' . esc_html__( 'Use an extension made for web calls only, with a long random password, and let it reach at the PBX only the numbers you publish. Make your PBX check that the digest uri equals the request URI, so an answer for one number cannot ride on a call to another.', 'vodia-click-to-call' ) . '</p>';
}

/**
 * Text above the security settings: what this site checks before it answers a challenge.
 */
function vodia_call_render_security_section(): void {
	echo '<p>' . esc_html__( 'This site answers the PBX\'s digest challenges only for links it signed, only for an INVITE to the link\'s number, and only for challenges that offer qop=auth with algorithm MD5 in the realm set above.', 'vodia-click-to-call' ) . '</p>';
	echo '<p><strong>' . esc_html__( 'What your PBX must enforce, because this site cannot:', 'vodia-click-to-call' ) . '</strong></p>';
	echo '<ul class="ul-disc">';
	echo '<li>' . esc_html__( 'The digest uri must equal the request URI of the INVITE. Otherwise an answer this site gave for one number could go along with an INVITE to another.', 'vodia-click-to-call' ) . '</li>';
	echo '<li>' . esc_html__( 'No MD5-sess or other algorithm chosen by the client: only the algorithm the PBX offered in its challenge.', 'vodia-click-to-call' ) . '</li>';
	echo '<li>' . esc_html__( 'A PBX that cannot check the digest uri, such as Asterisk with PJSIP, needs a dialplan (context) for the web-call extension that reaches only the numbers you publish. This is mandatory, not advice: without it, one answer from this site can call any number.', 'vodia-click-to-call' ) . '</li>';
	echo '</ul>';
	echo '<p>' . ( 'constant' === vodia_call_encryption_key_source()
		? esc_html__( 'The PBX password and the TURN secret are stored encrypted, with a key made from VODIA_CALL_ENCRYPTION_KEY in wp-config.php.', 'vodia-click-to-call' )
		: esc_html__( 'The PBX password and the TURN secret are stored encrypted, with a key made now from this site\'s security keys (AUTH_KEY, SECURE_AUTH_KEY and their salts in wp-config.php). Whoever has them and a copy of the database can read the password; when they change, the password must be entered again.', 'vodia-click-to-call' ) ) . '</p>';
	echo '<p>' . esc_html__( 'For a key of its own, add this line to wp-config.php with a long random value of yours (for example from openssl rand -base64 48), then enter the password and the TURN secret here again:', 'vodia-click-to-call' )
		. ' <code>' . esc_html( "define( 'VODIA_CALL_ENCRYPTION_KEY', '...' );" ) . '</code></p>';
}

/**
 * What the settings page shows, read once per page: the option is read, cleaned and its secrets decrypted here,
 * not again for each field.
 *
 * @param bool $refresh Read the option again (the page does, once, before its first field).
 * @return array<string, array<string, mixed>> fields: vodia_call_settings_fields(); settings: as
 *         vodia_call_get_settings() returns them; secrets: each secret field's plain text ('' for none);
 *         has_secret: whether one is stored; unreadable: whether one is stored but no longer decrypts.
 */
function vodia_call_settings_page_view( bool $refresh = false ): array {
	static $view = null;
	if ( null !== $view && ! $refresh ) {
		return $view;
	}
	$stored   = get_option( VODIA_CALL_OPTION, array() );
	$stored   = is_array( $stored ) ? $stored : array();
	$settings = vodia_call_settings_from_stored( $stored );
	$view     = array(
		'fields'     => vodia_call_settings_fields(),
		'settings'   => $settings,
		'secrets'    => array(),
		'has_secret' => array(),
		'unreadable' => array(),
	);
	foreach ( $view['fields'] as $key => $field ) {
		if ( empty( $field['secret'] ) ) {
			continue;
		}
		$plain                      = (string) vodia_call_decrypt( $settings[ $key ] );
		$view['secrets'][ $key ]    = $plain;
		$view['has_secret'][ $key ] = '' !== $plain;
		// Stored, but dropped by the cleaning, which keeps a secret only while it decrypts: the key changed.
		$view['unreadable'][ $key ] = ! empty( $stored[ $key ] ) && '' === $settings[ $key ];
	}
	return $view;
}

/**
 * One field, as its entry in vodia_call_settings_fields() describes it.
 *
 * @param array{key:string, label_for:string} $args Field arguments.
 */
function vodia_call_render_field( array $args ): void {
	$view = vodia_call_settings_page_view();
	if ( ! isset( $view['fields'][ $args['key'] ] ) ) {
		return;
	}
	$field    = $view['fields'][ $args['key'] ];
	$settings = $view['settings'];
	$key      = $field['key'];
	$id       = $args['label_for'];
	$name     = VODIA_CALL_OPTION . '[' . $key . ']';
	$attrs    = vodia_call_field_spec( $field, 'attributes', $settings, array() );

	if ( ! empty( $field['secret'] ) ) {
		$value = ''; // Write-only: the value attribute stays empty whatever is stored.
	} elseif ( isset( $field['value'] ) ) {
		$value = (string) call_user_func( $field['value'], $settings, $field );
	} else {
		$value = (string) $settings[ $key ];
	}

	switch ( $field['control'] ) {
		case 'input':
			printf( '<input type="%s" class="%s" id="%s" name="%s" value="%s"%s>', esc_attr( $field['type'] ), esc_attr( $field['class'] ), esc_attr( $id ), esc_attr( $name ), esc_attr( $value ), vodia_call_html_attributes( $attrs ) ); // phpcs:ignore WordPress.Security.EscapeOutput -- vodia_call_html_attributes() escapes.
			break;
		case 'textarea':
			printf( '<textarea class="%s" rows="%d" id="%s" name="%s"%s>%s</textarea>', esc_attr( $field['class'] ), (int) $field['rows'], esc_attr( $id ), esc_attr( $name ), vodia_call_html_attributes( $attrs ), esc_textarea( $value ) ); // phpcs:ignore WordPress.Security.EscapeOutput -- vodia_call_html_attributes() escapes.
			break;
		case 'select':
			vodia_call_render_select( $id, $name, vodia_call_field_spec( $field, 'choices', $settings, array() ), $value );
			break;
		case 'checkbox':
			vodia_call_render_checkbox( $id, $name, (bool) $settings[ $key ], $field['checkbox'] );
			break;
	}
	foreach ( vodia_call_field_spec( $field, 'description', $view, array() ) as $paragraph ) {
		echo '<p class="description">' . esc_html( $paragraph ) . '</p>';
	}
}

/**
 * A part of a field's entry that is either given as is (an array) or made by a callable from $context.
 *
 * @param array<string, mixed> $field    Field.
 * @param string               $part     The part: attributes, choices or description.
 * @param array<string, mixed> $context  Settings (attributes, choices) or the page's view (description).
 * @param array<mixed>         $fallback When the field has none.
 * @return array<mixed>
 */
function vodia_call_field_spec( array $field, string $part, array $context, array $fallback ): array {
	if ( ! isset( $field[ $part ] ) ) {
		return $fallback;
	}
	return is_array( $field[ $part ] ) ? $field[ $part ] : (array) call_user_func( $field[ $part ], $context );
}

/**
 * HTML attributes, each escaped, each with a leading space: ' name="value"'.
 *
 * @param array<string, scalar> $attributes Name => value, in order.
 */
function vodia_call_html_attributes( array $attributes ): string {
	$html = '';
	foreach ( $attributes as $name => $value ) {
		$html .= sprintf( ' %s="%s"', esc_attr( (string) $name ), esc_attr( (string) $value ) );
	}
	return $html;
}

/**
 * A checkbox with its label. A hidden "0" comes first under the same name, so an unticked box is saved as off
 * (browsers send nothing for it, and a missing field keeps the stored value).
 *
 * @param string $id      Element ID.
 * @param string $name    Field name.
 * @param bool   $checked Whether it is on.
 * @param string $label   Label text.
 */
function vodia_call_render_checkbox( string $id, string $name, bool $checked, string $label ): void {
	printf( '<input type="hidden" name="%s" value="0">', esc_attr( $name ) );
	printf( "\n" . '<input type="checkbox" id="%s" name="%s" value="1"%s>', esc_attr( $id ), esc_attr( $name ), checked( $checked, true, false ) );
	printf( ' <label for="%s">%s</label>', esc_attr( $id ), esc_html( $label ) );
}

/**
 * A select element.
 *
 * @param string                $id      Element ID.
 * @param string                $name    Field name.
 * @param array<string, string> $choices Value => label.
 * @param string                $current Selected value.
 */
function vodia_call_render_select( string $id, string $name, array $choices, string $current ): void {
	printf( '<select id="%s" name="%s">', esc_attr( $id ), esc_attr( $name ) );
	foreach ( $choices as $value => $label ) {
		printf( '<option value="%s"%s>%s</option>', esc_attr( (string) $value ), selected( (string) $value, $current, false ), esc_html( $label ) );
	}
	echo '</select>';
}

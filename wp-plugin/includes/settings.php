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
	add_settings_section( 'vodia_call_security', __( 'Security', 'vodia-click-to-call' ), 'vodia_call_render_security_section', VODIA_CALL_PAGE );

	$fields = array(
		'server'          => array( 'vodia_call_pbx', __( 'PBX WebSocket URL', 'vodia-click-to-call' ) ),
		'domain'          => array( 'vodia_call_pbx', __( 'SIP domain', 'vodia-click-to-call' ) ),
		'realm'           => array( 'vodia_call_pbx', __( 'Digest realm', 'vodia-click-to-call' ) ),
		'extension'       => array( 'vodia_call_pbx', __( 'Extension', 'vodia-click-to-call' ) ),
		'password'        => array( 'vodia_call_pbx', __( 'Password', 'vodia-click-to-call' ) ),
		'ice_servers'     => array( 'vodia_call_pbx', __( 'ICE servers', 'vodia-click-to-call' ) ),
		'turn_secret'     => array( 'vodia_call_pbx', __( 'TURN shared secret', 'vodia-click-to-call' ) ),
		'dtmf'            => array( 'vodia_call_pbx', __( 'Keypad digits', 'vodia-click-to-call' ) ),
		'mode'            => array( 'vodia_call_links', __( 'Calls open', 'vodia-click-to-call' ) ),
		'pbx_url'         => array( 'vodia_call_links', __( 'PBX web address', 'vodia-click-to-call' ) ),
		'duration'        => array( 'vodia_call_links', __( 'Link validity (seconds)', 'vodia-click-to-call' ) ),
		'lang'            => array( 'vodia_call_links', __( 'Popup language', 'vodia-click-to-call' ) ),
		'accept_no_qop'   => array( 'vodia_call_security', __( 'Challenges without qop', 'vodia-click-to-call' ) ),
		'allow_authors'   => array( 'vodia_call_security', __( 'Numbers from authors', 'vodia-click-to-call' ) ),
		'allowed_numbers' => array( 'vodia_call_security', __( 'Allowed numbers', 'vodia-click-to-call' ) ),
		'number_limit'    => array( 'vodia_call_security', __( 'Calls per number and minute', 'vodia-click-to-call' ) ),
		'trusted_proxies' => array( 'vodia_call_security', __( 'Trusted reverse proxies', 'vodia-click-to-call' ) ),
	);
	foreach ( $fields as $key => $field ) {
		add_settings_field(
			'vodia_call_' . $key,
			$field[1],
			'vodia_call_render_field',
			VODIA_CALL_PAGE,
			$field[0],
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
		<?php vodia_call_render_password_advice( vodia_call_get_settings() ); ?>
		<form action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>" method="post">
			<?php
			settings_fields( VODIA_CALL_GROUP );
			do_settings_sections( VODIA_CALL_PAGE );
			submit_button();
			?>
		</form>
	</div>
	<?php
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
 * One field.
 *
 * @param array{key:string, label_for:string} $args Field arguments.
 */
function vodia_call_render_field( array $args ): void {
	$settings = vodia_call_get_settings();
	$key      = $args['key'];
	$id       = $args['label_for'];
	$name     = VODIA_CALL_OPTION . '[' . $key . ']';

	switch ( $key ) {
		case 'server':
			printf( '<input type="url" class="regular-text code" id="%s" name="%s" value="%s" placeholder="wss://pbx.example.com/ws">', esc_attr( $id ), esc_attr( $name ), esc_attr( $settings['server'] ) );
			echo '<p class="description">' . esc_html__( 'SIP over WebSocket (RFC 7118). wss:// is required, except ws:// for a PBX on this machine\'s loopback address.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'pbx_url':
			printf( '<input type="url" class="regular-text code" id="%s" name="%s" value="%s" placeholder="https://pbx.example.com">', esc_attr( $id ), esc_attr( $name ), esc_attr( $settings['pbx_url'] ) );
			echo '<p class="description">' . esc_html__( 'Only for "the Vodia PBX\'s own makecall page": links then go to makecall.htm under this address.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'domain':
		case 'extension':
			printf( '<input type="text" class="regular-text" id="%s" name="%s" value="%s" autocomplete="off">', esc_attr( $id ), esc_attr( $name ), esc_attr( $settings[ $key ] ) );
			break;

		case 'realm':
			printf( '<input type="text" class="regular-text" id="%s" name="%s" value="%s" autocomplete="off" placeholder="%s">', esc_attr( $id ), esc_attr( $name ), esc_attr( $settings['realm'] ), esc_attr( $settings['domain'] ) );
			echo '<p class="description">' . esc_html__( 'The realm your PBX names in its digest challenges. Leave empty when it is the SIP domain (Vodia, FreeSWITCH and Kamailio as usually set up); Asterisk\'s default is "asterisk". Challenges in any other realm are not answered.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'allow_authors':
			vodia_call_render_checkbox( $id, $name, $settings['allow_authors'], __( 'Also offer the numbers in content published by authors (users who may publish their own posts but not edit others\' posts)', 'vodia-click-to-call' ) );
			echo '<p class="description">' . esc_html__( 'Off by default: only content whose author may edit others\' posts (editors and administrators) makes its numbers callable. An author publishes without review, so one post with a premium-rate number in it would let every visitor call that number through your PBX. Contributors\' content never counts.', 'vodia-click-to-call' ) . '</p>';
			echo '<p class="description">' . esc_html__( 'A password-protected post still offers its numbers: the password hides the post, not the numbers, and anyone may open the call page for them. Use a draft or a private post for numbers that must not be callable.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'allowed_numbers':
			printf( '<textarea class="regular-text code" rows="4" id="%s" name="%s" placeholder="%s">%s</textarea>', esc_attr( $id ), esc_attr( $name ), esc_attr( "100\n+4930*" ), esc_textarea( implode( "\n", $settings['allowed_numbers'] ) ) );
			echo '<p class="description">' . esc_html__( 'One number or prefix a line: 100 allows exactly 100, +4930* every number that starts with +4930. When the list is not empty, this site signs links and answers challenges only for numbers on it, whatever published content offers. Empty: no restriction beyond published content.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'number_limit':
			printf( '<input type="number" class="small-text" id="%s" name="%s" value="%d" min="1" max="%d" step="1">', esc_attr( $id ), esc_attr( $name ), (int) $settings['number_limit'], (int) VODIA_CALL_MAX_NUMBER_LIMIT );
			echo '<p class="description">' . esc_html__( 'How many digest answers one number gets per minute from all visitors together; a call takes one, sometimes two. Past it, calls to that number are refused until the minute is over. This bounds what many addresses together can place on one number (a premium-rate number, say); set it above the calls per minute you expect at your busiest. Each visitor\'s address also has its own limit (by default 30 requests in 5 minutes).', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'trusted_proxies':
			printf( '<textarea class="regular-text code" rows="3" id="%s" name="%s" placeholder="%s">%s</textarea>', esc_attr( $id ), esc_attr( $name ), esc_attr( "127.0.0.1\n10.0.0.0/8" ), esc_textarea( implode( "\n", $settings['trusted_proxies'] ) ) );
			echo '<p class="description">' . esc_html__( 'Only if this site is behind a reverse proxy, load balancer or CDN: its addresses or CIDR ranges, one a line. Requests from these addresses are counted against the visitor named in X-Forwarded-For (the last address there that is not one of your proxies), not against the proxy; otherwise every visitor shares the proxy\'s limit. List only proxies you run or pay for: anyone else can write anything into X-Forwarded-For. Empty: the header is ignored.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'accept_no_qop':
			vodia_call_render_checkbox( $id, $name, $settings['accept_no_qop'], __( 'Also answer challenges without qop (RFC 2069), for a PBX that never offers qop=auth', 'vodia-click-to-call' ) );
			echo '<p class="description">' . esc_html__( 'Off by default. Without qop, this site\'s answer equals the MD5-sess session key for the PBX\'s nonce: a PBX that accepts MD5-sess chosen by the client would accept requests signed with it, for any number and any method. Turn this on only for a PBX that never offers qop and never accepts MD5-sess it did not ask for. MD5-sess challenges, other realms and nonces with ":", quotes or control characters are refused either way.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'password':
			// Write-only: the value attribute stays empty whatever is stored.
			printf( '<input type="password" class="regular-text" id="%s" name="%s" value="" autocomplete="new-password" spellcheck="false">', esc_attr( $id ), esc_attr( $name ) );
			$has = '' !== vodia_call_get_password( $settings );
			echo '<p class="description">' . ( $has
				? esc_html__( 'A password is stored (encrypted; it is never shown). Leave the field blank to keep it.', 'vodia-click-to-call' )
				: esc_html__( 'No password is stored yet.', 'vodia-click-to-call' ) ) . '</p>';
			break;

		case 'duration':
			printf( '<input type="number" class="small-text" id="%s" name="%s" value="%d" min="%d" max="%d" step="1">', esc_attr( $id ), esc_attr( $name ), (int) $settings['duration'], (int) VODIA_CALL_MIN_DURATION, (int) VODIA_CALL_MAX_DURATION );
			echo '<p class="description">' . esc_html__( 'How long a signed link stays valid. Links are signed when a visitor clicks, so a few minutes to an hour is enough.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'lang':
			$choices = array(
				''   => __( 'Site language', 'vodia-click-to-call' ),
				'en' => 'English',
				'de' => 'Deutsch',
				'fr' => 'Français',
				'es' => 'Español',
				'it' => 'Italiano',
				'nl' => 'Nederlands',
			);
			if ( ! isset( $choices[ $settings['lang'] ] ) ) {
				$choices[ $settings['lang'] ] = $settings['lang'];
			}
			vodia_call_render_select( $id, $name, $choices, $settings['lang'] );
			break;

		case 'mode':
			vodia_call_render_select(
				$id,
				$name,
				array(
					'popup' => __( 'this site\'s call window (any SIP PBX)', 'vodia-click-to-call' ),
					'vodia' => __( 'the Vodia PBX\'s own makecall page', 'vodia-click-to-call' ),
				),
				$settings['mode']
			);
			echo '<p class="description">' . esc_html__( 'With this site\'s call window, this site answers the PBX\'s digest challenges, so the password stays on this server. With the Vodia PBX\'s own page, the PBX checks the signed links itself.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'dtmf':
			vodia_call_render_select(
				$id,
				$name,
				array(
					'rfc4733' => __( 'RFC 4733 telephone events (usual)', 'vodia-click-to-call' ),
					'info'    => __( 'SIP INFO', 'vodia-click-to-call' ),
				),
				$settings['dtmf']
			);
			break;

		case 'ice_servers':
			$lines = array();
			foreach ( $settings['ice_servers'] as $server ) {
				$lines[] = trim( $server['urls'] . ' ' . ( $server['username'] ?? '' ) . ' ' . ( $server['credential'] ?? '' ) );
			}
			printf( '<textarea class="large-text code" rows="3" id="%s" name="%s" placeholder="stun:stun.example.com:3478">%s</textarea>', esc_attr( $id ), esc_attr( $name ), esc_textarea( implode( "\n", $lines ) ) );
			echo '<p class="description">' . esc_html__( 'One a line: a stun:, turn: or turns: URL, for TURN followed by user name and credential. Visitors\' browsers receive these. Leave empty when the PBX has a public address.', 'vodia-click-to-call' ) . '</p>';
			echo '<p class="description">' . esc_html__( 'A turn: or turns: URL without user name gets a short-lived credential made from the TURN shared secret below for each call window, so no lasting TURN password is published.', 'vodia-click-to-call' ) . '</p>';
			break;

		case 'turn_secret':
			// Write-only, like the password.
			printf( '<input type="password" class="regular-text" id="%s" name="%s" value="" autocomplete="off" spellcheck="false">', esc_attr( $id ), esc_attr( $name ) );
			$has = null !== vodia_call_decrypt( $settings['turn_secret'] );
			echo '<p class="description">' . ( $has
				? esc_html__( 'A secret is stored (encrypted; it is never shown). Leave the field blank to keep it, or enter a single dash to remove it.', 'vodia-click-to-call' )
				: esc_html__( 'The static-auth-secret of a TURN server that uses the TURN REST scheme (coturn: use-auth-secret). Optional.', 'vodia-click-to-call' ) ) . '</p>';
			break;
	}
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

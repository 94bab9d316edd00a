<?php
/**
 * Advice on the stored PBX password: why it is weak, and the settings page's warning with a strong one to use.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Reasons a password is weak against offline guessing: whoever holds one signed link can test guesses against
 * its md5 at billions a second. Empty when it looks strong.
 *
 * @param string               $password Password.
 * @param array<string, mixed> $settings Settings (the extension and domain make poor passwords).
 * @return string[]
 */
function vodia_call_password_weaknesses( string $password, array $settings ): array {
	if ( '' === $password ) {
		return array();
	}
	$reasons = array();
	$length  = function_exists( 'mb_strlen' ) ? mb_strlen( $password, 'UTF-8' ) : strlen( $password );
	if ( $length < 20 ) {
		$reasons[] = sprintf(
			/* translators: %d: number of characters in the stored password */
			_n( 'it has only %d character; use at least 20', 'it has only %d characters; use at least 20', $length, 'vodia-click-to-call' ),
			$length
		);
	}
	if ( preg_match( '/^[0-9]+\z/', $password ) ) {
		$reasons[] = __( 'it is digits only', 'vodia-click-to-call' );
	} elseif ( preg_match( '/^[a-z]+\z/i', $password ) ) {
		$reasons[] = __( 'it is letters only', 'vodia-click-to-call' );
	}
	if ( count( array_unique( str_split( $password ) ) ) < max( 4, (int) ( strlen( $password ) / 3 ) ) ) {
		$reasons[] = __( 'it repeats a few characters', 'vodia-click-to-call' );
	}
	$lower = strtolower( $password );
	foreach ( array( 'password', 'passwort', 'secret', 'qwert', 'asdf', '1234', 'abcd', 'admin', 'vodia', 'welcome', 'letmein' ) as $word ) {
		if ( false !== strpos( $lower, $word ) ) {
			$reasons[] = __( 'it contains a common word or sequence', 'vodia-click-to-call' );
			break;
		}
	}
	foreach ( array( $settings['extension'] ?? '', $settings['domain'] ?? '' ) as $known ) {
		if ( strlen( (string) $known ) >= 2 && false !== strpos( $lower, strtolower( (string) $known ) ) ) {
			$reasons[] = __( 'it contains the extension or the domain', 'vodia-click-to-call' );
			break;
		}
	}
	return $reasons;
}

/**
 * Warns when the stored password can no longer be read, or is short or guessable, and shows how to make a
 * strong one.
 *
 * @param array<string, mixed> $view The settings page's view (vodia_call_settings_page_view()).
 */
function vodia_call_render_password_advice( array $view ): void {
	if ( $view['unreadable']['password'] ) {
		echo '<div class="notice notice-error"><p>' . esc_html__( 'The stored password can no longer be read, probably because the security keys or VODIA_CALL_ENCRYPTION_KEY in wp-config.php changed. Enter the password again.', 'vodia-click-to-call' ) . '</p></div>';
		return;
	}
	$reasons = vodia_call_password_weaknesses( $view['secrets']['password'], $view['settings'] );
	if ( ! $reasons ) {
		return;
	}
	?>
	<div class="notice notice-warning">
		<p><strong><?php esc_html_e( 'The stored PBX password is easy to guess:', 'vodia-click-to-call' ); ?></strong> <?php echo esc_html( implode( '; ', $reasons ) ); ?>.</p>
		<p><?php esc_html_e( 'Every call link carries an md5 signature made with this password. Whoever holds one link can test password guesses against it offline, billions a second: an 8-character password falls in hours. 20 or more random characters do not fall.', 'vodia-click-to-call' ); ?></p>
		<p>
			<?php esc_html_e( 'Make a long random password, set it on the extension at your PBX, then enter it here. For example, in a terminal:', 'vodia-click-to-call' ); ?>
			<code>openssl rand -base64 24</code>
			<?php esc_html_e( 'or use this one, made just now and stored nowhere:', 'vodia-click-to-call' ); ?>
			<code><?php echo esc_html( wp_generate_password( 28, false ) ); ?></code>
		</p>
	</div>
	<?php
}

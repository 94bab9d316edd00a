<?php
/**
 * Plugin Name:       Vodia Click-to-Call
 * Plugin URI:        https://github.com/vodia/vodia-click-to-call
 * Description:       Turns links into WebRTC phone calls through your own PBX: a [vodia_call] shortcode, a "Click to Call" block, and links signed on the server so visitors never see the extension password.
 * Version:           0.1.0
 * Requires at least: 6.5
 * Requires PHP:      7.4
 * Author:            Vodia Click-to-Call contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       vodia-click-to-call
 * Domain Path:       /languages
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'VODIA_CALL_VERSION', '0.1.0' );
define( 'VODIA_CALL_FILE', __FILE__ );
define( 'VODIA_CALL_DIR', __DIR__ );

require_once __DIR__ . '/includes/helper.php';
require_once __DIR__ . '/includes/number-index.php';
require_once __DIR__ . '/includes/render.php';
require_once __DIR__ . '/includes/popup.php';
require_once __DIR__ . '/includes/digest.php';
require_once __DIR__ . '/includes/rate-limit.php';
require_once __DIR__ . '/includes/rest.php';
require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/hooks.php';

register_activation_hook( __FILE__, 'vodia_call_activate' );

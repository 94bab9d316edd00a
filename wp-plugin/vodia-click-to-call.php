<?php
/**
 * Plugin Name:       Vodia Click-to-Call
 * Plugin URI:        https://github.com/vodia/vodia-click-to-call
 * Description:       Turns links into WebRTC phone calls through your own PBX: a [vodia_call] shortcode, a "Click to Call" block, and links signed on the server so visitors never see the extension password.
 * Version:           0.2.0
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

define( 'VODIA_CALL_VERSION', '0.2.0' );
define( 'VODIA_CALL_FILE', __FILE__ );
define( 'VODIA_CALL_DIR', __DIR__ );

// One file for each thing; each registers its own hooks under the function they call.
require_once __DIR__ . '/includes/shared-rules.php';
require_once __DIR__ . '/includes/languages.php';
require_once __DIR__ . '/includes/password-crypto.php';
require_once __DIR__ . '/includes/urls.php';
require_once __DIR__ . '/includes/signed-link.php';
require_once __DIR__ . '/includes/ice-servers.php';
require_once __DIR__ . '/includes/allowed-numbers.php';
require_once __DIR__ . '/includes/rate-limit.php';
require_once __DIR__ . '/includes/office-hours.php';
require_once __DIR__ . '/includes/settings-fields.php';
require_once __DIR__ . '/includes/number-index.php';
require_once __DIR__ . '/includes/call-link.php';
require_once __DIR__ . '/includes/block.php';
require_once __DIR__ . '/includes/popup.php';
require_once __DIR__ . '/includes/digest.php';
require_once __DIR__ . '/includes/rest.php';
require_once __DIR__ . '/includes/password-advice.php';
require_once __DIR__ . '/includes/settings.php';

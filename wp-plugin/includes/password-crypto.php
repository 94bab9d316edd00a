<?php
/**
 * The PBX password and the TURN secret at rest: encrypted with libsodium's secretbox, under a key from
 * VODIA_CALL_ENCRYPTION_KEY in wp-config.php or else the site's salts. No hooks: a test loads this file on its own.
 *
 * @package VodiaClickToCall
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Prefix of an encrypted password, with the format version. */
const VODIA_CALL_CIPHER_PREFIX = 'vodia1:';

/**
 * The secretbox key for the stored password and TURN secret, derived from a secret kept in wp-config.php, so a
 * copy of the database alone does not reveal them: VODIA_CALL_ENCRYPTION_KEY when it is defined (a dedicated key,
 * which survives a rotation of the salts), else the site's salts (AUTH_KEY, SECURE_AUTH_KEY and their salts, as
 * before). Changing the key source makes what is stored unreadable; the settings page then asks for it again.
 */
function vodia_call_encryption_key(): string {
	$secret = 'constant' === vodia_call_encryption_key_source() ? VODIA_CALL_ENCRYPTION_KEY : wp_salt( 'auth' ) . wp_salt( 'secure_auth' );
	return hash_hmac( 'sha256', 'vodia-click-to-call password key v1', $secret, true );
}

/**
 * Where the encryption key comes from: "constant" (VODIA_CALL_ENCRYPTION_KEY in wp-config.php, a non-empty
 * string) or "salts".
 */
function vodia_call_encryption_key_source(): string {
	return defined( 'VODIA_CALL_ENCRYPTION_KEY' ) && is_string( VODIA_CALL_ENCRYPTION_KEY ) && '' !== VODIA_CALL_ENCRYPTION_KEY ? 'constant' : 'salts';
}

/**
 * Encrypts the PBX password for storage.
 *
 * @param string $plain Password.
 * @return string|null Ciphertext with prefix, or null when encryption failed.
 */
function vodia_call_encrypt( string $plain ): ?string {
	try {
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		$box   = sodium_crypto_secretbox( $plain, $nonce, vodia_call_encryption_key() );
	} catch ( Exception $e ) {
		return null;
	}
	return VODIA_CALL_CIPHER_PREFIX . base64_encode( $nonce . $box ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- binary ciphertext must become option-safe text.
}

/**
 * Decrypts a stored password.
 *
 * @param mixed $stored Stored value.
 * @return string|null The password, or null when it is not our ciphertext or the key changed.
 */
function vodia_call_decrypt( $stored ): ?string {
	if ( ! is_string( $stored ) || 0 !== strpos( $stored, VODIA_CALL_CIPHER_PREFIX ) ) {
		return null;
	}
	$raw = base64_decode( substr( $stored, strlen( VODIA_CALL_CIPHER_PREFIX ) ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- reverses vodia_call_encrypt().
	if ( false === $raw || strlen( $raw ) < SODIUM_CRYPTO_SECRETBOX_NONCEBYTES + SODIUM_CRYPTO_SECRETBOX_MACBYTES ) {
		return null;
	}
	try {
		$plain = sodium_crypto_secretbox_open(
			substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ),
			substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ),
			vodia_call_encryption_key()
		);
	} catch ( Exception $e ) {
		return null;
	}
	return false === $plain ? null : $plain;
}

/**
 * The stored PBX password in plain text, for signing only. Never print it.
 *
 * @param array<string, mixed>|null $settings Settings, or null to read them.
 */
function vodia_call_get_password( ?array $settings = null ): string {
	$settings = $settings ?? vodia_call_get_settings();
	return (string) vodia_call_decrypt( $settings['password'] );
}

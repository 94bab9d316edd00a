<?php
/**
 * Signing: the shared vectors (identical to the TypeScript side) and every rule a signed link is checked by
 * (docs/design.md §2).
 *
 * @package VodiaClickToCall
 */

/**
 * Signing tests.
 */
class SigningTest extends Vodia_Call_Test_Case {

	/** A fixed clock for the rule tests. */
	const NOW = 1764153600;

	/**
	 * The signing vectors in test/fixtures/, the same file the TypeScript tests read.
	 *
	 * @return array<string, array{0:array<string, string>}>
	 */
	public function vectors(): array {
		$file = dirname( __DIR__ ) . '/fixtures/signing-vectors.json';
		$data = json_decode( (string) file_get_contents( $file ), true ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions, WordPress.WP.AlternativeFunctions -- a local fixture file.
		$this->assertIsArray( $data, "cannot read $file" );
		$cases = array();
		foreach ( $data['vectors'] as $vector ) {
			$cases[ $vector['name'] ] = array( $vector );
		}
		return $cases;
	}

	/**
	 * The signature matches each vector's hash.
	 *
	 * @dataProvider vectors
	 * @param array<string, string> $v Vector.
	 */
	public function test_signature_matches_vector( array $v ): void {
		$this->assertSame( $v['hash'], vodia_call_signature( $v['user'], $v['password'], $v['dest'], $v['time'], $v['duration'] ) );
	}

	/**
	 * The vector's query decodes to its values, and ours encodes to the same decoded values.
	 *
	 * @dataProvider vectors
	 * @param array<string, string> $v Vector.
	 */
	public function test_query_round_trip( array $v ): void {
		$expected = array(
			'destnumber' => $v['dest'],
			'user'       => $v['user'],
			'pass'       => $v['hash'],
			'time'       => $v['time'],
			'duration'   => $v['duration'],
		);
		$this->assertSame( $expected, $this->decode_query( $v['query'] ) );
		$ours = vodia_call_add_params( 'https://example.com/makecall.html', $expected );
		$this->assertSame( $expected, $this->decode_query( (string) wp_parse_url( $ours, PHP_URL_QUERY ) ) );
		$this->assertStringNotContainsString( '+', (string) wp_parse_url( $ours, PHP_URL_QUERY ), '+ must travel as %2B' );
	}

	/**
	 * Where the vector's account has a domain, a site configured with it accepts the vector's link.
	 *
	 * @dataProvider vectors
	 * @param array<string, string> $v Vector.
	 */
	public function test_site_accepts_vector_link( array $v ): void {
		if ( false === strpos( $v['user'], '@' ) ) {
			$this->assertSame( 'bad-signature', vodia_call_check_link( $this->link_from( $v ), $this->configure(), (int) $v['time'] ), 'this site always signs EXTENSION@DOMAIN' );
			return;
		}
		list( $ext, $domain ) = explode( '@', $v['user'], 2 );
		$settings             = $this->configure(
			array(
				'extension' => $ext,
				'domain'    => $domain,
				'password'  => $v['password'],
				'duration'  => 86400,
			)
		);
		$this->assertSame( '', vodia_call_check_link( $this->link_from( $v ), $settings, (int) $v['time'] + 1 ) );
	}

	/**
	 * The link fields of a vector.
	 *
	 * @param array<string, string> $v Vector.
	 * @return array<string, string>
	 */
	private function link_from( array $v ): array {
		return array(
			'destnumber' => $v['dest'],
			'user'       => $v['user'],
			'pass'       => $v['hash'],
			'time'       => $v['time'],
			'duration'   => $v['duration'],
		);
	}

	/**
	 * Decodes a query string without PHP's "+ means space" rule (values are percent-encoded).
	 *
	 * @param string $query Query.
	 * @return array<string, string>
	 */
	private function decode_query( string $query ): array {
		$out = array();
		foreach ( explode( '&', $query ) as $pair ) {
			list( $k, $val )           = array_pad( explode( '=', $pair, 2 ), 2, '' );
			$out[ rawurldecode( $k ) ] = rawurldecode( $val );
		}
		return $out;
	}

	/**
	 * A link this site signs now.
	 *
	 * @param array<string, mixed> $settings Settings.
	 * @param string               $dest     Number.
	 * @return array<string, string>
	 */
	private function signed( array $settings, string $dest = '12345' ): array {
		return vodia_call_sign_link( $dest, '', $settings, self::NOW );
	}

	/**
	 * Re-signs changed fields with the real password, as a forger who knows it could not, but a digit slide can.
	 *
	 * @param array<string, string> $link Link.
	 * @return array<string, string>
	 */
	private function resigned( array $link ): array {
		$link['pass'] = vodia_call_signature( $link['user'], self::PASSWORD, $link['destnumber'], $link['time'], $link['duration'] );
		return $link;
	}

	/**
	 * Link checks: case => [changes to a link signed at NOW, clock offset, expected code ('' = valid)].
	 *
	 * @return array<string, array{0:callable, 1:int, 2:string}>
	 */
	public function link_cases(): array {
		$re   = function ( array $changes ) {
			return function ( array $link ) use ( $changes ) {
				return $this->resigned( array_merge( $link, $changes ) );
			};
		};
		$set  = function ( array $changes ) {
			return function ( array $link ) use ( $changes ) {
				return array_merge( $link, $changes );
			};
		};
		$same = function ( array $link ) {
			return $link;
		};
		return array(
			'fresh link'                                => array( $same, 0, '' ),
			'last second of validity'                   => array( $same, 3600, '' ),
			'one second after expiry'                   => array( $same, 3601, 'expired' ),
			'time 300 s ahead (clock skew) accepted'    => array( $re( array( 'time' => (string) ( self::NOW + 300 ) ) ), 0, '' ),
			'time 301 s ahead'                          => array( $re( array( 'time' => (string) ( self::NOW + 301 ) ) ), 0, 'future' ),
			'duration above the configured cap'         => array( $re( array( 'duration' => '3601' ) ), 0, 'too-long' ),
			'tampered destnumber'                       => array( $set( array( 'destnumber' => '12346' ) ), 0, 'bad-signature' ),
			'tampered user'                             => array( $set( array( 'user' => '41@127.0.0.1' ) ), 0, 'bad-signature' ),
			'tampered time'                             => array( $set( array( 'time' => (string) ( self::NOW + 10 ) ) ), 0, 'bad-signature' ),
			'tampered duration'                         => array( $set( array( 'duration' => '3599' ) ), 0, 'bad-signature' ),
			'tampered pass'                             => array( $set( array( 'pass' => str_repeat( 'a', 32 ) ) ), 0, 'bad-signature' ),
			'upper-case pass'                           => array(
				function ( array $link ) {
					$link['pass'] = strtoupper( $link['pass'] );
					return $link;
				},
				0,
				'malformed',
			),
			'other account signed with our password'    => array( $re( array( 'user' => '41@127.0.0.1' ) ), 0, 'bad-signature' ),
			'time with leading zero'                    => array( $re( array( 'time' => '0' . self::NOW ) ), 0, 'malformed' ),
			'time with plus sign'                       => array( $re( array( 'time' => '+' . self::NOW ) ), 0, 'malformed' ),
			'time with space'                           => array( $re( array( 'time' => ' ' . self::NOW ) ), 0, 'malformed' ),
			'time with fraction'                        => array( $re( array( 'time' => self::NOW . '.0' ) ), 0, 'malformed' ),
			'time in exponent form'                     => array( $re( array( 'time' => '1.7641536e9' ) ), 0, 'malformed' ),
			'duration with leading zero'                => array( $re( array( 'duration' => '03600' ) ), 0, 'malformed' ),
			'duration negative'                         => array( $re( array( 'duration' => '-1' ) ), 0, 'malformed' ),
			'duration hex'                              => array( $re( array( 'duration' => '0xE10' ) ), 0, 'malformed' ),
			'destnumber with letters'                   => array( $re( array( 'destnumber' => '12a45' ) ), 0, 'malformed' ),
			'destnumber empty'                          => array( $re( array( 'destnumber' => '' ) ), 0, 'malformed' ),
			'destnumber 33 digits'                      => array( $re( array( 'destnumber' => str_repeat( '1', 33 ) ) ), 0, 'malformed' ),
			'destnumber with sip URI'                   => array( $re( array( 'destnumber' => '100@evil.example.com' ) ), 0, 'malformed' ),
			// The signature has no separators, so digits slide between fields with the same hash (docs/design.md §2.4).
			// Each slide must fail a rule.
			'slide: last digit of number into time'     => array(
				$set(
					array(
						'destnumber' => '1234',
						'time'       => '5' . self::NOW,
					)
				),
				0,
				'future',
			),
			'slide: last digit of time into duration'   => array(
				$set(
					array(
						'time'     => substr( (string) self::NOW, 0, -1 ),
						'duration' => '03600',
					)
				),
				0,
				'malformed',
			),
			'slide: time digits into duration'          => array(
				$set(
					array(
						'time'     => '1764',
						'duration' => '1536003600',
					)
				),
				0,
				'too-long',
			),
			'slide: duration digit into time'           => array(
				$set(
					array(
						'time'     => self::NOW . '3',
						'duration' => '600',
					)
				),
				0,
				'future',
			),
			'slide: first time digit into number'       => array(
				$set(
					array(
						'destnumber' => '123451',
						'time'       => substr( (string) self::NOW, 1 ),
					)
				),
				0,
				'expired',
			),
		);
	}

	/**
	 * Every rule of the link check.
	 *
	 * @dataProvider link_cases
	 * @param callable $change   Changes the signed link.
	 * @param int      $offset   Seconds after signing that the check runs.
	 * @param string   $expected Expected result.
	 */
	public function test_link_rules( callable $change, int $offset, string $expected ): void {
		$settings = $this->configure();
		$link     = $change( $this->signed( $settings ) );
		$this->assertSame( $expected, vodia_call_check_link( $link, $settings, self::NOW + $offset ) );
	}

	/**
	 * The sliding forgeries really do carry the original's hash (so only the rules stop them).
	 */
	public function test_slides_keep_the_hash(): void {
		$settings = $this->configure();
		$link     = $this->signed( $settings );
		$this->assertSame(
			$link['pass'],
			vodia_call_signature( $link['user'], self::PASSWORD, '1234', '5' . self::NOW, $link['duration'] )
		);
	}

	/**
	 * A signed link lists the link format's fields in order, with the configured validity.
	 */
	public function test_sign_link_shape(): void {
		$settings = $this->configure( array( 'duration' => 600 ) );
		$link     = vodia_call_sign_link( '+4930123', 'de', $settings, self::NOW );
		$this->assertSame( array( 'destnumber', 'user', 'pass', 'time', 'duration', 'lang' ), array_keys( $link ) );
		$this->assertSame( '40@127.0.0.1', $link['user'] );
		$this->assertSame( '600', $link['duration'] );
		$this->assertSame( md5( '40@127.0.0.1' . self::PASSWORD . '+4930123' . self::NOW . '600' ), $link['pass'] );
	}
}

<?php
/**
 * Office hours, the fallback contact and the connection test (issue 11): the shapes the popup's config takes
 * them in, the settings page's new section and its errors, and the popup page's ?check.
 *
 * @package VodiaClickToCall
 */

/**
 * Office hours tests.
 */
class OfficeHoursTest extends Vodia_Call_Test_Case {

	/**
	 * A week as the form sends it.
	 *
	 * @var array<string, string>
	 */
	const WEEK = array(
		'time_zone'    => 'Europe/Berlin',
		'hours_mon'    => '09:00-12:30, 13:30-17:00',
		'hours_tue'    => '09:00-17:00',
		'hours_wed'    => '09:00-17:00',
		'hours_thu'    => '09:00-17:00',
		'hours_fri'    => '09:00-14:00',
		'hours_sat'    => '',
		'hours_sun'    => '',
		'closed_dates' => "2026-12-24\n2026-12-31",
	);

	/**
	 * Office hours on: the config carries exactly the contract's shape, every day named, in the page's JSON too.
	 */
	public function test_config_office_hours(): void {
		$settings = $this->configure( self::WEEK + array( 'office_hours' => '1' ) );
		$this->assertSame( array(), get_settings_errors( VODIA_CALL_OPTION ) );
		$this->assertSame(
			array(
				'timeZone' => 'Europe/Berlin',
				'days'     => array(
					'mon' => array( '09:00-12:30', '13:30-17:00' ),
					'tue' => array( '09:00-17:00' ),
					'wed' => array( '09:00-17:00' ),
					'thu' => array( '09:00-17:00' ),
					'fri' => array( '09:00-14:00' ),
					'sat' => array(),
					'sun' => array(),
				),
				'closed'   => array( '2026-12-24', '2026-12-31' ),
			),
			vodia_call_popup_config( 'en', $settings )['officeHours']
		);
		// In JSON the days are an object and a closed day an empty list, as the popup's parser reads them.
		$this->assertStringContainsString( '"officeHours":{"timeZone":"Europe/Berlin","days":{"mon":["09:00-12:30","13:30-17:00"],', $this->page_json( $settings ) );
		$this->assertStringContainsString( '"sat":[],"sun":[]},"closed":["2026-12-24","2026-12-31"]}', $this->page_json( $settings ) );
	}

	/**
	 * Office hours off (the default): no officeHours, whatever hours are stored; no fallback unless set.
	 */
	public function test_config_without_office_hours(): void {
		$config = vodia_call_popup_config( 'en', $this->configure( self::WEEK ) );
		$this->assertArrayNotHasKey( 'officeHours', $config );
		$this->assertArrayNotHasKey( 'fallback', $config );
		$this->assertTrue( $config['callerContext'] );
		$this->assertStringNotContainsString( 'officeHours', $this->page_json( vodia_call_get_settings() ) );
	}

	/**
	 * The fallback: each part only when set; independent of office hours (a browser without WebRTC needs it too).
	 */
	public function test_config_fallback(): void {
		$config = vodia_call_popup_config( 'en', $this->configure( array( 'fallback_tel' => '+49 30 123456' ) ) );
		$this->assertSame( array( 'tel' => '+4930123456' ), $config['fallback'] );
		$config = vodia_call_popup_config(
			'en',
			$this->configure(
				array(
					'fallback_url' => 'https://example.com/contact?from=call',
					'fallback_tel' => '',
				)
			)
		);
		$this->assertSame( array( 'url' => 'https://example.com/contact?from=call' ), $config['fallback'] );
		$this->assertStringContainsString( '"fallback":{"url":"https://example.com/contact?from=call"}', $this->page_json( vodia_call_get_settings() ) );
	}

	/**
	 * The time zone defaults to the site's when that is a named zone; an offset is no office time zone, so office
	 * hours without a zone are refused (and stay off) with an error naming the field.
	 */
	public function test_time_zone_default(): void {
		update_option( 'timezone_string', 'America/Chicago' );
		$settings = $this->configure( array_merge( self::WEEK, array( 'time_zone' => '' ), array( 'office_hours' => '1' ) ) );
		$this->assertSame( '', $settings['time_zone'] );
		$this->assertSame( 'America/Chicago', vodia_call_popup_config( 'en', $settings )['officeHours']['timeZone'] );
		$this->assertSame( array(), get_settings_errors( VODIA_CALL_OPTION ) );

		update_option( 'timezone_string', '' );
		update_option( 'gmt_offset', 2 );
		$settings = $this->configure( array( 'office_hours' => '1' ) );
		$this->assertFalse( $settings['office_hours'] );
		$this->assertSame( array( 'vodia_call_time_zone' ), array_column( get_settings_errors( VODIA_CALL_OPTION ), 'code' ) );
		$this->assertArrayNotHasKey( 'officeHours', vodia_call_popup_config( 'en', $settings ) );
	}

	/**
	 * The errors name the day and the value, escaped (settings_errors() prints messages as HTML).
	 */
	public function test_errors_name_the_value(): void {
		$this->configure( array( 'hours_wed' => '09:00-12:00, 11:00-<b>13:00' ) );
		$errors = get_settings_errors( VODIA_CALL_OPTION );
		$this->assertSame( array( 'vodia_call_hours_wed' ), array_column( $errors, 'code' ) );
		$this->assertStringContainsString( vodia_call_weekdays()['wed'] . ': "11:00-&lt;b&gt;13:00"', $errors[0]['message'] );

		$this->configure( array( 'closed_dates' => "2026-12-24\n2026-02-30" ) );
		$this->assertStringContainsString( '"2026-02-30"', get_settings_errors( VODIA_CALL_OPTION )[1]['message'] );

		$this->configure( array( 'time_zone' => 'Europe/Berlin"><script>' ) );
		$this->assertStringContainsString( '"Europe/Berlin&quot;&gt;&lt;script&gt;"', get_settings_errors( VODIA_CALL_OPTION )[2]['message'] );
		$this->assertNoActiveContent( implode( ' ', array_column( get_settings_errors( VODIA_CALL_OPTION ), 'message' ) ) );
	}

	/**
	 * The settings page's new section: its fields with WordPress's weekday names, the values as stored, and the
	 * "Test the connection" link for administrators.
	 */
	public function test_settings_page_section(): void {
		$this->configure( self::WEEK + array( 'office_hours' => '1' ) );
		$html = $this->settings_page_html();
		$this->assertStringContainsString( '<h2>Caller context and office hours</h2>', $html );
		foreach ( array( 'caller_context', 'page_query', 'office_hours', 'time_zone', 'closed_dates', 'fallback_url', 'fallback_tel' ) as $key ) {
			$this->assertStringContainsString( 'name="vodia_call_settings[' . $key . ']"', $html );
		}
		$this->assertMatchesRegularExpression( '#<label for="vodia_call_hours_mon">Monday</label>.*?value="09:00-12:30, 13:30-17:00"#s', $html );
		$this->assertMatchesRegularExpression( '#<label for="vodia_call_hours_sun">Sunday</label>#', $html );
		$this->assertStringContainsString( ">2026-12-24\n2026-12-31</textarea>", $html );
		$this->assertMatchesRegularExpression( '#<input type="checkbox" id="vodia_call_caller_context" name="vodia_call_settings\[caller_context\]" value="1" checked=\'checked\'>#', $html );
		// The form still posts to options.php with the option group's nonce: the new fields go the same way.
		$this->assertSame( 1, preg_match( '#<input type="hidden" id="_wpnonce" name="_wpnonce" value="([0-9a-f]+)"#', $html, $nonce ) );
		$this->assertSame( 1, wp_verify_nonce( $nonce[1], VODIA_CALL_GROUP . '-options' ) );
		$this->assertMatchesRegularExpression( '#name=[\'"]option_page[\'"] value=[\'"]' . VODIA_CALL_GROUP . '[\'"]#', $html );

		$links = array_values(
			array_filter(
				$this->links( $html ),
				function ( DOMElement $a ): bool {
					return 'vodia-call-check' === $a->getAttribute( 'id' );
				}
			)
		);
		$this->assertCount( 1, $links );
		$this->assertSame( home_url( '/?vodia_call_popup=1&check' ), $links[0]->getAttribute( 'href' ) );
		$this->assertSame( 'Test the connection', $links[0]->textContent );

		wp_set_current_user( $this->make_user( 'editor' ) );
		ob_start();
		vodia_call_render_check_link();
		$this->assertSame( '', ob_get_clean() );
	}

	/**
	 * The time zone field shows the site's zone while none is set.
	 */
	public function test_time_zone_field_shows_the_site_zone(): void {
		update_option( 'timezone_string', 'Asia/Tokyo' );
		$this->configure();
		$this->assertMatchesRegularExpression( '#id="vodia_call_time_zone" name="vodia_call_settings\[time_zone\]" value="Asia/Tokyo"#', $this->settings_page_html() );
	}

	/**
	 * ?check serves the popup page with its config for no number: nothing looked up (no content offers a number,
	 * the allow-list allows none of them), nothing signed, the same strict policy as a call's page.
	 */
	public function test_check_page(): void {
		$settings = $this->configure(
			array(
				'allowed_numbers' => '999',
				'office_hours'    => '1',
				'time_zone'       => 'Europe/Berlin',
				'fallback_tel'    => '+4930123456',
			)
		);
		$index    = 0;
		$this->add_test_filter(
			'pre_option_' . VODIA_CALL_INDEX_OPTION,
			function ( $value ) use ( &$index ) {
				++$index;
				return $value;
			}
		);
		$response = vodia_call_popup_response( array( 'check' => '' ), $settings );
		$this->assertSame( 200, $response['status'] );
		$this->assertArrayNotHasKey( 'redirect', $response );
		$this->assertSame( 0, $index, 'no number index lookup' );
		$this->assertStringContainsString( '<div id="vodia-call"></div>', $response['html'] );
		$this->assertStringNotContainsString( '"pass"', $response['html'] );
		$config = json_decode( $this->config_json( $response['html'] ), true );
		$this->assertSame( array( 'tel' => '+4930123456' ), $config['fallback'] );
		$this->assertSame( 'Europe/Berlin', $config['officeHours']['timeZone'] );
		$this->assertTrue( $config['callerContext'] );
		$this->assertSame( vodia_call_popup_page( 'en', $settings )['csp'], $response['csp'], 'the same policy as a call\'s page' );

		// Any value of check, and a language.
		$response = vodia_call_popup_response(
			array(
				'check' => '1',
				'lang'  => 'de',
			),
			$settings
		);
		$this->assertStringContainsString( '<html lang="de">', $response['html'] );

		// Through the real query: vodia_call_popup=1&check.
		wp_parse_str( 'vodia_call_popup=1&check', $get );
		$this->assertSame( 200, vodia_call_popup_response( vodia_call_popup_query( $get ), $settings )['status'] );
	}

	/**
	 * ?check on a site without a PBX WebSocket URL: the usual "not set up" page, not an empty popup.
	 */
	public function test_check_page_not_set_up(): void {
		$this->assertSame( 503, vodia_call_popup_response( array( 'check' => '' ), vodia_call_get_settings() )['status'] );
		$vodia = $this->configure(
			array(
				'mode'    => 'vodia',
				'pbx_url' => 'https://pbx.example.com',
				'server'  => '',
			)
		);
		$this->assertSame( 503, vodia_call_popup_response( array( 'check' => '' ), $vodia )['status'] );
	}

	/**
	 * Uninstall leaves nothing of the new settings: they live in the one option.
	 */
	public function test_new_settings_live_in_the_one_option(): void {
		$this->configure( self::WEEK + array( 'fallback_url' => 'https://example.com/contact' ) );
		$stored = get_option( VODIA_CALL_OPTION );
		$this->assertSame( array( '2026-12-24', '2026-12-31' ), $stored['closed_dates'] );
		$this->assertSame( 'https://example.com/contact', $stored['fallback_url'] );
		$this->assertSame( array_keys( vodia_call_default_settings() ), array_keys( $stored ) );
	}

	/**
	 * The page's inline config, as JSON text.
	 *
	 * @param array<string, mixed> $settings Settings.
	 */
	private function page_json( array $settings ): string {
		return $this->config_json( vodia_call_popup_html( 'en', $settings ) );
	}

	/**
	 * The JSON of a popup page's window.vodiaCallConfig.
	 *
	 * @param string $html The page.
	 */
	private function config_json( string $html ): string {
		$this->assertSame( 1, preg_match( '#<script>window\.vodiaCallConfig = (\{.*?\})</script>#', $html, $m ), $html );
		return $m[1];
	}
}

/**
 * Editor side of the "Click to Call" block. The block is dynamic: PHP renders it (render.php, the same link as the
 * shortcode's), so save() stores only the attributes.
 *
 * Written with createElement, not JSX, on purpose: JSX would make the build depend on the
 * `react-jsx-runtime` script, which WordPress registers only from 6.6, and the plugin supports 6.5.
 */
import { registerBlockType } from '@wordpress/blocks';
import { createElement as el, Fragment } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { useBlockProps, InspectorControls } from '@wordpress/block-editor';
import { PanelBody, TextControl, SelectControl } from '@wordpress/components';
import metadata from './block.json';
// The rules the popup and the plugin share, written by the build from src/core/shared-rules.ts.
import rules from './shared-rules.json';

/** The numbers a link may call: the shared pattern, which the server checks too. */
const NUMBER = new RegExp( rules.destnumberPattern );

/**
 * A language's name in that language ("Deutsch", "Français"), from the browser's own data.
 *
 * @param {string} code Two-letter code.
 * @return {string} The name, or the code where the browser has none.
 */
function languageName( code ) {
	try {
		const name = new Intl.DisplayNames( [ code ], { type: 'language' } ).of( code );
		return name ? name.charAt( 0 ).toLocaleUpperCase( code ) + name.slice( 1 ) : code;
	} catch ( e ) {
		return code;
	}
}

/** The popup's languages, from the shared rules. */
const LANGUAGES = [
	{ value: '', label: __( 'Site setting', 'vodia-click-to-call' ) },
	...rules.languages.map( ( code ) => ( { value: code, label: languageName( code ) } ) ),
];

function Edit( { attributes, setAttributes } ) {
	const { number, label, lang, context } = attributes;
	const valid = NUMBER.test( number );
	const blockProps = useBlockProps();
	const text = label || number || __( 'Click to Call', 'vodia-click-to-call' );

	return el(
		Fragment,
		null,
		el(
			InspectorControls,
			null,
			el(
				PanelBody,
				{ title: __( 'Call', 'vodia-click-to-call' ) },
				el( TextControl, {
					__next40pxDefaultSize: true,
					__nextHasNoMarginBottom: true,
					label: __( 'Number', 'vodia-click-to-call' ),
					help: __( 'Digits and + * #, up to 32.', 'vodia-click-to-call' ),
					value: number,
					onChange: ( value ) => setAttributes( { number: value.trim() } ),
				} ),
				el( TextControl, {
					__next40pxDefaultSize: true,
					__nextHasNoMarginBottom: true,
					label: __( 'Link text', 'vodia-click-to-call' ),
					help: __( 'Shown instead of the number.', 'vodia-click-to-call' ),
					value: label,
					onChange: ( value ) => setAttributes( { label: value } ),
				} ),
				el( SelectControl, {
					__next40pxDefaultSize: true,
					__nextHasNoMarginBottom: true,
					label: __( 'Popup language', 'vodia-click-to-call' ),
					value: lang,
					options: LANGUAGES,
					onChange: ( value ) => setAttributes( { lang: value } ),
				} ),
				el( TextControl, {
					__next40pxDefaultSize: true,
					__nextHasNoMarginBottom: true,
					label: __( 'Context', 'vodia-click-to-call' ),
					help: __( 'Your own text for this link, sent to the PBX with the call, such as "Sales, price list". At most 256 characters.', 'vodia-click-to-call' ),
					value: context,
					// The server cleans it too (render.php); this only keeps the field honest about the limit.
					maxLength: 256,
					onChange: ( value ) => setAttributes( { context: value } ),
				} )
			)
		),
		el(
			'p',
			blockProps,
			// Not a live link in the editor: clicking it would place a call.
			el( 'a', { href: '#', 'data-vodia-call': number, onClick: ( event ) => event.preventDefault() }, text ),
			valid
				? null
				: el(
						'span',
						{ className: 'vodia-call-notice', style: { marginLeft: '0.5em', outline: '2px dashed #d63638' } },
						number
							? __( 'Not a callable number: use digits and + * #.', 'vodia-click-to-call' )
							: __( 'Enter the number to call in the block settings.', 'vodia-click-to-call' )
				  )
		)
	);
}

registerBlockType( metadata.name, {
	edit: Edit,
	save: () => null,
} );

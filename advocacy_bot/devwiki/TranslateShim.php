<?php
/**
 * advocacy-bot dev wiki: a stand-in for the Translate extension's page rendering.
 *
 * Debian does not package Translate, yet the bot's pages are full of its markup. This shim makes
 * the dev wiki show a source page the way Translate shows an untranslated page (the .pttarget
 * files of Translate's parser tests): <languages/> becomes an empty language bar, <translate>
 * tags and unit markers disappear, <tvar> variables are substituted. It does NOT validate markup,
 * number units or create translation pages: the bot's own engine does that, and the Translate API
 * is tested against recorded responses.
 *
 * Loaded from the dev wiki's LocalSettings.php by `advocacy-bot devwiki up`.
 */

class AdvocacyTranslateShim {
	/** A whole <translate> block, possibly `nowrap`. */
	private const BLOCK = '/<translate(?:\s+nowrap)?\s*>(.*?)<\/translate>/s';
	/** <nowiki> spans are left exactly as written, as Translate does. */
	private const NOWIKI = '/(<nowiki>.*?<\/nowiki>)/s';

	public static function onParserFirstCallInit( Parser $parser ) {
		// Tags seen through transclusion (the header template) reach the preprocessor as tags.
		$parser->setHook( 'translate', [ self::class, 'renderTag' ] );
		$parser->setHook( 'languages', [ self::class, 'renderLanguages' ] );
		return true;
	}

	/** The page's own text is rewritten before parsing, so block structure stays intact. */
	public static function onParserBeforeInternalParse( $parser, &$text, $stripState ) {
		if ( strpos( $text, '<translate' ) !== false || strpos( $text, '<languages' ) !== false ) {
			$text = self::renderPage( $text );
		}
		return true;
	}

	public static function renderTag( $input, array $args, Parser $parser, PPFrame $frame ) {
		return $parser->recursiveTagParse( self::renderBlock( (string)$input ), $frame );
	}

	public static function renderLanguages( $input, array $args, Parser $parser, PPFrame $frame ) {
		return '<div class="mw-pt-languages noprint" data-shim="advocacy-bot"></div>';
	}

	public static function renderPage( string $text ): string {
		$parts = preg_split( self::NOWIKI, $text, -1, PREG_SPLIT_DELIM_CAPTURE );
		$out = '';
		foreach ( $parts as $i => $part ) {
			if ( $i % 2 === 1 ) {
				$out .= $part;
				continue;
			}
			$part = preg_replace_callback(
				self::BLOCK,
				static function ( $m ) {
					return self::renderBlock( $m[1] );
				},
				$part
			);
			$out .= $part;
		}
		return $out;
	}

	/** One block's content as Translate shows it untranslated. */
	public static function renderBlock( string $content ): string {
		// Heading marker: "== X == <!--T:1-->"; unit-start marker with its newline or space.
		$content = preg_replace( '/(=)[ \t]*<!--T:[^>]*?-->/', '$1', $content );
		$content = preg_replace( '/<!--T:[^>]*?-->(\n| )?/', '', $content );
		$vars = [];
		$content = preg_replace_callback(
			'/<tvar\s+name\s*=\s*(["\']?)([^"\'>]+)\1\s*>(.*?)<\/tvar>|<tvar\|([^>]+)>(.*?)<\/>/s',
			static function ( $m ) use ( &$vars ) {
				$name = $m[2] !== '' ? $m[2] : $m[4];
				$value = $m[2] !== '' ? $m[3] : $m[5];
				$vars[$name] = $value;
				return $value;
			},
			$content
		);
		// "$name" references a variable; longest names first so $10 is not read as $1.
		uksort( $vars, static function ( $a, $b ) {
			return strlen( (string)$b ) - strlen( (string)$a );
		} );
		foreach ( $vars as $name => $value ) {
			$content = str_replace( '$' . $name, $value, $content );
		}
		// Translate keeps the text between the tags minus one leading and one trailing newline.
		if ( substr( $content, 0, 1 ) === "\n" ) {
			$content = substr( $content, 1 );
		}
		if ( substr( $content, -1 ) === "\n" ) {
			$content = substr( $content, 0, -1 );
		}
		return $content;
	}
}

$wgHooks['ParserFirstCallInit'][] = 'AdvocacyTranslateShim::onParserFirstCallInit';
$wgHooks['ParserBeforeInternalParse'][] = 'AdvocacyTranslateShim::onParserBeforeInternalParse';

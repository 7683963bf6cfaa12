<?php
/**
 * advocacy-bot dev wiki: a stand-in for the Translate extension's page rendering.
 *
 * Debian does not package Translate, yet the bot's pages are full of its markup. This shim renders
 * what a reader sees as the real extension (REL1_39) does, for the cases the bot depends on:
 *  - a page's OWN text: <translate> tags and unit markers disappear, <tvar> variables are substituted
 *    (as an untranslated page: the .pttarget files of Translate's parser tests);
 *  - TRANSCLUDED text is not touched: Translate registers no <translate> tag, so a template's
 *    <translate> reaches readers literally, unless the template counts as marked with
 *    translation-aware transclusion. On the shim wiki that is a template every unit of which carries
 *    a marker (how the bot marks on a wiki without Translate). Then, as Translate does, the calling
 *    page gets Template:X/<its language> when that page exists, else Template:X/<content language>,
 *    else (no FuzzyBot on the shim wiki) the template's own text without markup;
 *  - <languages/> is the language bar: the source page and its existing language subpages, nothing
 *    while there are none (Translate shows nothing on a page that is not marked).
 * It does NOT validate markup, number units, keep a "last marked version", or know whether a template
 * was marked without transclusion: the bot's own engine validates, and the real extension is tested
 * with `devwiki up --translate-dir`.
 *
 * Loaded from the dev wiki's LocalSettings.php by `advocacy-bot devwiki up`.
 */

use MediaWiki\Linker\LinkTarget;
use MediaWiki\MediaWikiServices;
use MediaWiki\Revision\MutableRevisionRecord;
use MediaWiki\Revision\RevisionRecord;
use MediaWiki\Revision\SlotRecord;

class AdvocacyTranslateShim {
	/** A whole <translate> block, possibly `nowrap`. */
	private const BLOCK = '/<translate(?:\s+nowrap)?\s*>(.*?)<\/translate>/s';
	/** <nowiki> spans are left exactly as written, as Translate does. */
	private const NOWIKI = '/(<nowiki>.*?<\/nowiki>)/s';

	public static function onParserFirstCallInit( Parser $parser ) {
		$parser->setHook( 'languages', [ self::class, 'renderLanguages' ] );
		return true;
	}

	/** The page's own text is rewritten before parsing, so block structure stays intact. */
	public static function onParserBeforeInternalParse( $parser, &$text, $stripState ) {
		if ( $text !== null && strpos( $text, '<translate' ) !== false ) {
			$text = self::renderPage( $text );
		}
		return true;
	}

	/** Translation-aware transclusion of a template that counts as marked (see the file comment). */
	public static function onBeforeParserFetchTemplateRevisionRecord(
		?LinkTarget $contextLink, ?LinkTarget $templateLink, bool &$skip, ?RevisionRecord &$revRecord
	) {
		if ( !$templateLink || $revRecord ) {
			return true;
		}
		$title = Title::castFromLinkTarget( $templateLink );
		$store = MediaWikiServices::getInstance()->getRevisionLookup();
		$revision = $store->getRevisionByTitle( $title );
		$content = $revision ? $revision->getContent( SlotRecord::MAIN ) : null;
		if ( !$content instanceof WikitextContent || !self::countsAsMarked( $content->getText() ) ) {
			return true;
		}
		$contentLanguage = MediaWikiServices::getInstance()->getContentLanguage()->getCode();
		$codes = array_unique( [
			$contextLink ? self::pageLanguage( Title::castFromLinkTarget( $contextLink ) ) : $contentLanguage,
			$contentLanguage
		] );
		foreach ( $codes as $code ) {
			$translation = $title->getSubpage( $code );
			if ( $translation && $translation->exists() ) {
				$revRecord = $store->getRevisionByTitle( $translation );
				return true;
			}
		}
		$copy = new MutableRevisionRecord( $title );
		$copy->setId( $revision->getId() );
		$copy->setPageId( $revision->getPageId() );
		$copy->setContent( SlotRecord::MAIN, new WikitextContent( self::renderPage( $content->getText() ) ) );
		$revRecord = $copy;
		return true;
	}

	/** Every unit of every <translate> block carries a marker (and there is at least one unit). */
	public static function countsAsMarked( string $text ): bool {
		$text = preg_replace( self::NOWIKI, '', $text );
		if ( !preg_match_all( self::BLOCK, $text, $blocks ) ) {
			return false;
		}
		$units = 0;
		foreach ( $blocks[1] as $block ) {
			foreach ( preg_split( '/\n{2,}/', $block ) as $unit ) {
				if ( trim( $unit ) === '' ) {
					continue;
				}
				$units++;
				if ( strpos( $unit, '<!--T:' ) === false ) {
					return false;
				}
			}
		}
		return $units > 0;
	}

	/** A language subpage's code (`X/ja` of an existing X), else the wiki's content language. */
	private static function pageLanguage( Title $title ): string {
		$source = self::sourceOf( $title );
		if ( $source ) {
			return $source[1];
		}
		return MediaWikiServices::getInstance()->getContentLanguage()->getCode();
	}

	/** [source title, code] when $title is `<existing page>/<known language code>`, else null. */
	private static function sourceOf( Title $title ): ?array {
		$text = $title->getText();
		$slash = strrpos( $text, '/' );
		if ( $slash === false ) {
			return null;
		}
		$code = substr( $text, $slash + 1 );
		$names = MediaWikiServices::getInstance()->getLanguageNameUtils();
		if ( !$names->isKnownLanguageTag( $code ) || $names->getLanguageName( $code ) === '' ) {
			return null;
		}
		$source = Title::makeTitleSafe( $title->getNamespace(), substr( $text, 0, $slash ) );
		return $source && $source->exists() ? [ $source, $code ] : null;
	}

	public static function renderLanguages( $input, array $args, Parser $parser, PPFrame $frame ) {
		$current = Title::castFromPageReference( $parser->getPage() );
		if ( !$current ) {
			return '';
		}
		$found = self::sourceOf( $current );
		$source = $found ? $found[0] : $current;
		$services = MediaWikiServices::getInstance();
		$names = $services->getLanguageNameUtils();
		$contentLanguage = $services->getContentLanguage()->getCode();
		$dbr = wfGetDB( DB_REPLICA );
		$rows = $dbr->select( 'page', 'page_title', [
			'page_namespace' => $source->getNamespace(),
			'page_title' . $dbr->buildLike( $source->getDBkey() . '/', $dbr->anyString() ),
		], __METHOD__ );
		$pages = [];
		foreach ( $rows as $row ) {
			$code = substr( $row->page_title, strlen( $source->getDBkey() ) + 1 );
			if ( strpos( $code, '/' ) === false && $names->isKnownLanguageTag( $code )
				&& $names->getLanguageName( $code ) !== '' ) {
				$pages[$code] = Title::makeTitle( $source->getNamespace(), $row->page_title );
			}
		}
		// The list changes when a subpage is created, and nothing purges the source page then.
		$parser->getOutput()->updateCacheExpiry( 0 );
		if ( !$pages ) {
			return '';
		}
		$pages[$contentLanguage] = $source;
		$items = [];
		$linker = $parser->getLinkRenderer();
		foreach ( $pages as $code => $page ) {
			$name = $names->getLanguageName( $code );
			$attribs = [ 'lang' => $code, 'dir' => $services->getLanguageFactory()->getLanguage( $code )->getDir() ];
			if ( $page->equals( $current ) ) {
				$attribs['class'] = 'mw-pt-languages-selected';
				$items[$name] = Html::element( 'span', $attribs, $name );
			} else {
				$items[$name] = $linker->makeKnownLink( $page, $name, $attribs );
			}
		}
		ksort( $items ); // by autonym, as Translate sorts them
		$list = implode( "\n", array_map( static function ( $item ) {
			return Html::rawElement( 'li', [], $item );
		}, array_values( $items ) ) );
		return Html::rawElement( 'div', [ 'class' => 'mw-pt-languages noprint', 'data-shim' => 'advocacy-bot' ],
			Html::element( 'div', [ 'class' => 'mw-pt-languages-label' ], 'Other languages:' )
			. Html::rawElement( 'ul', [ 'class' => 'mw-pt-languages-list' ], $list ) );
	}

	public static function renderPage( string $text ): string {
		// <nowiki> spans stay exactly as written, wherever they are (inside a block too): set aside
		// behind placeholders while the blocks are rendered, then put back.
		$kept = [];
		$text = preg_replace_callback( self::NOWIKI, static function ( $m ) use ( &$kept ) {
			$kept[] = $m[1];
			return "\x7fshim-nowiki-" . ( count( $kept ) - 1 ) . "\x7f";
		}, $text );
		$text = preg_replace_callback( self::BLOCK, static function ( $m ) {
			return self::renderBlock( $m[1] );
		}, $text );
		return preg_replace_callback( "/\x7fshim-nowiki-(\\d+)\x7f/", static function ( $m ) use ( $kept ) {
			return $kept[(int)$m[1]];
		}, $text );
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
$wgHooks['BeforeParserFetchTemplateRevisionRecord'][] =
	'AdvocacyTranslateShim::onBeforeParserFetchTemplateRevisionRecord';

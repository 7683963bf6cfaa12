<?php
/**
 * advocacy-bot dev wiki, real Translate only: tag every page whose latest revision holds Translate
 * markup as "ready for translation", as Translate does when such a page is saved.
 *
 * An import (importDump.php) saves no page, so Translate never sees the imported revisions and
 * Special:PageTranslation refuses them (tpt-notsuitable) until someone edits them. A translation
 * administrator on Meta-Wiki never meets that state; the dev wiki should not either.
 *
 * Run by `advocacy-bot devwiki up --snapshot ...` with MW_INSTALL_PATH set.
 */

use MediaWiki\Extension\Translate\PageTranslation\TranslatablePage;
use MediaWiki\Extension\Translate\Services;
use MediaWiki\MediaWikiServices;
use MediaWiki\Revision\SlotRecord;

require_once getenv( 'MW_INSTALL_PATH' ) . '/maintenance/Maintenance.php';

class AdvocacyTagTranslatablePages extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addDescription( 'Tag pages holding Translate markup as ready for translation' );
	}

	public function execute() {
		$services = MediaWikiServices::getInstance();
		$parser = Services::getInstance()->getTranslatablePageParser();
		$store = $services->getRevisionStore();
		$db = $this->getDB( DB_REPLICA );
		$rows = $db->select( 'page', [ 'page_id', 'page_namespace', 'page_title', 'page_latest' ], [],
			__METHOD__ );
		$tagged = 0;
		foreach ( $rows as $row ) {
			$title = Title::makeTitle( $row->page_namespace, $row->page_title );
			$revision = $store->getRevisionById( (int)$row->page_latest );
			$content = $revision ? $revision->getContent( SlotRecord::MAIN ) : null;
			if ( !$content instanceof WikitextContent || !$parser->containsMarkup( $content->getText() ) ) {
				continue;
			}
			$page = TranslatablePage::newFromTitle( $title );
			if ( $page->getReadyTag() !== (int)$row->page_latest ) {
				$page->addReadyTag( (int)$row->page_latest );
				$tagged++;
			}
		}
		$this->output( "$tagged pages tagged ready for translation\n" );
	}
}

$maintClass = AdvocacyTagTranslatablePages::class;
require_once RUN_MAINTENANCE_IF_MAIN;

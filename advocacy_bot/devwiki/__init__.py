"""Local development wiki: the embedded MediaWiki, the export XML writer, the demo tree's data files."""

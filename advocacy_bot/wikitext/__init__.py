"""Pure wikitext logic: no network, no pywikibot. Every function takes text and returns text or data."""

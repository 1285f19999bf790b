"""One search for every search box and the API: the normalizer indexed text and queries both go
through (`normalize`), the index on SQLite FTS5 or PostgreSQL full text (`backends`), what the
apps put in it (`services`, `kinds`) and the ranked, highlighted, paged reads (`selectors`)."""

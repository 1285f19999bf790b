"""One search for every search box and the API: the text normalizer indexed text and queries both
go through (`normalize`), and, to come, the index and its queries (issue 12)."""

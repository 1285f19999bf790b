"""`make bench`: seed a realistic data set, serve it as `make run` does, drive it with wrk."""

# tests (owned by tests/): `make test` runs tests/run, which prints "N passed, N failed" last.
test: all native
	./tests/run

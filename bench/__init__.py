"""mockd's benchmark against the real WireMock: `python -m bench --help`. Not part of the test suite."""

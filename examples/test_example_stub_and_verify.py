"""The three-line test: stub a response, call it as the code under test would, verify the call.

`mockd` is the pytest plugin's fixture: a client for a mockd started once per test session and reset
before every test. Run with `python -m pytest examples`.
"""

import urllib.request


def test_stub_and_verify(mockd):
    mockd.stub_for({"request": {"method": "GET", "url": "/hello"}, "response": {"body": "Hello!"}})
    assert urllib.request.urlopen(mockd.url + "/hello", timeout=5).read() == b"Hello!"
    mockd.verify({"method": "GET", "url": "/hello"}, count=1)


def test_stubs_can_be_yaml_text(mockd):
    mockd.stub_for(
        """
        request:
          method: POST
          urlPath: /orders
          bodyPatterns:
            - matchesJsonPath: $.items[?(@.sku == 'A-1')]
        response:
          status: 201
          jsonBody: {id: 42, status: accepted}
        """
    )
    request = urllib.request.Request(
        mockd.url + "/orders",
        data=b'{"items": [{"sku": "A-1", "qty": 2}]}',
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 201
        assert b'"id":42' in response.read()
    mockd.verify({"method": "POST", "urlPath": "/orders", "bodyPatterns": [{"contains": "A-1"}]})

"""Recording: proxy to a real service, turn what went through into stubs, then work without the service.

The "real service" is a tiny HTTP server this example starts itself, on a free port.
"""

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class WeatherService(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"city": self.path.rsplit("/", 1)[-1], "celsius": 21}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def weather_service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), WeatherService)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def test_record_then_replay_without_the_service(mockd, weather_service, tmp_path):
    service_url = f"http://127.0.0.1:{weather_service.server_address[1]}"

    mockd.start_recording(service_url, persist=False)
    assert get_json(mockd.url + "/weather/paris") == {"city": "paris", "celsius": 21}
    recorded = mockd.stop_recording()
    assert [stub["request"]["url"] for stub in recorded] == ["/weather/paris"]

    weather_service.shutdown()  # the real service is gone ...
    assert get_json(mockd.url + "/weather/paris")["celsius"] == 21  # ... mockd answers from the recording

    files = mockd.save_mappings(tmp_path / "mappings")  # keep them: one JSON file per stub
    assert len(files) == 1 and files[0].suffix == ".json"

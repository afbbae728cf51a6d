"""THE admin route table: (method, path under the admin prefix, handler). One screen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mockd.admin import files as f
from mockd.admin import mappings as m
from mockd.admin import nearmisses as nm
from mockd.admin import openapi as doc
from mockd.admin import recordings as rec
from mockd.admin import requests as r
from mockd.admin import system as s
from mockd.admin.call import Handler

ID = r"(?P<id>[^/]+)"

ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "", s.root_redirect),
    ("GET", "/", s.root),
    ("POST", "/reset", s.reset),
    ("GET", "/health", s.health),
    ("GET", "/version", s.version),
    ("POST", "/shutdown", s.shutdown),
    # mappings
    ("GET", "/mappings", m.list_mappings),
    ("POST", "/mappings", m.create_mapping),
    ("POST", "/mappings/new", m.create_mapping),  # 2.x alias
    ("DELETE", "/mappings", m.delete_all),
    ("POST", "/mappings/save", m.save),
    ("POST", "/mappings/reset", m.reset_mappings),
    ("POST", "/mappings/import", m.import_mappings),
    ("POST", "/mappings/remove", m.remove_mapping),
    ("POST", "/mappings/edit", m.edit_mapping_legacy),
    ("POST", "/mappings/find-by-metadata", m.find_by_metadata),
    ("POST", "/mappings/remove-by-metadata", m.remove_by_metadata),
    ("GET", "/mappings/unmatched", m.unmatched),
    ("DELETE", "/mappings/unmatched", m.delete_unmatched),
    ("GET", "/mappings/problems", s.load_problems),  # mockd's own: files that did not load
    ("GET", f"/mappings/{ID}", m.get_mapping),
    ("PUT", f"/mappings/{ID}", m.edit_mapping),
    ("DELETE", f"/mappings/{ID}", m.delete_mapping),
    # request journal
    ("GET", "/requests", r.list_requests),
    ("DELETE", "/requests", r.delete_all),
    ("POST", "/requests/reset", r.reset_legacy),  # 2.x alias
    ("POST", "/requests/count", r.count),
    ("POST", "/requests/find", r.find),
    ("POST", "/requests/remove", r.remove),
    ("POST", "/requests/remove-by-metadata", r.remove_by_metadata),
    ("GET", "/requests/unmatched", r.unmatched),
    ("GET", "/requests/unmatched/near-misses", nm.for_unmatched),
    ("GET", f"/requests/{ID}", r.get_request),
    ("DELETE", f"/requests/{ID}", r.delete_request),
    ("POST", "/near-misses/request", nm.for_request),
    ("POST", "/near-misses/request-pattern", nm.for_pattern),
    # files under __files/
    ("GET", "/files", f.list_all),
    ("GET", "/files/(?P<path>.+)", f.get_file),
    ("PUT", "/files/(?P<path>.+)", f.put_file),
    ("DELETE", "/files/(?P<path>.+)", f.delete),
    # documentation
    ("GET", "/docs/openapi.json", doc.openapi),
    ("GET", "/docs/swagger", doc.openapi),
    # recordings
    ("POST", "/recordings/start", rec.start),
    ("POST", "/recordings/stop", rec.stop),
    ("GET", "/recordings/status", rec.status),
    ("POST", "/recordings/snapshot", rec.snapshot),
    # scenarios
    ("GET", "/scenarios", s.list_scenarios),
    ("POST", "/scenarios/reset", s.reset_scenarios),
    ("PUT", "/scenarios/(?P<name>.+)/state", s.set_scenario_state),
    # settings
    ("GET", "/settings", s.get_settings),
    ("POST", "/settings", s.put_settings),
    ("PUT", "/settings", s.put_settings),
    ("PATCH", "/settings/extended", s.patch_extended),
]


@dataclass(frozen=True)
class Route:
    method: str
    regex: re.Pattern[str]
    handler: Handler


COMPILED = [Route(method, re.compile(path, re.DOTALL), handler) for method, path, handler in ROUTES]


def resolve(method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
    """The handler for `path` (already without the admin prefix and the query), or None."""
    for route in COMPILED:
        if route.method == method:
            match = route.regex.fullmatch(path)
            if match is not None:
                return route.handler, match.groupdict()
    return None

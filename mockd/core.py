"""The Mockd facade: it owns stubs, scenarios, journal, settings and templates. Every mutation (admin
API, file watcher, CLI, Python API) goes through it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from mockd import jsontext
from mockd.config import Settings
from mockd.dispatch import Outcome, dialect_for, dispatch
from mockd.errors import DuplicateStubId, InvalidInput, Location, MockdError, NotFound, NotWritable
from mockd.http import LoggedRequest
from mockd.journal import Journal
from mockd.loader import LoadProblem, LoadResult, delete_file, load_mappings, write_stub
from mockd.matching.request import RequestPattern
from mockd.matching.values import StringPattern
from mockd.scenarios import ScenarioInfo, Scenarios
from mockd.stubs.model import Format, GlobalSettings, ServeEvent, StubMapping
from mockd.stubs.store import StubStore
from mockd.templating import TemplateEngine

log = logging.getLogger("mockd")


class Mockd:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = StubStore()
        self.scenarios = Scenarios()
        self.journal = Journal(settings.max_request_journal_entries, settings.request_journal)
        self.engine = TemplateEngine(
            files_root=settings.files_dir,
            permitted_system_keys=settings.permitted_system_keys,
            cache_size=settings.max_template_cache_entries,
        )
        self.global_settings = GlobalSettings()
        self.problems: list[LoadProblem] = []
        self.started_at = time.time()
        self.on_change: list[Callable[[], None]] = []

    # -- serving ---------------------------------------------------------------------------------
    def serve(self, req: LoggedRequest) -> Outcome:
        outcome = dispatch(self, req)
        self.journal.record(outcome.event)
        return outcome

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> LoadResult:
        """(Re)load every stub file: file stubs are replaced, stubs created through the API are kept.
        Scenario states survive where the scenario and its state still exist."""
        result = load_mappings(self.settings.mappings_dir, self.settings.root_dir)
        problems = list(result.problems)
        good: list[StubMapping] = []
        for stub in result.stubs:
            try:
                self.check_templates(stub)
            except MockdError as exc:
                problems.append(
                    LoadProblem(stub.source.path if stub.source else self.settings.mappings_dir, exc)
                )
                continue
            good.append(stub)
        kept = [s for s in self.store.all() if s.source is None or s.source.written_by_mockd]
        kept.sort(key=lambda s: s.insertion_index)
        kept_ids = {s.id for s in kept}
        self.store = StubStore([*(s for s in good if s.id not in kept_ids), *kept])
        self.scenarios.sync(self.store.all())
        self.problems = problems
        for p in problems:
            log.error("skipped %s", p)
        self._changed()
        return LoadResult(good, problems)

    def check_templates(self, stub: StubMapping) -> None:
        """Refuse a stub whose templates do not parse (used for files; see add_stub for the API)."""
        rd = stub.response
        dialect = dialect_for(rd, self.settings)
        if dialect is None:
            return
        sources: list[tuple[str, str]] = []
        if rd.body is not None:
            sources.append(("/response/body", rd.body))
        if rd.json_body is not None:
            sources.append(("/response/jsonBody", jsontext.dumps_compact(rd.json_body)))
        if rd.body_file_name is not None:
            sources.append(("/response/bodyFileName", rd.body_file_name))
        if rd.proxy_base_url is not None:
            sources.append(("/response/proxyBaseUrl", rd.proxy_base_url))
        sources.extend((f"/response/headers/{k}", v) for k, v in rd.headers)
        for pointer, source in sources:
            try:
                self.engine.check(source, dialect)
            except MockdError as exc:
                loc = exc.location
                exc.location = Location(loc.file, pointer, loc.line, loc.column)
                raise

    # -- stubs -----------------------------------------------------------------------------------
    def add_stub(self, stub: StubMapping) -> StubMapping:
        if stub.id in self.store:
            raise DuplicateStubId(
                f"ID of the provided stub mapping '{stub.id}' is already taken by another stub mapping"
            )
        if stub.persistent:
            stub = write_stub(stub, self.settings.mappings_dir, self._format_of(stub))
        stub = self.store.add(stub)
        self.scenarios.sync(self.store.all())
        self._changed()
        return stub

    def edit_stub(self, stub: StubMapping) -> StubMapping:
        old = self.store.get(stub.id)
        if old is None:
            raise NotFound(f"No stub mapping with id {stub.id}")
        stub = replace(stub, source=old.source)
        if stub.persistent or (old.source is not None and old.source.written_by_mockd):
            self._writable(old)
            stub = write_stub(stub, self.settings.mappings_dir, self._format_of(old))
        stub = self.store.replace(stub)
        self.scenarios.sync(self.store.all())
        self._changed()
        return stub

    def remove_stub(self, stub_id: str) -> StubMapping:
        stub = self.store.get(stub_id)
        if stub is None:
            raise NotFound(f"No stub mapping with id {stub_id}")
        if stub.persistent and stub.source is not None:
            self._writable(stub)
            delete_file(stub.source.path)
        self.store.remove(stub_id)
        self.scenarios.sync(self.store.all())
        self._changed()
        return stub

    def remove_stubs(self, stubs: Iterable[StubMapping]) -> list[StubMapping]:
        return [self.remove_stub(s.id) for s in list(stubs) if s.id in self.store]

    def remove_all_stubs(self) -> None:
        """Remove every stub; delete only the files mockd itself wrote (a deliberate difference)."""
        for stub in self.store.all():
            if stub.source is not None and stub.source.written_by_mockd and not stub.source.multi:
                delete_file(stub.source.path)
        self.store = StubStore()
        self.scenarios.clear()
        self._changed()

    def save_all(self) -> None:
        """POST /mappings/save: every stub becomes persistent and is written (multi-stub files are left)."""
        for stub in list(self.store.all()):
            if stub.source is not None and stub.source.multi:
                continue
            saved = write_stub(
                replace(stub, persistent=True), self.settings.mappings_dir, self._format_of(stub)
            )
            self.store.replace(saved)
        self._changed()

    def import_stubs(self, stubs: list[StubMapping], overwrite: bool, delete_all_not_in_import: bool) -> None:
        ids = {s.id for s in stubs}
        if delete_all_not_in_import:
            for stub in list(self.store.all()):
                if stub.id not in ids:
                    self.store.remove(stub.id)
        for stub in reversed(stubs):
            if stub.id in self.store:
                if overwrite:
                    self.store.replace(stub)
            else:
                self.store.add(stub)
        self.scenarios.sync(self.store.all())
        self._changed()

    def find_by_metadata(self, pattern: StringPattern) -> list[StubMapping]:
        return [s for s in self.store.all() if pattern.match(_metadata_text(s)).exact]

    def unmatched_stubs(self) -> list[StubMapping]:
        used = {e.stub.id for e in self.journal.oldest_first() if e.stub is not None}
        return [s for s in self.store.all() if s.id not in used]

    def reset(self) -> None:
        """POST /__admin/reset and /mappings/reset: clear stubs, scenarios and journal; reload files."""
        self.store = StubStore()
        self.scenarios.clear()
        self.journal.clear()
        self.load()

    def _writable(self, stub: StubMapping) -> None:
        if stub.source is not None and stub.source.multi:
            raise NotWritable(f"stub {stub.id} comes from {stub.source.path}, a file with several stubs")

    def _format_of(self, stub: StubMapping) -> Format:
        return stub.source.format if stub.source is not None else Format.JSON

    def _changed(self) -> None:
        for listener in self.on_change:
            listener()

    # -- journal ---------------------------------------------------------------------------------
    def find_requests(self, pattern: RequestPattern) -> list[ServeEvent]:
        return self.journal.find(pattern.is_match)

    def count_requests(self, pattern: RequestPattern) -> int:
        if not self.journal.enabled:
            return -1
        return self.journal.count(pattern.is_match)

    # -- scenarios -------------------------------------------------------------------------------
    def scenario_info(self) -> list[ScenarioInfo]:
        return self.scenarios.info(self.store.all())

    def set_scenario_state(self, name: str, state: str | None) -> None:
        self.scenarios.set_state(name, state)

    # -- settings --------------------------------------------------------------------------------
    def update_settings(self, settings: GlobalSettings) -> None:
        self.global_settings = settings

    def merge_extended(self, extended: dict[str, Any]) -> None:
        merged = {**self.global_settings.extended, **extended}
        self.global_settings = replace(self.global_settings, extended=merged)

    # -- health ----------------------------------------------------------------------------------
    @property
    def uptime_seconds(self) -> int:
        return int(time.time() - self.started_at)


def _metadata_text(stub: StubMapping) -> str | None:
    return None if stub.metadata is None else jsontext.dumps_compact(stub.metadata)


def require_stub_id(value: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidInput(f"{value} is not a valid UUID") from None

"""The Mockd facade: it owns stubs, scenarios, journal, settings and templates. Every mutation (admin
API, file watcher, CLI, Python API) goes through it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockd import jsontext
from mockd.config import Settings
from mockd.dispatch import Outcome, dialect_for, dispatch
from mockd.errors import DuplicateStubId, InvalidInput, Location, MockdError, NotFound, NotWritable
from mockd.http import LoggedRequest
from mockd.journal import Journal
from mockd.loader import LoadProblem, LoadResult, delete_file, load_mappings, write_stub
from mockd.matching.request import RequestPattern
from mockd.matching.values import StringPattern
from mockd.recording import Recorder, proxy_all_stub
from mockd.scenarios import ScenarioInfo, Scenarios
from mockd.stubs.model import Format, GlobalSettings, ResponseSnapshot, ServeEvent, StubMapping
from mockd.stubs.store import StubStore

if TYPE_CHECKING:
    from mockd.templating import TemplateEngine

log = logging.getLogger("mockd")


class Mockd:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = StubStore()
        self.scenarios = Scenarios()
        self.journal = Journal(
            settings.max_request_journal_entries,
            settings.request_journal,
            settings.logged_response_body_size_limit,
        )
        self.global_settings = GlobalSettings()
        self.problems: list[LoadProblem] = []
        self.started_at = time.time()
        self.on_change: list[Callable[[], None]] = []
        self.reloads = 0  # load() and files_changed() calls so far (the file watcher's, tests await it)
        self.on_reload: list[Callable[[], None]] = []
        self.recorder = Recorder(self)
        self._add_proxy_all()

    @cached_property
    def engine(self) -> TemplateEngine:
        """The template engine, made (and Jinja2 imported) when the first templated stub needs it."""
        from mockd.templating.engine import TemplateEngine

        settings = self.settings
        return TemplateEngine(
            files_root=settings.files_dir,
            permitted_system_keys=settings.permitted_system_keys,
            cache_size=settings.max_template_cache_entries,
        )

    # -- serving ---------------------------------------------------------------------------------
    def serve(self, req: LoggedRequest) -> Outcome:
        outcome = dispatch(self, req)
        self.journal.record(outcome.event)
        self.recorder.observe(outcome.event)
        return outcome

    def served(self, event: ServeEvent, response: ResponseSnapshot) -> None:
        """The edge reports the complete answer to `event` (whole body, before the journal trims it)."""
        self.recorder.completed(event, response)

    def _add_proxy_all(self) -> None:
        """`--proxy-all URL`: the ANY any-url proxy stub at priority 10 (kept across resets)."""
        if self.settings.proxy_all:
            stub = proxy_all_stub(self.settings.proxy_all)
            if stub.id not in self.store:
                self.store.add(stub)
                self.scenarios.sync(self.store.all())

    # -- loading ---------------------------------------------------------------------------------
    def load(self, scope: Iterable[Path] | None = None) -> LoadResult:
        """(Re)load stub files: all of mappings/, or with `scope` (what the file watcher saw change)
        only those files and folders, plus the files that had problems (a retry). The stubs of every
        file read are replaced by its new version; other stubs (other files, the admin API's) stay.
        A file that loaded before and now fails keeps serving its previous stubs until it is fixed;
        its problem is in `problems` meanwhile. Scenario states survive where the scenario and its
        state still exist. The new StubStore is built aside and swapped in at once."""
        if scope is not None:
            scope = {*scope, *(p.file for p in self.problems)}
        result = load_mappings(self.settings.mappings_dir, self.settings.root_dir, scope)
        in_scope = _scope_test(scope)
        previous = sorted(self.store.all(), key=lambda s: s.insertion_index)
        old_by_file: dict[Path, list[StubMapping]] = {}
        taken: dict[str, str] = {}
        for s in previous:
            if s.source is not None and in_scope(s.source.path):
                old_by_file.setdefault(s.source.path, []).append(s)
            else:
                taken[s.id] = str(s.source.path) if s.source else "a stub created through the admin API"
        problems = list(result.problems)
        fresh: dict[Path, list[StubMapping]] = {}
        for stub in result.stubs:
            assert stub.source is not None
            path = stub.source.path
            try:
                self.check_templates(stub)
                if stub.id in taken:
                    raise InvalidInput(f"stub id {stub.id} is already used by {taken[stub.id]}")
            except MockdError as exc:
                problems.append(LoadProblem(path, exc.at(file=str(path))))
                continue
            fresh.setdefault(path, []).append(_owned_like(stub, old_by_file.get(path)))
        kept: dict[Path, int] = {}
        # a file that fails keeps its last good version: its previous stubs whose ids are still free
        for path in dict.fromkeys(p.file for p in problems):
            used = {s.id for f, stubs in fresh.items() if f != path for s in stubs}
            last_good = [s for s in old_by_file.get(path, ()) if s.id not in taken and s.id not in used]
            if last_good:
                fresh[path] = last_good
                kept[path] = len(last_good)
        problems = [replace(p, kept_stubs=kept.get(p.file, 0)) for p in problems]
        self.store = StubStore(_merge(previous, in_scope, fresh))
        self.scenarios.sync(self.store.all())
        known = {str(p) for p in self.problems}
        self.problems = [*(p for p in self.problems if not in_scope(p.file)), *problems]
        for p in problems:
            if str(p) not in known:
                what = "its last good version is still served" if p.kept_stubs else "skipped"
                log.error("%s (%s)", p, what)
        self._changed()
        self._reloaded()
        return LoadResult([s for stubs in fresh.values() for s in stubs], problems)

    def files_changed(self) -> None:
        """__files/ changed on disk. Body files are read when served and templates are cached by their
        text, so nothing is stale: this only tells the reload listeners."""
        self._reloaded()

    def _reloaded(self) -> None:
        self.reloads += 1
        for listener in self.on_reload:
            listener()

    def check_templates(self, stub: StubMapping) -> None:
        """Refuse a stub whose templates do not parse (used for files; see add_stub for the API)."""
        rd = stub.response
        dialect = dialect_for(rd, self.settings)
        if dialect is None:
            return
        sources: list[tuple[str, str]] = []
        if rd.status_template is not None:
            sources.append(("/response/status", rd.status_template))
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
            stub = write_stub(
                stub, self.settings.mappings_dir, self._format_of(stub), self.settings.filename_template
            )
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
            stub = write_stub(
                stub, self.settings.mappings_dir, self._format_of(old), self.settings.filename_template
            )
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
                replace(stub, persistent=True),
                self.settings.mappings_dir,
                self._format_of(stub),
                self.settings.filename_template,
            )
            self.store.replace(saved)
        self._changed()

    def import_stubs(self, stubs: list[StubMapping], overwrite: bool, delete_all_not_in_import: bool) -> None:
        """WireMock's import: in reverse order, each stub added or edited (so `persistent` stubs are
        written and files of removed persistent stubs deleted, as for single calls)."""
        ids = {s.id for s in stubs}
        if delete_all_not_in_import:
            self.remove_stubs(s for s in self.store.all() if s.id not in ids)
        for stub in reversed(stubs):
            if stub.id not in self.store:
                self.add_stub(stub)
            elif overwrite:
                self.edit_stub(stub)
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
        self._add_proxy_all()

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

    def remove_requests(self, pattern: RequestPattern) -> list[ServeEvent]:
        return self.journal.remove_where(lambda e: pattern.is_match(e.request))

    def remove_requests_by_metadata(self, pattern: StringPattern) -> list[ServeEvent]:
        """Events whose matched stub's metadata (as JSON text) matches `pattern`."""
        return self.journal.remove_where(
            lambda e: e.stub is not None and pattern.match(_metadata_text(e.stub)).exact
        )

    def remove_request(self, event_id: str) -> ServeEvent | None:
        return self.journal.remove(event_id)

    def clear_requests(self) -> None:
        self.journal.clear()

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


def _scope_test(scope: Iterable[Path] | None) -> Callable[[Path], bool]:
    if scope is None:
        return lambda path: True
    paths = tuple(scope)
    return lambda path: any(path == p or path.is_relative_to(p) for p in paths)


def _owned_like(stub: StubMapping, previous: list[StubMapping] | None) -> StubMapping:
    """A re-read file mockd wrote stays mockd's (DELETE /mappings may delete it)."""
    if stub.source is None or not previous or previous[0].source is None:
        return stub
    return replace(stub, source=replace(stub.source, written_by_mockd=previous[0].source.written_by_mockd))


def _merge(
    previous: list[StubMapping], in_scope: Callable[[Path], bool], fresh: dict[Path, list[StubMapping]]
) -> list[StubMapping]:
    """The new stub list: a re-read file's stubs take the place of its old ones; new files come last."""
    out: list[StubMapping] = []
    placed: set[Path] = set()
    for stub in previous:
        if stub.source is None or not in_scope(stub.source.path):
            out.append(stub)
        elif stub.source.path not in placed:
            placed.add(stub.source.path)
            out.extend(fresh.get(stub.source.path, ()))
    out.extend(s for path, stubs in fresh.items() if path not in placed for s in stubs)
    return out


def _metadata_text(stub: StubMapping) -> str | None:
    return None if stub.metadata is None else jsontext.dumps_compact(stub.metadata)


def require_stub_id(value: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidInput(f"{value} is not a valid UUID") from None

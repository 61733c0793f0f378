"""Watch the content folder and call back once per burst of changes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

DEBOUNCE_SECONDS = 0.3


class _Changed(FileSystemEventHandler):
    def __init__(self) -> None:
        self.flag = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type != "opened" and event.event_type != "closed_no_write":
            self.flag.set()


def watch_content(folder: Path, on_change: Callable[[], None], stop: Callable[[], bool]) -> None:
    """Run `on_change` after each settled change under `folder` until `stop()`."""
    handler = _Changed()
    observer = Observer()
    observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    try:
        while not stop():
            if handler.flag.wait(0.5):
                time.sleep(DEBOUNCE_SECONDS)
                handler.flag.clear()
                on_change()
    finally:
        observer.stop()
        observer.join()
